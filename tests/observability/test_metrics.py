"""The Prometheus endpoint: who may read it and what each figure means."""

import math
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from outbox.models import OutgoingEmail
from outbox.services import queue_email
from portal import cache as portal_cache
from portal.observability.heartbeat import beat
from portal.observability.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def scrape(client) -> dict:
    """{(name, labels as a sorted tuple): value} for every sample."""
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_answer_a_scraper_on_an_allowed_address(client):
    assert client.get("/metrics").status_code == 200


def test_metrics_refused_through_the_load_balancer_or_from_elsewhere(client):
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


@override_settings(METRICS_ALLOWED_NETWORKS=["10.20.0.0/16"])
def test_the_allowed_networks_are_a_setting(client):
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_latency_is_recorded_per_view_name_never_per_path(client):
    before = scrape(client)
    client.get("/en/sign-in/")
    client.get("/cy/mewngofnodi/")
    client.get("/en/no-such-page-12345/")
    after = scrape(client)
    counted = "portal_request_duration_seconds_count"
    assert (
        value(after, counted, view="portal:sign-in", method="GET")
        - value(before, counted, view="portal:sign-in", method="GET")
        == 2
    )  # both languages' addresses are the same view
    assert value(after, counted, view="unresolved", method="GET") > value(
        before, counted, view="unresolved", method="GET"
    )
    assert not any("no-such-page" in str(key) for key in after)


def test_errors_are_counted_as_5xx_by_view(client, monkeypatch):
    from config import health

    client.raise_request_exception = False
    before = scrape(client)
    monkeypatch.setattr(health, "report", lambda: 1 / 0)
    assert client.get("/healthz").status_code == 500
    monkeypatch.undo()
    after = scrape(client)
    name = "portal_responses_total"
    assert (
        value(after, name, view="healthz", status_class="5xx") - value(before, name, view="healthz", status_class="5xx")
        == 1
    )


def test_outbox_depth_oldest_age_and_failed_deliveries(client):
    empty = scrape(client)
    assert value(empty, "portal_outbox_queued_messages") == 0
    assert value(empty, "portal_outbox_oldest_queued_seconds") == 0
    messages = [queue_email(to=f"p{n}@gov.wales", subject="Reminder", body="Hello", kind="reminder") for n in range(3)]
    OutgoingEmail.objects.filter(pk=messages[0].pk).update(created_at=timezone.now() - timedelta(minutes=20))
    OutgoingEmail.objects.filter(pk=messages[2].pk).update(status=OutgoingEmail.Status.FAILED)
    samples = scrape(client)
    assert value(samples, "portal_outbox_queued_messages") == 2
    assert 20 * 60 <= value(samples, "portal_outbox_oldest_queued_seconds") < 21 * 60
    assert value(samples, "portal_outbox_failed_messages") == 1


def test_worker_heartbeat_age(client):
    assert value(scrape(client), "portal_worker_heartbeat_age_seconds") == math.inf  # no worker ever ran
    beat(worker_id="worker-a")
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=300))
    beat(worker_id="worker-b")  # the freshest beat counts: one live worker is enough
    assert value(scrape(client), "portal_worker_heartbeat_age_seconds") < 60
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=300))
    assert 300 <= value(scrape(client), "portal_worker_heartbeat_age_seconds") < 360


def test_evidence_chain_length_and_head_age(client, staff, cycle, content, time_machine):
    from assessments.services import start_attempt, submit_attempt
    from evidence.chain import head

    from ..assessments.test_quiz import answer_all
    from ..factories import acknowledge_after_reading

    already = 0 if head() is None else head().position  # the published guidance may be in the chain already
    time_machine.move_to(timezone.now())
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    samples = scrape(client)
    assert value(samples, "portal_evidence_chain_length") == already + 1
    assert value(samples, "portal_evidence_chain_head_age_seconds") < 60
    time_machine.shift(timedelta(hours=2))
    assert 7200 <= value(scrape(client), "portal_evidence_chain_head_age_seconds") < 7300


def test_cache_breaker_state(client, monkeypatch):
    monkeypatch.setattr(portal_cache, "_breakers", {})  # this process's breakers only, not other tests' Redis
    assert value(scrape(client), "portal_cache_breaker_open") == 0
    breaker = portal_cache.breaker_for(["redis://metrics-test:6379"])
    breaker.failed()
    assert value(scrape(client), "portal_cache_breaker_open") == 1
    breaker.succeeded()
    assert value(scrape(client), "portal_cache_breaker_open") == 0


def test_database_down_is_reported_not_an_error(client, monkeypatch):
    from django.db import DatabaseError

    from config import metrics

    def unreachable():
        raise DatabaseError("gone")

    monkeypatch.setattr(metrics, "outbox_backlog", unreachable)
    samples = scrape(client)
    assert value(samples, "portal_database_up") == 0
    assert ("portal_outbox_queued_messages", ()) not in samples
