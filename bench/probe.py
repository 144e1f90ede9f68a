"""The Django side of `make bench`: one command per run, in a fresh process, against the database in DATABASE_URL.

`bench/run.py` starts `python bench/probe.py COMMAND [ARGS]` with the environment of the database being measured;
the probe prints one JSON object on its last line. A new measurement is a function registered with `@command`.
"""

import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

COMMANDS = {}


def command(function):
    COMMANDS[function.__name__.replace("_", "-")] = function
    return function


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "portal.backends.StaffBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = int(time.time()) + 3600
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def hr_person(username: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal.roles import HR

    hr = get_user_model().objects.get(username=username)
    hr.groups.add(Group.objects.get(name=HR))
    return hr


def analyze() -> None:
    """Fresh table statistics after a bulk load, as autovacuum gives a live database soon after one: without them
    PostgreSQL plans for the empty tables it last saw."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@command
def migrate():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    return {}


@command
def seed_staff(staff: str, cycles: str = "3", completion: str = "0.8"):
    from bench.seed import seed

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = seed(staff=int(staff), cycles=int(cycles), completion=float(completion))
    analyze()
    return {**counts, "seed_seconds": round(time.perf_counter() - started, 1)}


@command
def prepare_pages(quiz_clients: str = "50"):
    """Signed-in cookies for one member of staff, one HR officer and the quiz clients, each with an open attempt."""
    from django.contrib.auth import get_user_model

    from assessments.models import Attempt
    from assessments.services import start_attempt
    from cycles.models import Cycle

    User = get_user_model()
    cycle = Cycle.objects.current()
    staff = User.objects.get(username="bench00001")
    hr = hr_person("bench00002")
    clients = []
    for user in User.objects.filter(username__startswith="bench").order_by("pk")[10 : 10 + int(quiz_clients)]:
        Attempt.objects.filter(user=user, cycle=cycle, status="in_progress").delete()
        attempt = start_attempt(user=user, cycle=cycle, language="en")
        option_id = attempt.answers.get(position=1).option_order[0]
        clients.append((session_cookie(user), f"/en/quiz/{attempt.pk}/question/1/", option_id))
    return {"staff_cookie": session_cookie(staff), "hr_cookie": session_cookie(hr), "quiz_clients": clients}


@command
def dashboard(repeats: str = "3"):
    """The HR dashboard built from nothing: its queries (with its figures and page uncached) and how long it takes."""
    from django.db import connection
    from django.test import Client

    from portal.models import User
    from reporting.selectors import forget_dashboard

    hr = hr_person("bench00002")
    client = Client()
    client.force_login(hr)
    client.get("/en/hr/")
    timings, queries = [], []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for _ in range(int(repeats)):
        # What a declaration or an import does: every cached figure (and so the page drawn from them) is retired.
        forget_dashboard()
        queries.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get("/en/hr/")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        # The figures were really worked out again, not read from the cache: the rebuild's queries ran.
        assert any("acknowledgement" in sql.lower() for sql in queries), queries
    uncached = len(queries)
    queries.clear()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        client.get("/en/hr/")
        cached = time.perf_counter() - started
    return {
        "staff": User.objects.filter(username__startswith="bench").count(),
        "uncached_queries": uncached,
        "uncached_ms_median": round(sorted(timings)[len(timings) // 2] * 1000, 1),
        "cached_ms": round(cached * 1000, 1),
        "cached_queries": len(queries),
    }


@command
def seed_report_rows(rows: str):
    from bench.seed import seed_report_rows

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed_report_rows(rows=int(rows))
    analyze()
    return {"rows": int(rows), "seed_seconds": round(time.perf_counter() - started, 1)}


@command
def report(kind: str):
    """One report (csv or xlsx) for everyone in the current cycle: seconds and the memory it adds at its peak."""
    from cycles.models import Cycle
    from reporting import exports, workbook

    cycle = Cycle.objects.current()
    reset_peak()
    before = memory_mb("VmRSS")  # after Django, the connection and the cycle: what the report adds on top
    started = time.perf_counter()
    count = 0
    if kind == "csv":
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for line in exports.csv_lines(cycle=cycle):
                sink.write(line)
                count += 1
    else:
        output = workbook.xlsx_file(cycle=cycle)
        count = sum(len(chunk) for chunk in iter(lambda: output.read(1 << 20), b""))
    seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    return {
        "seconds": round(seconds, 2),
        "extra_peak_mb": round(peak - before, 1),
        "peak_mb": round(peak, 1),
        ("lines" if kind == "csv" else "bytes"): count,
    }


@command
def reminder_emails():
    """The reminder schedule's run for today (everyone outstanding), then the worker until the outbox is empty."""
    from django.db import connection

    from cycles.models import Cycle
    from outbox.models import OutgoingEmail
    from outbox.worker import make_worker
    from reporting.reminders import send_for_day

    cycle = Cycle.objects.current()
    started = time.perf_counter()
    plan = send_for_day(cycle=cycle)
    queued = time.perf_counter() - started
    worker = make_worker()
    while OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).exists():
        worker.run()
        if time.perf_counter() - started > 600:
            break
    seconds = time.perf_counter() - started
    statuses = dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    connection.close()
    return {
        "emails": statuses.get(OutgoingEmail.Status.SENT, 0),
        "planned": plan.total,
        "statuses": statuses,
        "queue_seconds": round(queued, 1),
        "seconds": round(seconds, 1),
    }


