"""Can this instance reach its database and its cache? Read by `/healthz` and `/readyz`."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection


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
