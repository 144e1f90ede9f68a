"""The progress page of a background job, and its file: only ever for the person who asked, while they still hold
the permission the work needs (a download holds personal data; another HR officer asks for their own)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.roles import IMPORT_STAFF, VIEW_HR_REPORTS

from .background import file_path
from .models import BackgroundJob

NEEDS: dict[str, str] = {
    BackgroundJob.Kind.STAFF_CSV: VIEW_HR_REPORTS,
    BackgroundJob.Kind.STAFF_XLSX: VIEW_HR_REPORTS,
    BackgroundJob.Kind.STAFF_IMPORT: IMPORT_STAFF,
    BackgroundJob.Kind.STAFF_IMPORT_PLAN: IMPORT_STAFF,
}
CONTENT_TYPES: dict[str, str] = {
    BackgroundJob.Kind.STAFF_CSV: "text/csv; charset=utf-8",
    BackgroundJob.Kind.STAFF_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REFRESH_SECONDS = 5


def _own_job(request, pk) -> BackgroundJob:
    # Someone else's job is "not found", not "forbidden": its existence is nobody else's business.
    job = get_object_or_404(BackgroundJob, pk=pk, requested_by=request.user)
    if not request.user.has_perm(NEEDS[job.kind]):
        raise PermissionDenied
    return job


@require_GET
def job_progress(request, pk):
    job = _own_job(request, pk)
    if job.status == BackgroundJob.Status.DONE and job.outcome.get("continue_to"):
        # A check of a large staff list: done, the person goes on to the page it prepared (columns or preview).
        return redirect(job.outcome["continue_to"], pk=job.outcome["staff_import"])
    titles: dict[str, str] = {
        BackgroundJob.Kind.STAFF_IMPORT: _("Importing the staff list"),
        BackgroundJob.Kind.STAFF_IMPORT_PLAN: _("Checking the staff list"),
        BackgroundJob.Kind.STAFF_CSV: _("Preparing the staff list download"),
        BackgroundJob.Kind.STAFF_XLSX: _("Preparing the staff list download"),
    }
    if job.status == BackgroundJob.Status.DONE:
        titles = {kind: _("Your download is ready") for kind in titles}
        titles[BackgroundJob.Kind.STAFF_IMPORT] = _("Staff list imported")
    return render(
        request,
        "outbox/job_progress.html",
        {
            "page_title": titles[job.kind],
            "job": job,
            "Status": BackgroundJob.Status,
            "is_import": job.kind in (BackgroundJob.Kind.STAFF_IMPORT, BackgroundJob.Kind.STAFF_IMPORT_PLAN),
            "is_check": job.kind == BackgroundJob.Kind.STAFF_IMPORT_PLAN,
            # The person may turn the refresh off (WCAG 2.2.1): "Check again" then reloads by hand.
            "refresh_seconds": None if job.is_finished or request.GET.get("refresh") == "off" else REFRESH_SECONDS,
            "nav_section": "hr",
        },
    )


@require_GET
def job_file(request, pk):
    job = _own_job(request, pk)
    if job.status != BackgroundJob.Status.DONE or not job.stored_name:
        raise Http404
    try:
        opened = open(file_path(job), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(opened, as_attachment=True, filename=job.filename, content_type=CONTENT_TYPES[job.kind])
