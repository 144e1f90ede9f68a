"""The reminder schedule, run by the outbox worker (see outbox/schedule.py): every hour, so a worker that was down
catches up within the hour; the schedule itself makes a second run on the same day send nothing new."""

from datetime import timedelta

from django.utils import timezone

from cycles.models import Cycle
from outbox.schedule import periodic

from .reminders import send_for_day

# Reminders are queued from this hour of the working day, not overnight.
SEND_FROM_HOUR = 8


@periodic("cycles.send_reminders", every=timedelta(hours=1))
def send_scheduled_reminders() -> int:
    if timezone.localtime().hour < SEND_FROM_HOUR:
        return 0
    cycle = Cycle.objects.current()
    if cycle is None:
        return 0
    return send_for_day(cycle=cycle).total


@periodic("cycles.close_due_cycles", every=timedelta(hours=1))
def close_due_cycles() -> int:
    """Cycles whose closing date has come close by themselves (see ``assessments.closing``)."""
    from assessments.closing import close_cycles_due

    return len(close_cycles_due())
