"""The Prometheus metrics.

Per request (this process's counts; merged across gunicorn's workers by prometheus-client's multiprocess mode when
``PROMETHEUS_MULTIPROC_DIR`` is set before the process starts): latency per view name and responses per status class.
At scrape time, from the database every instance shares: the outbox's depth, its oldest queued message's age, failed
deliveries, the worker's heartbeat age and the evidence chain's head (its length and age) — the same figure from any
instance, so a dead instance hides nothing.
"""

import math
import os

from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

# Pages take 20-300 ms; the report exports take seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_LATENCY = Histogram(
    "portal_request_duration_seconds",
    "Time to answer a request, by the view that answered it (the URL pattern's name, never the raw path).",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "portal_responses_total",
    "Responses by view and status class (2xx, 3xx, 4xx, 5xx); errors are the 5xx.",
    ["view", "status_class"],
)
CACHE_BREAKER_OPEN = Gauge(
    "portal_cache_breaker_open",
    "1 while this process skips Redis after a failure (portal/cache.py's breaker), else 0.",
    multiprocess_mode="livemax",
)


def breaker_open() -> bool:
    from portal.cache import _breakers

    return any(breaker.is_open for breaker in list(_breakers.values()))


def observe(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(view=view, method=method).observe(seconds)
    RESPONSES.labels(view=view, status_class=f"{status // 100}xx").inc()
    CACHE_BREAKER_OPEN.set(1 if breaker_open() else 0)


def evidence_head():
    """The newest link of the evidence chain, or None (read lazily: the evidence app stands above this one)."""
    from evidence.chain import head

    return head()


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


class DatabaseCollector:
    """Figures read from the shared database when Prometheus scrapes."""

    def collect(self):
        from ..health import outbox_backlog
        from .heartbeat import seconds_since_last_beat

        try:
            backlog = outbox_backlog()
            heartbeat_age = seconds_since_last_beat()
            chain_head = evidence_head()
        except DatabaseError:
            yield _gauge("portal_database_up", "1 when this instance reached the database for this scrape.", 0)
            return
        yield _gauge("portal_database_up", "1 when this instance reached the database for this scrape.", 1)
        yield _gauge("portal_outbox_queued_messages", "Email messages waiting to be sent.", backlog["queued"])
        yield _gauge(
            "portal_outbox_oldest_queued_seconds",
            "Age of the oldest message still waiting to be sent (0 when none waits).",
            backlog["oldest_queued_seconds"],
        )
        yield _gauge(
            "portal_outbox_failed_messages",
            "Messages the worker gave up on after every retry (each needs an operator).",
            backlog["failed"],
        )
        yield _gauge(
            "portal_worker_heartbeat_age_seconds",
            "Seconds since any background worker last reported it was running (+Inf when none ever did).",
            math.inf if heartbeat_age is None else heartbeat_age,
        )
        yield _gauge(
            "portal_evidence_chain_length",
            "Links in the evidence chain (declarations, published versions, retention runs); it only ever grows.",
            0 if chain_head is None else chain_head.position,
        )
        yield _gauge(
            "portal_evidence_chain_head_age_seconds",
            "Seconds since the last record joined the evidence chain (+Inf while it is empty).",
            math.inf if chain_head is None else (timezone.now() - chain_head.linked_at).total_seconds(),
        )


def exposition() -> bytes:
    """The text Prometheus reads: this process's (or every worker's, in multiprocess mode) counts, then the
    database's figures."""
    CACHE_BREAKER_OPEN.set(1 if breaker_open() else 0)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (REQUEST_LATENCY, RESPONSES, CACHE_BREAKER_OPEN):
            registry.register(metric)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
