from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_request
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import SignInForm
from .i18n import home_url, in_language, switched_url
from .models import Language


@login_not_required
@require_GET
def root(request):
    """Send a person to the home page in their language: their preference, then the browser's, then English."""
    language = request.user.preferred_language if request.user.is_authenticated else get_language_from_request(request)
    return HttpResponseRedirect(home_url(language if language in Language.values else "en"))


CARRIED_FIELDS = 10  # at most this many fields of the page's form survive a switch, each at most 200 characters


def _carry_unsaved_fields(target: str, posted) -> str:
    """Add what the person picked on the page but did not submit (a quiz answer) to the address of the same page in
    the other language, so switching loses nothing. Nothing is saved: the page reads it as its form's starting
    value."""
    carried = [
        (key, value[:200])
        for key, value in posted.items()
        if key not in ("csrfmiddlewaretoken", "next") and len(key) <= 50
    ][:CARRIED_FIELDS]
    if not carried:
        return target
    path, _separator, query = target.partition("?")
    merged = QueryDict(query, mutable=True)
    for key, value in carried:
        merged[key] = value
    return f"{path}?{merged.urlencode()}"


@login_not_required
@require_POST
def switch_language(request, language):
    """The language switch: a small form (POST, so no other site can change someone's language with a link or an
    image) that lands on the same page in the other language and, for a signed-in person, becomes their
    preference."""
    if language not in Language.values:
        raise Http404
    next_url = request.POST.get("next", "")
    safe = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    target = switched_url(next_url, language) if safe else home_url(language)
    if target != home_url(language):
        target = _carry_unsaved_fields(target, request.POST)
    if request.user.is_authenticated:
        services.set_preferred_language(user=request.user, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax", a str in settings
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url(getattr(self.request.user, "preferred_language", get_language()))

    def post(self, request, *args, **kwargs):
        from .sign_in_limits import address_is_throttled

        if address_is_throttled(request):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            return render(request, "registration/address_locked_out.html", {"cooloff_minutes": minutes}, status=429)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Single sign-on returns to the page asked for, or to the home page in the language of this page.
        return super().get_context_data(sso_next=self.get_redirect_url() or home_url(get_language()), **kwargs)

    def get_success_url(self):
        # After signing in, people read the portal in their own language, wherever the link that brought them was.
        return in_language(super().get_success_url(), getattr(self.request.user, "preferred_language", get_language()))


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def get_default_redirect_url(self):
        return reverse("portal:sign-in")


@login_not_required
def csrf_failure(request, reason=""):
    return render(
        request,
        "403.html",
        {"title": _("Your form has expired"), "csrf_failure": True},
        status=403,
    )


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this once a username has failed too often from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@require_GET
def bench_floor(request):
    """The benchmark's floor: a response of a given size through the same server and middleware, with no template
    and no query of its own. Only routed when the BENCH_FLOOR_VIEW setting is on."""
    try:
        size = min(max(int(request.GET.get("size", "10000")), 0), 1_000_000)
    except ValueError:
        size = 10000
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")
