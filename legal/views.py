"""The accessibility statement and the privacy notice: readable signed out too, since people must be able to read
them before they sign in (and someone who cannot sign in must still be able to report a problem)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guidance.rendering import render_markdown

from .models import RETENTION_MARKER, LegalPage
from .retention import retention_periods
from .selectors import legal_page


def _page(request, kind: str):
    page = legal_page(kind)
    if page is None:
        raise Http404
    before, marker, after = page.body.partition(RETENTION_MARKER)
    return render(
        request,
        "legal/page.html",
        {
            "page_title": page.title,
            "page": page,
            "before": render_markdown(before),
            "retention": retention_periods() if marker else None,
            "after": render_markdown(after) if marker else "",
            "footer_current": kind,
        },
    )


@login_not_required
@require_GET
def accessibility(request):
    return _page(request, LegalPage.Kind.ACCESSIBILITY)


@login_not_required
@require_GET
def privacy(request):
    return _page(request, LegalPage.Kind.PRIVACY)
