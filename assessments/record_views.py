"""A person's own declaration as a PDF to keep or print."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Acknowledgement
from .record_pdf import record_filename, record_pdf


@require_GET
def confirmation_pdf(request, reference):
    # Only the person's own record: anyone else's reference is a 404, as on the confirmation page.
    record = get_object_or_404(
        Acknowledgement.objects.select_related("user", "cycle", "guidance_version", "attempt"),
        reference=reference,
        user=request.user,
    )
    response = HttpResponse(record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record_filename(record)}"'
    response["Cache-Control"] = "private, no-store"
    return response
