"""The Prometheus metrics.

Per request (this process's counts; merged across gunicorn's workers by prometheus-client's multiprocess mode when
``PROMETHEUS_MULTIPROC_DIR`` is set before the process starts): latency per view name and responses per status class.
The project adds, at scrape time, figures from the database every instance shares (config/metrics.py).
"""

import os
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.registry import Collector

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


def exposition(*, collectors: Iterable[Collector] = ()) -> bytes:
    """The text Prometheus reads: this process's (or every worker's, in multiprocess mode) counts, then what the
    given collectors read (the project's figures from the shared database, config/metrics.py)."""
    CACHE_BREAKER_OPEN.set(1 if breaker_open() else 0)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (REQUEST_LATENCY, RESPONSES, CACHE_BREAKER_OPEN):
            registry.register(metric)
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry)
