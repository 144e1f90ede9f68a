"""The cache may fail; the portal does not. A private redis-server on a free port, stopped mid-test (never the
machine's shared Redis)."""

import logging
import shutil
import socket
import subprocess
import time

import pytest

from ..listeners import SilentListener

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def forget_logged_failures():
    """The once-a-minute log filter lives as long as the process: a run of the tests before this one (mutation
    testing runs them many times in one process) must not have used up this minute's message."""
    for log_filter in logging.getLogger("portal.cache").filters:
        log_filter._last.clear()


@pytest.fixture
def redis(settings, tmp_path):
    forget_logged_failures()
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120  # waits for Redis to listen; the limit only stops a broken run hanging
    while not _listening(port):
        assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "portal.cache.FailFastClient",
                "IGNORE_EXCEPTIONS": True,
                # A running Redis that is slow to answer on a busy machine is not down; a stopped one refuses at once.
                "SOCKET_CONNECT_TIMEOUT": 5,
                "SOCKET_TIMEOUT": 5,
            },
        },
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = "portal.cache"
    yield process
    process.terminate()
    process.wait(60)


PAGES = ["/en/", "/cy/", "/en/guidance/", "/en/guidance/principles/", "/en/quiz/", "/en/your-record/"]


def test_with_redis_stopped_pages_sessions_and_health_still_work(client, staff, content, cycle, redis, caplog):
    client.force_login(staff)
    assert client.get("/healthz").json()["cache"] == "ok"
    for path in PAGES:
        assert client.get(path).status_code == 200, path

    redis.terminate()
    redis.wait(60)
    caplog.set_level(logging.WARNING, logger="portal.cache")
    for _round in range(3):
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, path  # still signed in: the session comes from the database
    health = client.get("/healthz")
    assert health.status_code == 200  # degraded, but able to serve: the load balancer keeps it in service
    assert health.json()["status"] == "degraded"
    assert health.json()["cache"] == "unavailable"
    assert health.json()["database"] == "ok"
    assert "queued" in health.json()["outbox"]
    logged = [record for record in caplog.records if record.name == "portal.cache"]
    assert len(logged) == 1  # once a minute, not once per request

    client.logout()
    assert (
        client.post("/en/sign-in/", {"username": staff.username, "password": "correct-horse-battery"})["Location"]
        == "/en/"
    )
    assert client.get("/en/your-record/").status_code == 200


@pytest.fixture
def silent_redis(settings):
    """Accepts connections and reads what it is sent, but never answers: a hung Redis."""
    with SilentListener() as listener:
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{listener.port}/0",
                "OPTIONS": {
                    "CLIENT_CLASS": "portal.cache.FailFastClient",
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 0.25,
                    "SOCKET_TIMEOUT": 0.25,
                },
            },
        }
        settings.DJANGO_REDIS_LOGGER = "portal.cache"
        settings.CACHE_RETRY_SECONDS = 1
        yield listener.accepted


def test_a_redis_that_never_answers_is_asked_once_not_on_every_call(client, staff, content, cycle, silent_redis):
    from django.core.cache import cache

    from portal.cache import breaker_for

    breaker = breaker_for(cache.client._server)
    clock = [1000.0]
    breaker.clock, breaker.retry_at = (lambda: clock[0]), 0.0
    client.force_login(staff)
    for path in PAGES:  # every page still works, from the database
        assert client.get(path).status_code == 200, path
    assert len(silent_redis) == 1  # one call waited out the timeout; every other call skipped Redis at once
    assert client.get("/healthz").json()["cache"] == "unavailable"
    clock[0] += 1.5  # a second later one call tries Redis again (and waits once more: it still does not answer)
    assert client.get("/en/").status_code == 200
    assert len(silent_redis) == 2
