"""PostgreSQL may stop; the portal and its worker come back without a restart. A private PostgreSQL cluster (initdb into
a temporary directory, on a free port; never the machine's shared server) is stopped and started mid-test, with the
portal (gunicorn) and the background worker running as processes against it, as in production."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.faults_services import Postgres, Service, SmtpSink, free_port, postgres_runnable

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not postgres_runnable(), reason="the PostgreSQL server binaries (or, as root, a postgres user) are missing"
)


@pytest.fixture(scope="module")
def postgres():
    cluster = Postgres().init()
    try:
        cluster.start()
        cluster.create_database("portal")
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def sink():
    server = SmtpSink()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def production_env(postgres, sink):
    """Production settings (DEBUG off) on the private cluster and sink; migrated once for the module."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": postgres.url("portal"),
        "REDIS_URL": "",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        "GOVUK_NOTIFY_API_KEY": "",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def service(production_env, tmp_path):
    started = []

    def start(name: str, *args: str) -> Service:
        process = Service(name, [sys.executable, *args], env=production_env, cwd=ROOT, log=tmp_path / f"{name}.log")
        started.append(process)
        process.start()
        return process

    yield start
    for process in started:
        process.close()


@pytest.fixture
def outage(postgres):
    """Stops the cluster; the test starts it again with the returned function (and it is started again regardless)."""
    postgres.stop("fast")
    yield postgres.start
    if not postgres.running():
        postgres.start()


def healthz(base: str) -> tuple[int | None, dict]:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return None, {}


def wait_for(check, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_healthz_is_503_while_the_database_is_down_and_200_once_it_is_back(service, postgres, request):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = service("gunicorn", "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}")
    assert wait_for(lambda: healthz(base)[0] == 200, 120), "gunicorn did not start"
    assert healthz(base)[1]["database"] == "ok"

    restart = request.getfixturevalue("outage")
    for _round in range(3):
        status, body = healthz(base)
        assert status == 503
        assert body["database"] == "unavailable"
        assert body["status"] == "unavailable"
    restart()
    # The same process: its pooled connection is found dead (health checks) and replaced, with no restart.
    assert wait_for(lambda: healthz(base)[0] == 200, 60)
    assert healthz(base)[1]["database"] == "ok"
    assert gunicorn.alive()


def queue_an_email(env: dict, subject: str) -> None:
    manage(
        env,
        "shell",
        "-c",
        "from outbox.services import queue_email; from django.db import transaction\n"
        "with transaction.atomic():\n"
        f"    queue_email(to='someone@example.gov.wales', subject={subject!r}, body='Hello', kind='receipt')",
    )


def arrived(sink, subject: str) -> bool:
    return any(message["subject"] == subject for message in sink.received())


def test_the_worker_rides_out_a_database_outage_and_sends_what_is_queued_after_it(service, sink, request):
    # Each step waits for the event it needs (a message arriving, a line in the log), never for a time window: the
    # limits below only stop a broken run hanging, however busy the machine is.
    worker = service("worker", "manage.py", "run_worker", "--interval", "0.2")
    before = f"Before the outage {secrets.token_hex(4)}"
    queue_an_email(worker.env, before)
    assert wait_for(lambda: arrived(sink, before), 120), worker.log.read_text()[-2000:]  # started and polling

    restart = request.getfixturevalue("outage")
    assert wait_for(lambda: "Database unavailable" in worker.log.read_text(), 120), worker.log.read_text()[-2000:]
    assert worker.alive(), worker.log.read_text()[-2000:]
    restart()
    after = f"After the outage {secrets.token_hex(4)}"
    queue_an_email(worker.env, after)
    assert wait_for(lambda: arrived(sink, after), 120), worker.log.read_text()[-2000:]
    assert worker.alive()
    assert worker.log.read_text().count("Database unavailable") == 1  # once per outage, not once per poll
