"""What `/healthz` reports: each dependency of this instance, so an operator can see a degraded one."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def cache_ok() -> bool:
    """A write and a read through the real cache (a failing Redis answers "not cached" rather than raising)."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 5)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # a backend without the fail-safe raises its own errors
        return False
    return found == value


def outbox_backlog() -> dict:
    from outbox.models import OutgoingEmail

    queued = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    oldest = queued.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "queued": queued.count(),
        "oldest_queued_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "failed": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
    }


def report() -> tuple[dict, int]:
    """The report and its HTTP status: 503 only when the instance cannot serve (its database is unreachable)."""
    if not database_ok():
        return {"status": "unavailable", "database": "unavailable", "cache": "unknown"}, 503
    cache_state = "ok" if cache_ok() else "unavailable"
    try:
        backlog = outbox_backlog()
    except DatabaseError:
        return {"status": "unavailable", "database": "unavailable", "cache": cache_state}, 503
    body = {
        "status": "ok" if cache_state == "ok" else "degraded",
        "database": "ok",
        "cache": cache_state,
        "outbox": backlog,
    }
    return body, 200
