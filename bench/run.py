"""`make bench`: the portal at civil-service scale on SQLite and in the production shape (PostgreSQL + Redis).

For each database (`BENCH_DB=sqlite`, `postgres` or both, the default) the benchmark builds databases of its own
(SQLite files in bench/; PostgreSQL databases named `portal_bench_*` on the local server, created here and dropped at
the end), points the cache at a Redis db number of its own for the PostgreSQL run, and runs the STEPS in order. Each
step drives Django only through `bench/probe.py` subprocesses and gunicorn, so every measurement runs in a fresh
process with the database's own settings. Results are printed and written to bench/results.json, which keeps the
figures of both databases (a run of one replaces only that one's).

Sizes and durations come from the environment, so the benchmark can be tried small (see CONFIG):
`BENCH_SECONDS=2 BENCH_STAFF=300 BENCH_LARGE_STAFF=600 BENCH_REPORT_ROWS=2000 BENCH_EMAILS=100 make bench`.
To add a measurement: write a function `step(target) -> dict` and append it to STEPS (and its checks to `checks`).
"""

import datetime
import gzip
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.import_probe import step_imports  # noqa: E402
from bench.load import quiz_posts, wrk  # noqa: E402


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


CONFIG = {
    "databases": [name for name in os.environ.get("BENCH_DB", "sqlite,postgres").split(",") if name],
    "seconds": env_int("BENCH_SECONDS", 10),  # per wrk run
    "connections": [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "10").split(",")],
    "staff": env_int("BENCH_STAFF", 6000),
    "large_staff": env_int("BENCH_LARGE_STAFF", 60000),  # 0 leaves the second size out
    "report_rows": env_int("BENCH_REPORT_ROWS", 100_000),
    "emails": env_int("BENCH_EMAILS", 6000),
    "steps": [name for name in os.environ.get("BENCH_STEPS", "").split(",") if name],  # empty: all
    "postgres_server": os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    "redis_url": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
}

# Ratios are to the floor measured in the same run, at 10 connections.
TARGETS = {
    "guidance_ratio": 0.5,
    "quiz_get_ratio": 0.3,
    "quiz_flow_ratio": 0.3,
    "dashboard_cached_ratio": 0.2,
    "dashboard_queries": 10,
    "csv_seconds": 2,
    "csv_extra_mb": 50,
    "xlsx_seconds": 10,
    "xlsx_growth_mb": 20,  # extra peak at the full size minus extra peak at a tenth of it: flat memory
    "emails_seconds": 60,
    "page_kb_compressed": 60,
    "import_6000_seconds": 3,  # confirming the staff list (check and write), issue 13
    "import_60000_seconds": 25,
}

BASE_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "BENCH_FLOOR_VIEW": "1",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