@command
def profile(name: str, path: str, requests: str = "200", method: str = "GET"):
    """pyinstrument over `requests` requests of one page (in-process, production settings): the top of the tree."""
    from django.test import Client
    from pyinstrument import Profiler

    from portal.models import User

    user = hr_person("bench00002") if name.startswith("hr") else User.objects.get(username="bench00011")
    client = Client()
    client.force_login(user)
    if path == "quiz":
        path = quiz_path(user)
    answer = {"answer": quiz_answer(user)} if method == "POST" else None
    client.get(path)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(int(requests)):
            if answer:
                client.post(path, answer)
            else:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
    elapsed = time.perf_counter() - started
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    out = Path(__file__).resolve().parent / "profiles"
    out.mkdir(exist_ok=True)
    database = os.environ["DATABASE_URL"].split(":", 1)[0].replace("postgresql", "postgres")
    (out / f"{database}-{name}.txt").write_text(text, encoding="utf-8")
    return {"ms_per_request": round(elapsed * 1000 / int(requests), 2), "profile": str(out / f"{database}-{name}.txt")}


@command
def profile_report(kind: str):
    """pyinstrument over one report (csv or xlsx) of everyone in the current cycle: the top of the tree."""
    from pyinstrument import Profiler

    from cycles.models import Cycle
    from reporting import exports, workbook

    cycle = Cycle.objects.current()
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    with profiler:
        if kind == "csv":
            for _line in exports.csv_lines(cycle=cycle):
                pass
        else:
            workbook.xlsx_file(cycle=cycle).close()
    elapsed = time.perf_counter() - started
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    out = Path(__file__).resolve().parent / "profiles"
    out.mkdir(exist_ok=True)
    database = os.environ["DATABASE_URL"].split(":", 1)[0].replace("postgresql", "postgres")
    path = out / f"{database}-report_{kind}.txt"
    path.write_text(text, encoding="utf-8")
    return {"ms_per_request": round(elapsed * 1000), "profile": str(path)}


def quiz_path(user) -> str:
    from assessments.models import Attempt
    from assessments.services import start_attempt
    from cycles.models import Cycle

    cycle = Cycle.objects.current()
    attempt = Attempt.objects.filter(user=user, cycle=cycle, status="in_progress").first()
    attempt = attempt or start_attempt(user=user, cycle=cycle, language="en")
    return f"/en/quiz/{attempt.pk}/question/1/"


def quiz_answer(user) -> int:
    from assessments.models import Attempt

    attempt = Attempt.objects.filter(user=user, status="in_progress").first()
    return attempt.answers.get(position=1).option_order[0]


def main() -> None:
    name, *args = sys.argv[1:]
    result = COMMANDS[name](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
