"""`make bench`: the portal at civil-service scale, measured against the framework's own floor.

Builds a separate database (SQLite in bench/, or PostgreSQL when DATABASE_URL is set), starts gunicorn with
production settings on loopback, drives it with wrk (GET pages) and a small Python client (the quiz's POSTs), and
prints one JSON object, also written to bench/results.json.
"""

import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "BENCH_FLOOR_VIEW": "1",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}
if not os.environ.get("DATABASE_URL"):
    ENV["DATABASE_URL"] = f"sqlite:///{BENCH / 'bench.sqlite3'}"
os.environ.update(ENV)

TARGETS = {
    "guidance_ratio_to_floor": 0.3,
    "guidance_p95_ms_50": 50,
    "quiz_p95_ms_50": 250,
    "quiz_p95_ms_10": 60,
    "dashboard_queries": 10,
    "dashboard_p95_ms_10": 500,
    "csv_seconds": 3,
    "csv_extra_mb": 50,
    "xlsx_seconds": 20,
    "page_kb_compressed": 60,
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = int(time.time()) + 3600
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wrk(url: str, cookie: str, connections: int, seconds: int = 10) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests, duration_us, p50, p95, p99, errors = re.search(
        r"BENCH (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", output
    ).groups()
    return {
        "connections": connections,
        "requests_per_second": round(int(requests) / (int(duration_us) / 1e6), 1),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "errors": int(errors),
    }


def quiz_posts(base: str, cookies: list[tuple[str, str, int]], connections: int, seconds: int = 10) -> dict:
    """Each client answers question 1 of its own attempt again and again (GET the page, POST an answer)."""
    latencies, stop, errors = [], time.monotonic() + seconds, [0]
    lock = threading.Lock()

    def client(cookie, path, option_id):
        token = secrets.token_hex(16)
        headers = {
            "Cookie": f"{cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base + path,
        }
        body = f"csrfmiddlewaretoken={token}&answer={option_id}".encode()
        opener = urllib.request.build_opener(NoRedirect)
        while time.monotonic() < stop:
            for method in ("GET", "POST"):
                started = time.perf_counter()
                request = urllib.request.Request(
                    base + path, data=body if method == "POST" else None, headers=headers, method=method
                )
                try:
                    with opener.open(request, timeout=10) as response:
                        response.read()
                        ok = response.status in (200, 302)
                except urllib.error.HTTPError as error:
                    ok = error.code == 302
                except OSError:
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=cookies[i % len(cookies)]) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2)

    return {
        "connections": connections,
        "requests_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors[0],
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def report_generation(rows: int) -> dict:
    """CSV and XLSX for `rows` people, each in a fresh process with its own SQLite database."""
    database = BENCH / "report.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    if not database.exists():
        subprocess.run(
            [sys.executable, str(BENCH / "report_probe.py"), "seed", str(rows)], env=env, check=True, cwd=ROOT
        )
    results = {}
    for kind in ("csv", "xlsx"):
        output = subprocess.run(
            [sys.executable, str(BENCH / "report_probe.py"), kind],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        results[kind] = json.loads(output.strip().splitlines()[-1])
    return results


def main() -> int:
    started = time.monotonic()
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Attempt, Cycle
    from assessments.services import start_attempt
    from bench.seed import seed

    seeded = seed()
    User = get_user_model()
    cycle = Cycle.objects.current()
    staff = User.objects.get(username="bench00001")
    hr = User.objects.get(username="bench00002")
    from django.contrib.auth.models import Group

    hr.groups.add(Group.objects.get(name="HR"))
    quiz_users = list(User.objects.filter(username__startswith="bench").order_by("pk")[10:60])
    quiz_clients = []
    for user in quiz_users:
        Attempt.objects.filter(user=user, cycle=cycle, status="in_progress").delete()
        attempt = start_attempt(user=user, cycle=cycle, language="en")
        option_id = attempt.answers.get(position=1).option_order[0]
        quiz_clients.append((session_cookie(user), f"/en/quiz/{attempt.pk}/question/1/", option_id))
    staff_cookie, hr_cookie = session_cookie(staff), session_cookie(hr)

    from django.test import Client

    probe = Client()
    probe.force_login(hr)
    probe.get("/en/hr/")
    from django.core.cache import cache

    cache.clear()  # count the queries of the page as it is built, not of the cached figures
    with CaptureQueriesContext(connection) as queries:
        probe.get("/en/hr/")
    dashboard_queries = len(queries)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        page = urllib.request.Request(base + "/en/guidance/introduction/", headers={"Cookie": staff_cookie})
        html = urllib.request.urlopen(page).read()
        css = re.search(rb'href="(/static/css/[^"]+)"', html).group(1).decode()
        js = re.search(rb'src="(/static/js/[^"]+)"', html).group(1).decode()
        js_module = urllib.request.urlopen(base + js).read()
        imported = re.search(rb'from"?\s*"\./([^"]+)"', js_module) or re.search(
            rb"from\s*['\"]\./([^'\"]+)['\"]", js_module
        )
        assets = [css, js] + ([js.rsplit("/", 1)[0] + "/" + imported.group(1).decode()] if imported else [])
        compressed = 0
        import gzip

        compressed += len(gzip.compress(html))  # as a proxy or load balancer would send it
        for asset in assets:
            request = urllib.request.Request(base + asset, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                compressed += len(response.read())
        floor_url = f"{base}/bench/floor/?size={len(html)}"
        endpoints = {
            "floor": floor_url,
            "guidance_section_en": base + "/en/guidance/introduction/",
            "guidance_section_cy": base + "/cy/canllawiau/cyflwyniad/",
            "guidance_principle_en": base + "/en/guidance/principles/security/",
            "guidance_principle_cy": base + "/cy/canllawiau/egwyddorion/diogelwch/",
            "quiz_question_get": base + quiz_clients[0][1],
        }
        results = {}
        for name, url in endpoints.items():
            cookie = quiz_clients[0][0] if name == "quiz_question_get" else staff_cookie
            results[name] = {f"c{c}": wrk(url, cookie, c) for c in (10, 50)}
        results["hr_dashboard"] = {"c10": wrk(base + "/en/hr/", hr_cookie, 10)}
        results["quiz_answer_flow"] = {f"c{c}": quiz_posts(base, quiz_clients, c) for c in (10, 50)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    floor = {key: value["requests_per_second"] for key, value in results["floor"].items()}
    for name, runs in results.items():
        for key, run in runs.items():
            if name != "floor" and key in floor:
                run["ratio_to_floor"] = round(run["requests_per_second"] / floor[key], 3)
    reports = report_generation(100_000)
    guidance = [results[name]["c50"] for name in results if name.startswith("guidance_")]
    checks = {
        "guidance_ratio_to_floor": min(run["ratio_to_floor"] for run in guidance) >= TARGETS["guidance_ratio_to_floor"],
        "guidance_p95_ms_50": max(run["p95_ms"] for run in guidance) < TARGETS["guidance_p95_ms_50"],
        "quiz_p95_ms_50": max(
            results["quiz_question_get"]["c50"]["p95_ms"], results["quiz_answer_flow"]["c50"]["p95_ms"]
        )
        < TARGETS["quiz_p95_ms_50"],
        "quiz_p95_ms_10": max(
            results["quiz_question_get"]["c10"]["p95_ms"], results["quiz_answer_flow"]["c10"]["p95_ms"]
        )
        < TARGETS["quiz_p95_ms_10"],
        "dashboard_queries": dashboard_queries <= TARGETS["dashboard_queries"],
        "dashboard_p95_ms_10": results["hr_dashboard"]["c10"]["p95_ms"] < TARGETS["dashboard_p95_ms_10"],
        "csv_seconds": reports["csv"]["seconds"] < TARGETS["csv_seconds"],
        "csv_extra_mb": reports["csv"]["extra_peak_mb"] < TARGETS["csv_extra_mb"],
        "xlsx_seconds": reports["xlsx"]["seconds"] < TARGETS["xlsx_seconds"],
        "page_kb_compressed": compressed / 1024 <= TARGETS["page_kb_compressed"],
    }
    summary = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        },
        "data": seeded,
        "endpoints": results,
        "reports_100k_rows": reports,
        "hr_dashboard_queries": dashboard_queries,
        "guidance_page_bytes_compressed": compressed,
        "targets": TARGETS,
        "targets_met": checks,
        "seconds": round(time.monotonic() - started, 1),
    }
    text = json.dumps(summary, indent=2)
    (BENCH / "results.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