class Target:
    """One database shape: where each role's database lives, the cache, and creating and dropping them."""

    ROLES = ("pages", "large", "reports", "reports_tenth", "emails", "imports", "imports_large")

    def __init__(self, name: str):
        self.name = name
        self.redis_url = CONFIG["redis_url"] if name == "postgres" else ""

    def database_url(self, role: str) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{BENCH / f'bench-{role}.sqlite3'}"
        return f"{CONFIG['postgres_server']}/{self.postgres_name(role)}"

    @staticmethod
    def postgres_name(role: str) -> str:
        # The process id keeps two benchmarks on one server (two worktrees) from dropping each other's databases.
        return f"portal_bench_{os.getpid()}_{role}"

    def env(self, role: str) -> dict:
        extra = {"DATABASE_URL": self.database_url(role)}
        if self.redis_url:
            extra["REDIS_URL"] = self.redis_url
        return {**os.environ, **BASE_ENV, **extra}

    def create(self) -> None:
        for role in self.ROLES:
            if self.name == "sqlite":
                for path in BENCH.glob(f"bench-{role}.sqlite3*"):
                    path.unlink()
            else:
                self._postgres(f'DROP DATABASE IF EXISTS "{self.postgres_name(role)}" WITH (FORCE)')
                self._postgres(f'CREATE DATABASE "{self.postgres_name(role)}"')
        self.clear_cache()

    def drop(self) -> None:
        if self.name == "postgres":
            for role in self.ROLES:
                self._postgres(f'DROP DATABASE IF EXISTS "{self.postgres_name(role)}" WITH (FORCE)')
        self.clear_cache()

    def clear_cache(self) -> None:
        """Empties the benchmark's own Redis db number (FLUSHDB of that number only, never FLUSHALL)."""
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()

    def _postgres(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{CONFIG['postgres_server']}/postgres", autocommit=True) as connection:
            connection.execute(statement)


def probe(target: Target, role: str, *args, env: dict | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, str(BENCH / "probe.py"), *map(str, args)],
        env={**target.env(role), **(env or {})},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """Two sync workers on loopback with production settings, as the README's deployment runs them."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )  # fmt: skip
        for _attempt in range(150):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def page_weight(base: str, cookie: str) -> int:
    """The guidance page (gzipped, as a proxy would send it) plus its CSS and JavaScript, in bytes."""
    html = urllib.request.urlopen(
        urllib.request.Request(base + "/en/guidance/introduction/", headers={"Cookie": cookie})
    ).read()
    assets = [m.decode() for m in re.findall(rb'(?:href|src)="(/static/(?:css|js)/[^"]+)"', html)]
    for asset in list(assets):
        if asset.endswith(".js"):
            module = urllib.request.urlopen(base + asset).read()
            assets += [
                asset.rsplit("/", 1)[0] + "/" + name.decode() for name in re.findall(rb'from\s*"\./([^"]+)"', module)
            ]
    total = len(gzip.compress(html))
    for asset in dict.fromkeys(assets):
        with urllib.request.urlopen(
            urllib.request.Request(base + asset, headers={"Accept-Encoding": "gzip"})
        ) as response:
            total += len(response.read())
    return total  # fmt: skip


def step_pages(target: Target) -> dict:
    """Signed-in pages under wrk, the quiz's GET and POST under the threaded client, each against the floor."""
    data = probe(target, "pages", "seed-staff", CONFIG["staff"])
    probe(target, "pages", "migrate")  # and collectstatic, for whitenoise
    people = probe(target, "pages", "prepare-pages")
    quiz_clients, staff_cookie = people["quiz_clients"], people["staff_cookie"]
    seconds, results = CONFIG["seconds"], {}
    with Gunicorn(target.env("pages")) as server:
        base = server.base
        weight = page_weight(base, staff_cookie)
        size = len(urllib.request.urlopen(urllib.request.Request(base + "/en/guidance/introduction/", headers={"Cookie": staff_cookie})).read())  # fmt: skip
        endpoints = {
            "floor": (f"{base}/bench/floor/?size={size}", staff_cookie),
            "guidance_section_en": (base + "/en/guidance/introduction/", staff_cookie),
            "guidance_section_cy": (base + "/cy/canllawiau/cyflwyniad/", staff_cookie),
            "guidance_principle_en": (base + "/en/guidance/principles/security/", staff_cookie),
            "guidance_principle_cy": (base + "/cy/canllawiau/egwyddorion/diogelwch/", staff_cookie),
            "quiz_question_get": (base + quiz_clients[0][1], quiz_clients[0][0]),
            "hr_dashboard": (base + "/en/hr/", people["hr_cookie"]),
        }
        for name, (url, cookie) in endpoints.items():
            results[name] = {f"c{c}": wrk(url, cookie, c, seconds) for c in CONFIG["connections"]}
        results["quiz_answer_flow"] = {
            f"c{c}": quiz_posts(base, quiz_clients, c, seconds) for c in CONFIG["connections"]
        }
    floor = {key: run["requests_per_second"] for key, run in results["floor"].items()}
    for name, runs in results.items():
        for key, run in runs.items():
            if name != "floor":
                run["ratio_to_floor"] = round(run["requests_per_second"] / floor[key], 3)
    return {"data": data, "endpoints": results, "guidance_page_bytes_compressed": weight}


def step_dashboard(target: Target) -> dict:
    """The HR dashboard built with an empty cache, at the benchmark's size and at the second, larger size."""
    sizes = {str(CONFIG["staff"]): probe(target, "pages", "dashboard")}
    if CONFIG["large_staff"]:
        target.clear_cache()
        seeded = probe(target, "large", "seed-staff", CONFIG["large_staff"], 1)
        sizes[str(CONFIG["large_staff"])] = {
            **probe(target, "large", "dashboard"),
            "seed_seconds": seeded["seed_seconds"],
        }
    return {"sizes": sizes}


def step_reports(target: Target) -> dict:
    """CSV and XLSX of everyone: at the full size, and XLSX at a tenth of it to see that its memory stays flat."""
    rows = CONFIG["report_rows"]
    probe(target, "reports", "seed-report-rows", rows)
    probe(target, "reports_tenth", "seed-report-rows", max(rows // 10, 1))
    return {
        "rows": rows,
        "csv": probe(target, "reports", "report", "csv"),
        "xlsx": probe(target, "reports", "report", "xlsx"),
        "xlsx_tenth": probe(target, "reports_tenth", "report", "xlsx"),
    }


class SmtpSink:
    """An SMTP server on loopback (aiosmtpd) that takes every message and counts it."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def step_emails(target: Target) -> dict:
    """Reminders for everyone outstanding, generated by the schedule into the outbox and delivered by the worker to
    an SMTP sink: the time from the schedule's run to the last message the sink took."""
    if not (ROOT / "outbox").is_dir():
        return {"skipped": "the outbox app is not on this branch yet"}
    probe(target, "emails", "seed-staff", CONFIG["emails"], 1, 0)
    with SmtpSink() as sink:
        port = sink.controller.port
        mail = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
        result = probe(target, "emails", "reminder-emails", env=mail)
        return {**result, "sink_received": sink.messages}


STEPS = {
    "pages": step_pages,
    "dashboard": step_dashboard,
    "reports": step_reports,
    "emails": step_emails,
    "imports": step_imports,
}


def checks(result: dict) -> dict:
    """Each target met (True), missed (False) or not measured in this run (None)."""
    met = {}
    if "pages" in result:
        runs = {name: r.get("c10") for name, r in result["pages"]["endpoints"].items()}
        guidance = [run for name, run in runs.items() if name.startswith("guidance_") and run]
        if guidance:
            met["guidance_ratio"] = min(run["ratio_to_floor"] for run in guidance) >= TARGETS["guidance_ratio"]
            met["quiz_get_ratio"] = runs["quiz_question_get"]["ratio_to_floor"] >= TARGETS["quiz_get_ratio"]
            met["quiz_flow_ratio"] = runs["quiz_answer_flow"]["ratio_to_floor"] >= TARGETS["quiz_flow_ratio"]
            met["dashboard_cached_ratio"] = runs["hr_dashboard"]["ratio_to_floor"] >= TARGETS["dashboard_cached_ratio"]
        met["page_kb_compressed"] = (
            result["pages"]["guidance_page_bytes_compressed"] / 1024 <= TARGETS["page_kb_compressed"]
        )
    if "dashboard" in result:
        met["dashboard_queries"] = all(
            size["uncached_queries"] <= TARGETS["dashboard_queries"] for size in result["dashboard"]["sizes"].values()
        )
    if "reports" in result:
        reports = result["reports"]
        met["csv_seconds"] = reports["csv"]["seconds"] < TARGETS["csv_seconds"]
        met["csv_extra_mb"] = reports["csv"]["extra_peak_mb"] < TARGETS["csv_extra_mb"]
        met["xlsx_seconds"] = reports["xlsx"]["seconds"] < TARGETS["xlsx_seconds"]
        growth = reports["xlsx"]["extra_peak_mb"] - reports["xlsx_tenth"]["extra_peak_mb"]
        met["xlsx_growth_mb"] = growth < TARGETS["xlsx_growth_mb"]
    if "emails" in result:
        seconds = result["emails"].get("seconds")
        met["emails_seconds"] = None if seconds is None else seconds < TARGETS["emails_seconds"]
    if "imports" in result:
        for rows, timing in result["imports"].items():
            key = f"import_{rows}_seconds"
            if key in TARGETS:
                met[key] = timing["first"]["confirm_seconds"] < TARGETS[key]
    return met  # fmt: skip


def run_target(name: str) -> dict:
    target = Target(name)
    started = time.monotonic()
    target.create()
    result = {"measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    try:
        for step, function in STEPS.items():
            if CONFIG["steps"] and step not in CONFIG["steps"]:
                continue
            print(f"bench: {name}: {step}", file=sys.stderr, flush=True)
            target.clear_cache()
            try:
                result[step] = function(target)
            except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
                result.setdefault("errors", {})[step] = str(error)[-500:]
    finally:
        target.drop()
    result["targets_met"] = checks(result)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def main() -> int:
    path = BENCH / "results.json"
    measured = {}
    for name in CONFIG["databases"]:
        if name not in ("sqlite", "postgres"):
            raise SystemExit(f"BENCH_DB must be sqlite, postgres or both, not {name!r}")
        measured[name] = {"config": {k: v for k, v in CONFIG.items() if k != "databases"}, **run_target(name)}
    # Read at the end, so a run of the other database meanwhile (BENCH_DB=...) keeps its figures.
    previous = json.loads(path.read_text()) if path.exists() else {}
    databases = previous.get("databases", {}) if isinstance(previous.get("databases"), dict) else {}
    databases.update(measured)
    summary = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "targets": TARGETS,
        "databases": databases,
    }
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    from bench.summary import table

    print(table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
