"""One JSON log line per request, and every line of a request or a worker's task carries its id."""

import io
import json
import logging

import pytest

from portal.observability.log_format import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The lines the console handler would write (its filter and formatter, as in settings.LOGGING)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def logs_a_line_inside_the_request(monkeypatch):
    from config import health

    real_report = health.report

    def report():
        logging.getLogger("portal.health").warning("checking the outbox")
        return real_report()

    monkeypatch.setattr(health, "report", report)


def test_every_line_of_a_request_carries_the_id_the_load_balancer_set(client, log_lines, monkeypatch):
    logs_a_line_inside_the_request(monkeypatch)
    response = client.get("/healthz", headers={"X-Request-ID": "haproxy-7f3a-0001"})
    assert response["X-Request-ID"] == "haproxy-7f3a-0001"
    lines = log_lines()
    inner = next(line for line in lines if line["message"] == "checking the outbox")
    access = next(line for line in lines if line["logger"] == "portal.requests")
    assert inner["request_id"] == access["request_id"] == "haproxy-7f3a-0001"
    assert access["view"] == "healthz" and access["status"] == 200 and access["method"] == "GET"
    assert access["duration_ms"] >= 0
    assert [line["logger"] for line in lines].count("portal.requests") == 1  # one line per request


def test_an_id_is_made_when_none_comes_and_lines_outside_requests_have_none(client, log_lines):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    logging.getLogger("portal.test").warning("between requests")
    assert log_lines()[-1]["request_id"] == "-"


def test_a_forged_id_cannot_write_into_the_log(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": 'x" level=ERROR spoofed'})
    assert response["X-Request-ID"] != 'x" level=ERROR spoofed' and len(response["X-Request-ID"]) == 32


def test_the_query_string_is_not_logged(client, log_lines):
    client.get("/en/sign-in/?next=/en/&token=secret")
    access = [line for line in log_lines() if line["logger"] == "portal.requests"][-1]
    assert access["path"] == "/en/sign-in/" and "secret" not in json.dumps(access)


def test_real_delivery_logs_carry_the_task_id(deliver_outbox, log_lines, monkeypatch):
    from outbox import delivery
    from outbox.services import queue_email

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(delivery, "get_connection", refuse)
    queue_email(to="p@gov.wales", subject="Reminder", body="Hello", kind="reminder")
    deliver_outbox()
    task_lines = [line for line in log_lines() if line["request_id"].startswith("task-")]
    assert any("not sent" in line["message"] for line in task_lines), task_lines
    logging.getLogger("portal.test").warning("after the task")
    assert log_lines()[-1]["request_id"] == "-"  # the task's id ends with the task


def test_a_server_error_a_view_returns_is_logged_with_the_request_id(client, log_lines, monkeypatch):
    """Django writes its own line for a 5xx a view answers (not raises) after the request's id has gone: an operator
    following a person's request id must find it."""
    from config import health

    monkeypatch.setattr(health, "report", lambda: ({"status": "unavailable"}, 503))
    assert client.get("/healthz", headers={"X-Request-ID": "haproxy-7f3a-0002"}).status_code == 503
    error = next(line for line in log_lines() if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["message"] == "Service Unavailable: /healthz"
    assert error["request_id"] == "haproxy-7f3a-0002"
    assert [line["logger"] for line in log_lines()].count("django.request") == 1
