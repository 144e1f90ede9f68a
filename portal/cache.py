"""The shared cache (Redis) may fail; the portal does not wait on it.

django-redis already turns a failed call into "not cached" (IGNORE_EXCEPTIONS). But a Redis that accepts connections
and never answers makes every call wait out the socket timeout, several times a request. ``FailFastClient`` is a
circuit breaker: once a call fails, every call in this process answers "not cached" at once for
``CACHE_RETRY_SECONDS``; then one call tries Redis again, and its outcome closes or re-opens the breaker.
"""

import functools
import threading
import time

from django.conf import settings
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted


class CacheSkipped(ConnectionInterrupted):
    """Redis was not asked: it failed moments ago."""

    def __init__(self):
        super().__init__(connection=None)

    def __str__(self) -> str:
        return "Redis skipped: it failed in the last few seconds"


class Breaker:
    """Open (skip Redis) from a failure until ``retry_seconds`` later; then the first caller tries again."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def allow(self) -> bool:
        with self.lock:
            now = self.clock()
            if now < self.retry_at:
                return False
            if self.retry_at:  # half-open: this caller tries; the others keep skipping until it has an answer
                self.retry_at = now + retry_seconds()
            return True

    def failed(self) -> None:
        with self.lock:
            self.retry_at = self.clock() + retry_seconds()

    def succeeded(self) -> None:
        with self.lock:
            self.retry_at = 0.0

    @property
    def is_open(self) -> bool:
        return self.clock() < self.retry_at


def retry_seconds() -> float:
    return float(getattr(settings, "CACHE_RETRY_SECONDS", 1.0))


_breakers: dict[tuple, Breaker] = {}


def breaker_for(servers) -> Breaker:
    """One breaker per Redis server for the whole process (Django makes a cache client per thread)."""
    return _breakers.setdefault(tuple(servers), Breaker())


# DefaultClient's methods that are not operations on Redis (or that the guarded operations call themselves).
_NOT_OPERATIONS = {
    "get_next_client_index",
    "get_client",
    "get_client_with_index",
    "connect",
    "disconnect",
    "decode",
    "encode",
    "make_key",
    "make_pattern",
    "close",
    "do_close_clients",
}


_inside = threading.local()  # an operation made of others (set_many calls set) asks the breaker once


def _guarded(operation):
    @functools.wraps(operation)
    def guarded(self, *args, **kwargs):
        if getattr(_inside, "depth", 0):
            return operation(self, *args, **kwargs)
        breaker = self.breaker
        if not breaker.allow():
            raise CacheSkipped
        _inside.depth = 1
        try:
            result = operation(self, *args, **kwargs)
        except CacheSkipped:
            raise
        except ConnectionInterrupted:
            breaker.failed()
            raise
        finally:
            _inside.depth = 0
        breaker.succeeded()
        return result

    return guarded


class FailFastClient(DefaultClient):
    """django-redis's client with the breaker around every operation (``OPTIONS["CLIENT_CLASS"]``)."""

    def __init__(self, server, params, backend):
        super().__init__(server, params, backend)
        self.breaker = breaker_for(self._server)


for _name, _operation in vars(DefaultClient).items():
    if callable(_operation) and not _name.startswith("_") and _name not in _NOT_OPERATIONS:
        setattr(FailFastClient, _name, _guarded(_operation))
