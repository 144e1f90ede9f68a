"""The background worker's heartbeat: a row per worker, written at most every BEAT_EVERY seconds."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat

BEAT_EVERY = 10.0
FORGET_AFTER = timedelta(days=1)  # rows of workers long gone are removed, so the table stays a handful of rows


def beat(*, worker_id: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        WorkerHeartbeat.objects.update_or_create(worker_id=worker_id[:64], defaults={"beat_at": now})
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


def seconds_since_last_beat() -> float | None:
    """Seconds since the freshest heartbeat of any worker, None when no worker ever beat."""
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return None if latest is None else max(0.0, (timezone.now() - latest).total_seconds())


class Pacemaker:
    """Calls ``beat`` when at least BEAT_EVERY seconds have passed since the last one (the worker loops every second)."""

    def __init__(self, worker_id: str, clock=time.monotonic):
        self.worker_id = worker_id
        self.clock = clock
        self.last = None

    def tick(self) -> None:
        now = self.clock()
        if self.last is None or now - self.last >= BEAT_EVERY:
            beat(worker_id=self.worker_id)
            self.last = now
