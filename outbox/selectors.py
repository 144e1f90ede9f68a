"""Reads about the outbox, for operators: how much waits, for how long, and how much failed."""

from django.utils import timezone

from .models import OutgoingEmail


def backlog() -> dict:
    queued = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    oldest = queued.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "queued": queued.count(),
        "oldest_queued_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "failed": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
    }
