"""The cache may fail; the portal does not. A private redis-server on a free port, stopped mid-test (never the
machine's shared Redis)."""

import logging
import shutil
import socket
import subprocess
import time

import pytest

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis(settings, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    for _try in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = "portal.cache"
    yield process
    process.terminate()
    process.wait(5)


PAGES = ["/en/", "/cy/", "/en/guidance/", "/en/guidance/principles/", "/en/quiz/", "/en/your-record/"]


def test_with_redis_stopped_pages_sessions_and_health_still_work(client, staff, content, cycle, redis, caplog):
    client.force_login(staff)
    assert client.get("/healthz").json()["cache"] == "ok"
    for path in PAGES:
        assert client.get(path).status_code == 200, path

    redis.terminate()
    redis.wait(5)
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
    assert client.post("/en/sign-in/", {"username": staff.username, "password": "correct-horse-battery"})[
        "Location"
    ] == "/en/"
    assert client.get("/en/your-record/").status_code == 200
