from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per background worker, touched while it runs: the metrics report how long since the freshest beat,
    so "the worker stopped" is visible from any instance (a row, not a cache key: it survives a Redis outage)."""

    worker_id = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
