"""What Prometheus reads at scrape time from the database every instance shares: the outbox's depth, its oldest
queued message's age, failed deliveries, the worker's heartbeat age and the evidence chain's head (its length and
age) — the same figure from any instance, so a dead instance hides nothing."""

import math

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from evidence import chain
from outbox.selectors import backlog as outbox_backlog
from portal.observability.heartbeat import seconds_since_last_beat
from portal.observability.metrics import exposition
from portal.observability.views import scraper_allowed


def evidence_head():
    """The newest link of the evidence chain, or None."""
    return chain.head()


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


class DatabaseCollector(Collector):
    """Figures read from the shared database when Prometheus scrapes."""

    def collect(self):
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


@login_not_required
@never_cache
def prometheus_metrics(request):
    if not scraper_allowed(request):
        raise Http404  # as if there were no such page: nothing to learn from the answer
    return HttpResponse(exposition(collectors=[DatabaseCollector()]), content_type=CONTENT_TYPE_LATEST)
