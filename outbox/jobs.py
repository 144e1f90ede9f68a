"""The outbox's own periodic jobs: pick up messages whose task was lost, and keep the task table small."""

from datetime import timedelta

from django.utils import timezone

from .schedule import periodic

# Longer than a worker normally takes to pick a message up, so a healthy queue is never swept.
SWEEP_GRACE = timedelta(minutes=2)


@periodic("outbox.sweep", every=timedelta(minutes=1))
def sweep_outbox() -> int:
    """Hand again to the worker any due message that nobody is sending (a worker killed mid-send, a lost task)."""
    from .models import OutgoingEmail
    from .tasks import deliver_email

    now = timezone.now()
    stranded = (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now - SWEEP_GRACE)
        .exclude(locked_until__gt=now)
        .values_list("pk", flat=True)[:500]
    )
    count = 0
    for email_id in stranded:
        deliver_email.enqueue(email_id=email_id)
        count += 1
    return count


@periodic("outbox.prune_task_results", every=timedelta(days=1), first_run_after=timedelta(hours=1))
def prune_task_results() -> None:
    """Finished task rows are only a log; the outbox rows are the record of what was sent."""
    from django.core.management import call_command

    call_command("prune_db_task_results", "--min-age-days", "30", verbosity=0)


@periodic("outbox.background_jobs", every=timedelta(minutes=5))
def tidy_background_jobs() -> dict:
    """Mark failed the jobs whose worker died (past their lease), and delete the downloads past their time."""
    from .background import delete_expired, fail_abandoned

    return {"failed": fail_abandoned(), "expired": delete_expired()}
