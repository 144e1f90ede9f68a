"""Periodic jobs run by the background worker.

An app registers a job in a module called `jobs.py` (the worker imports every installed app's `jobs` module when it
starts):

    # myapp/jobs.py
    from datetime import timedelta
    from outbox.schedule import periodic

    @periodic("myapp.nightly_tidy", every=timedelta(days=1))
    def nightly_tidy():
        ...

The function takes no arguments. Each time a job falls due, exactly one worker (however many run) claims it with a
conditional update of its `PeriodicJob` row and enqueues it as a task, so it runs once per period and its runs show up
with the other tasks. A job that raises is logged and runs again at its next period. A new job first runs as soon as a
worker sees it, unless `first_run_after` delays it. Keep jobs idempotent: after an outage a job runs once, not once
per missed period.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable[[], object]
    every: timedelta
    first_run_after: timedelta


REGISTRY: dict[str, Job] = {}


def periodic(name: str, *, every: timedelta, first_run_after: timedelta = timedelta(0)):
    """Register the decorated function to run every `every` in the background worker."""
    if every <= timedelta(0):
        raise ValueError("A periodic job needs a positive period.")

    def register(function):
        REGISTRY[name] = Job(name=name, function=function, every=every, first_run_after=first_run_after)
        return function

    return register


def enqueue_due_jobs(*, now=None) -> list[str]:
    """Enqueue every registered job that has fallen due; returns the names this worker claimed."""
    from .models import PeriodicJob
    from .tasks import run_periodic_job

    now = now or timezone.now()
    claimed = []
    for job in REGISTRY.values():
        with transaction.atomic():
            PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now + job.first_run_after})
            won = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=now + job.every, last_run_at=now
            )
            if won:
                run_periodic_job.enqueue(name=job.name)
                claimed.append(job.name)
    return claimed


def run_job(name: str):
    job = REGISTRY.get(name)
    if job is None:
        logger.warning("Periodic job %s is no longer registered; skipped.", name)
        return None
    return job.function()
