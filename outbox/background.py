"""Long work for one person, done by the worker: start it, run it, record how far it got, keep its file safely.

Each kind of job names a handler (a dotted path, so the outbox imports no app at start-up). A handler takes the job and
a ``progress(done, total=None)`` callback; it returns the outcome to show (a dict), and may write the job's file with
``write_file``. Anything it raises marks the job failed with a message the progress page shows in both languages.
"""

import logging
import secrets
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from .kinds import kind_of
from .models import BackgroundJob

logger = logging.getLogger(__name__)

FILE_LIFETIME = timedelta(days=1)  # the pages say "a day"
PROGRESS_EVERY = 500  # rows between progress writes: often enough to watch, rarely enough to cost nothing


def lease() -> timedelta:
    return timedelta(minutes=settings.BACKGROUND_JOB_LEASE_MINUTES)


def start_job(*, kind: str, by, params: dict, language: str) -> BackgroundJob:
    """Record the job and hand it to the worker: the task is a row in the same database, so both exist or neither."""
    from .tasks import run_background_job

    with transaction.atomic():
        job = BackgroundJob.objects.create(kind=kind, requested_by=by, params=params, language=language)
        run_background_job.enqueue(job_id=job.pk)
    return job


def files_dir() -> Path:
    folder = Path(settings.PORTAL_FILES_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def file_path(job: BackgroundJob) -> Path:
    # The stored name is random hex chosen here, never anything a person typed.
    return files_dir() / job.stored_name


def write_file(job: BackgroundJob, chunks: Iterable[bytes], *, filename: str) -> None:
    """Write the job's file under a random name, readable only by the portal's own user."""
    job.stored_name = secrets.token_hex(16)
    job.filename = filename
    path = file_path(job)
    with open(path, "xb") as output:
        path.chmod(0o600)
        for chunk in chunks:
            output.write(chunk)


def _claim(job_id: int) -> BackgroundJob | None:
    """Queued → running, by one worker only (a conditional update), with a lease the sweep checks."""
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.QUEUED).update(
        status=BackgroundJob.Status.RUNNING, started_at=now, locked_until=now + lease()
    )
    return BackgroundJob.objects.get(pk=job_id) if claimed else None


def _progress_recorder(job: BackgroundJob) -> Callable:
    def progress(done: int, total: int | None = None) -> None:
        fields = {"done_count": done}
        if total is not None:
            fields["total_count"] = total
        BackgroundJob.objects.filter(pk=job.pk, status=BackgroundJob.Status.RUNNING).update(**fields)

    return progress


def failure_messages(error: Exception) -> list[str]:
    """What the person may read about a failure: a refusal's own messages; nothing of an unexpected error's text."""
    return [str(message) for message in error.messages[:50]] if isinstance(error, ValidationError) else []


def run_job(job_id: int) -> str:
    job = _claim(job_id)
    if job is None:
        return "skipped"  # already run, or swept as failed
    try:
        kind = kind_of(job.kind)
        # A write and its "done" are one transaction: a worker killed in between leaves neither (the sweep then marks
        # the job failed, truthfully). Downloads only read, and must not hold SQLite's write lock while they do.
        together = transaction.atomic() if kind.one_transaction else nullcontext()
        with together, translation.override(job.language):
            outcome = kind.handler(job, _progress_recorder(job))
            _mark_done(job, outcome)
    except Exception as error:  # noqa: BLE001 - any failure must end as "failed" on the page, never stuck
        if not isinstance(error, ValidationError):
            logger.exception("Background job %s (%s) failed.", job.pk, job.kind)
        if job.stored_name:
            file_path(job).unlink(missing_ok=True)
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED,
            finished_at=timezone.now(),
            locked_until=None,
            stored_name="",
            outcome={"messages": failure_messages(error)},
        )
        return "failed"
    return "done"


def _mark_done(job: BackgroundJob, outcome: dict | None) -> None:
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.DONE,
        finished_at=now,
        locked_until=None,
        stored_name=job.stored_name,
        filename=job.filename,
        expires_at=now + FILE_LIFETIME if job.stored_name else None,
        outcome=outcome or {},
    )


def fail_abandoned(now=None) -> int:
    """Running jobs past their lease lost their worker (killed, out of memory); queued ones nobody picked up for a
    lease (the task row was lost): mark them failed, so nobody watches a page that says "working" forever."""
    now = now or timezone.now()
    running = BackgroundJob.objects.filter(status=BackgroundJob.Status.RUNNING, locked_until__lt=now)
    stranded = BackgroundJob.objects.filter(status=BackgroundJob.Status.QUEUED, created_at__lt=now - lease())
    count = 0
    for jobs in (running, stranded):
        for job in jobs.exclude(stored_name=""):
            file_path(job).unlink(missing_ok=True)
        count += jobs.update(
            status=BackgroundJob.Status.FAILED, finished_at=now, locked_until=None, stored_name="", outcome={}
        )
    return count


def delete_expired(now=None) -> int:
    """Delete the files past their time, and any file in the folder no job points to (left by a killed worker)."""
    now = now or timezone.now()
    expired = BackgroundJob.objects.filter(status=BackgroundJob.Status.DONE, expires_at__lte=now)
    count = 0
    for job in expired:
        if job.stored_name:
            file_path(job).unlink(missing_ok=True)
        count += 1
    expired.update(status=BackgroundJob.Status.EXPIRED, stored_name="")
    kept = set(BackgroundJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    cutoff = (now - lease()).timestamp()
    for path in files_dir().iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    return count
