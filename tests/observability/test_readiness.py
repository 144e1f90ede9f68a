"""Liveness (/healthz) and readiness (/readyz): what the load balancer's health check reads."""

import logging

import pytest
from django.test import override_settings

from portal.observability import readiness

pytestmark = pytest.mark.django_db


@pytest.fixture
def drain_file(tmp_path):
    path = tmp_path / "drain"
    with override_settings(PORTAL_DRAIN_FILE=str(path)):
        yield path


def test_ready_signed_out_while_serving(client, drain_file):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok"}


def test_the_drain_file_makes_the_instance_unready_but_still_alive(client, drain_file):
    drain_file.touch()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "draining"
    assert client.get("/healthz").status_code == 200  # alive: the process must not be restarted for draining
    drain_file.unlink()
    assert client.get("/readyz").status_code == 200


def test_draining_after_sigterm_without_a_file(client, drain_file, monkeypatch):
    monkeypatch.setattr(readiness, "_draining", type(readiness._draining)())
    readiness.mark_draining()
    assert client.get("/readyz").status_code == 503


def test_unready_when_the_database_cannot_be_reached(client, drain_file, monkeypatch):
    monkeypatch.setattr(readiness, "database_ok", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_readiness_is_never_cached(client, drain_file):
    assert "no-cache" in client.get("/readyz")["Cache-Control"]


def test_healthz_names_the_build_this_instance_runs(client):
    """A rolling deploy reads it to see each instance come back on the new code."""
    with override_settings(PORTAL_BUILD="release-2026-12-07.2"):
        assert client.get("/healthz").json()["build"] == "release-2026-12-07.2"


def test_a_draining_instance_logs_no_server_error_for_each_health_check(client, drain_file, caplog):
    """The load balancer asks every second all through a deploy: the 503 is the answer it asked for."""
    drain_file.touch()
    with caplog.at_level(logging.INFO):
        assert client.get("/readyz").status_code == 503
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    request_line = next(record for record in caplog.records if record.name == "portal.requests")
    assert request_line.status == 503  # still in the request log and the metrics
