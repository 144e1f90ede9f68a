"""The portal's background worker: django-tasks-db's worker draining the task table, plus the periodic jobs.

It rides out database outages (logging once per outage, not per poll) instead of exiting, so a process manager
restart is never needed after PostgreSQL comes back.
"""

import logging
import time

from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from portal.observability.heartbeat import Pacemaker

from .schedule import enqueue_due_jobs

logger = logging.getLogger(__name__)


def make_worker() -> Worker:
    # batch=True: each call to run() drains the ready tasks and returns, so the loop below can run the schedule.
    return Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
    )


def run_once(worker: Worker | None = None) -> None:
    """Enqueue the periodic jobs that are due and run every task that is ready now."""
    autodiscover_modules("jobs")
    enqueue_due_jobs()
    (worker or make_worker()).run()


def release_interrupted(worker_id: str) -> int:
    """After a database outage: the task this worker was running when the database went away is still marked running
    (its outcome could not be stored), and the message it had claimed is locked for the lease. Mark the task failed and
    hand its message to the worker again now, rather than leaving it to the sweep minutes later. A message that had
    already left is marked sent (see delivery.mark_sent), so handing it again sends nothing twice."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import BackgroundJob, OutgoingEmail
    from .tasks import deliver_email

    released = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):  # a handful at most
        if result.worker_ids[-1:] != [worker_id]:
            continue  # another worker's (running now), or claimed again by another worker since
        result.set_failed(DatabaseError("The database became unreachable while this task ran."))
        kwargs = result.args_kwargs.get("kwargs", {})
        if result.task_path.endswith((".deliver_email", ".deliver_emails")):  # one message, or a batch
            email_ids = kwargs.get("email_ids") or [kwargs.get("email_id")]
            queued = OutgoingEmail.objects.filter(pk__in=email_ids, status=OutgoingEmail.Status.QUEUED)
            still_queued = list(queued.values_list("pk", flat=True))
            queued.update(locked_until=None)
            for email_id in still_queued:
                deliver_email.enqueue(email_id=email_id)
        elif result.task_path.endswith(".run_background_job"):  # its person is watching: say it failed now
            BackgroundJob.objects.filter(pk=kwargs.get("job_id"), status=BackgroundJob.Status.RUNNING).update(
                status=BackgroundJob.Status.FAILED, locked_until=None
            )
        released += 1
    if released:
        logger.warning("Released %s task(s) interrupted by the database outage.", released)
    return released


def run_forever(*, interval: float = 1.0) -> None:
    autodiscover_modules("jobs")
    worker = make_worker()
    worker.configure_signals()  # Ctrl-C / SIGTERM: finish the task in hand, then stop
    pacemaker = Pacemaker(worker.worker_id)  # the metrics' "worker heartbeat age"
    logger.info("Background worker %s started.", worker.worker_id)
    outage_since = None
    while worker.running:
        try:
            if outage_since is not None:
                release_interrupted(worker.worker_id)
            pacemaker.tick()
            enqueue_due_jobs()
            worker.run()
            if outage_since is not None:
                logger.warning("Database reachable again after %.0f s.", time.monotonic() - outage_since)
                outage_since = None
        except DatabaseError as error:
            if outage_since is None:
                outage_since = time.monotonic()
                logger.error("Database unavailable, the worker will keep trying: %s", error)
            close_old_connections()
        if worker.running:
            time.sleep(interval)
