"""The progress page of a background job, and its file: only ever for the person who asked, while they still hold
the permission the work needs (a download holds personal data; another HR officer asks for their own)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .background import file_path
from .kinds import JobKind, kind_of
from .models import BackgroundJob

REFRESH_SECONDS = 5


def _own_job(request, pk) -> tuple[BackgroundJob, JobKind]:
    # Someone else's job is "not found", not "forbidden": its existence is nobody else's business.
    job = get_object_or_404(BackgroundJob, pk=pk, requested_by=request.user)
    kind = kind_of(job.kind)
    if not request.user.has_perm(kind.permission):
        raise PermissionDenied
    return job, kind


@require_GET
def job_progress(request, pk):
    job, kind = _own_job(request, pk)
    if job.status == BackgroundJob.Status.DONE and job.outcome.get("continue_to"):
        # Work that prepares a page (a large staff list's check): done, the person goes on to it.
        return redirect(job.outcome["continue_to"], pk=job.outcome["staff_import"])
    return render(
        request,
        "outbox/job_progress.html",
        {
            "page_title": kind.done_title if job.status == BackgroundJob.Status.DONE else kind.working_title,
            "job": job,
            "kind": kind,
            "Status": BackgroundJob.Status,
            # The person may turn the refresh off (WCAG 2.2.1): "Check again" then reloads by hand.
            "refresh_seconds": None if job.is_finished or request.GET.get("refresh") == "off" else REFRESH_SECONDS,
            "nav_section": "hr",
        },
    )


@require_GET
def job_file(request, pk):
    job, kind = _own_job(request, pk)
    if job.status != BackgroundJob.Status.DONE or not job.stored_name:
        raise Http404
    try:
        opened = open(file_path(job), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(opened, as_attachment=True, filename=job.filename, content_type=kind.content_type)
