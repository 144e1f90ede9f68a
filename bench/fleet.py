"""`make fleet`: three portal instances behind HAProxy, with the worker and Prometheus, through a crash, a rolling
deploy, a publish and a sign-in lockout, under ten people's load.

The private PostgreSQL, Redis and SMTP sink are `make faults`'s (bench/faults_services.py), and so are the people
(bench/faults_load.py: they read the guidance in both languages, answer the quiz and confirm the declaration through
HAProxy). Each instance is gunicorn with deploy/gunicorn.conf.py, its own drain file and metrics directory; HAProxy
checks /readyz every second. Steps, one JSON line each (printed and written to bench/fleet.json):

kill            one instance gets SIGKILL mid-load: people's errors (5xx or no answer) counted; HAProxy retries
                idempotent GETs elsewhere, so only a POST in flight can be lost. The instance is then started again.
rolling_deploy  each instance in turn: drain file → /readyz 503 → HAProxy marks it DOWN → the requests it holds finish
                → SIGTERM (graceful) → started again → UP. Target: 0 errors.
publish         a new guidance version is published; then every section page, both languages, is read through every
                instance at once: each must show the new text.
lockout         7 wrong passwords, spread over the instances, then the right one on each: refused everywhere.
prometheus      what the real Prometheus scraped from the fleet, through its query API.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults_load import Person, Record  # noqa: E402
from bench.faults_services import Postgres, Redis, Service, SmtpSink, free_port  # noqa: E402
from bench.fleet_services import HAProxy, Instance, Prometheus, wait_until  # noqa: E402

PEOPLE = int(os.environ.get("FLEET_PEOPLE", "10"))
POOL = int(os.environ.get("FLEET_POOL", "900"))
ALL_STEPS = "kill,rolling_deploy,publish,lockout,prometheus"
LOAD = float(os.environ.get("FLEET_LOAD_SECONDS", "5"))  # load before and after each event


def log(message: str) -> None:
    print(f"fleet: {message}", file=sys.stderr, flush=True)


class Fleet:
    def __init__(self, tmp: Path, stack: contextlib.ExitStack):
        (tmp / "logs").mkdir()
        (tmp / "redis").mkdir()
        self.tmp = tmp
        self.postgres = Postgres().init()
        stack.callback(self.postgres.close)
        self.postgres.start()
        self.postgres.create_database("portal")
        self.redis = Redis(tmp / "redis")
        stack.callback(self.redis.close)
        self.redis.start()
        self.sink = SmtpSink()
        stack.callback(self.sink.close)
        self.sink.start()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": self.postgres.url("portal"), "REDIS_URL": self.redis.url,
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.sink.port), "EMAIL_USE_TLS": "0",
            "PORTAL_BASE_URL": self.base, "LOG_LEVEL": "WARNING", "TRUSTED_PROXY_COUNT": "0",
        }  # fmt: skip
        for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["setup_portal"]):
            self.django(str(ROOT / "manage.py"), *args, "--verbosity", "0")
        self.shared = self.django(str(ROOT / "bench" / "faults_django.py"), "people", str(POOL))
        self.pool = list(reversed(self.shared.pop("people")))
        self.instances = [Instance(f"portal{n}", free_port(), self.env, tmp) for n in (1, 2, 3)]
        for instance in self.instances:
            stack.callback(instance.close)
            instance.start()
        self.worker = Service("worker", [sys.executable, "manage.py", "run_worker"], env=self.env, cwd=ROOT,
                              log=tmp / "logs" / "worker.log")  # fmt: skip
        stack.callback(self.worker.close)
        self.worker.start()
        self.haproxy = HAProxy(self.port, self.instances, tmp)
        stack.callback(self.haproxy.close)
        self.haproxy.start()
        self.prometheus = Prometheus(free_port(), self.instances, tmp)
        stack.callback(self.prometheus.close)
        self.prometheus.start()
        for instance in self.instances:
            self.warm(instance)
            self.wait_status(instance, "UP")

    def warm(self, instance: Instance) -> None:
        """Every page the people read, on each of the instance's workers, before it takes their load: a new process
        builds its fragments and imports on first use (seconds on this shared machine)."""
        paths = [p for language in ("en", "cy") for p in self.shared["urls"][language]["read"]]
        cookie = self.pool[-1]["cookie"]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda path: fetch(instance.port, path, cookie), paths * 4))

    def django(self, *args: str):
        import subprocess

        output = subprocess.run([sys.executable, *args], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if output.returncode:
            raise RuntimeError(f"{' '.join(args[-2:])} failed:\n{output.stderr[-3000:]}")
        with contextlib.suppress(IndexError, ValueError):
            return json.loads(output.stdout.strip().splitlines()[-1])
        return None

    def wait_status(self, instance: Instance, status: str, seconds: float = 30) -> float:
        started = time.monotonic()
        wait_until(lambda: self.haproxy.status(instance.name).startswith(status), seconds, f"{instance.name} {status}")
        return time.monotonic() - started

    @contextlib.contextmanager
    def load(self):
        """Ten people at work through HAProxy for the block's duration; yields their record."""
        record, stop = Record(), threading.Event()
        people = [Person(i, self.base, self.pool, self.shared, record, stop) for i in range(PEOPLE)]
        for person in people:
            person.start()
        try:
            time.sleep(LOAD)
            yield record
            time.sleep(LOAD)
        finally:
            stop.set()
            for person in people:
                person.join(15)

    def retries(self) -> int:
        return sum(int(row.get("wretr") or 0) + int(row.get("wredis") or 0) for row in self.haproxy.servers().values())


def errors(record: Record) -> int:
    return sum(1 for event in record.events if event[3] == "error")


def kill_step(fleet: Fleet) -> dict:
    victim = fleet.instances[0]
    retries_before = fleet.retries()
    with fleet.load() as record:
        killed_at = time.monotonic()
        victim.kill()
        out_after = fleet.wait_status(victim, "DOWN")
    requests, lost = len(record.events), errors(record)
    victim.drain_file.touch()
    victim.start()
    fleet.warm(victim)
    victim.drain_file.unlink()
    back_after = fleet.wait_status(victim, "UP")
    return {"step": "kill", "instance": victim.name, "requests": requests, "errors_seen_by_people": lost,
            "haproxy_retries_and_redispatches": fleet.retries() - retries_before,
            "seconds_until_haproxy_took_it_out": round(out_after, 2),
            "seconds_until_back_in_after_restart": round(back_after, 2),
            "seconds_of_load": round(time.monotonic() - killed_at, 1), "targets_met": lost <= PEOPLE}  # fmt: skip


def rolling_deploy_step(fleet: Fleet) -> dict:
    timings = []
    with fleet.load() as record:
        for instance in fleet.instances:
            started = time.monotonic()
            instance.drain_file.touch()
            out = fleet.wait_status(instance, "DOWN")
            wait_until(lambda i=instance: fleet.haproxy.servers()[i.name]["scur"] == "0", 60, "in-flight to finish")
            instance.stop_gracefully()
            instance.start()  # with the drain file still there: not ready until warmed
            fleet.warm(instance)
            instance.drain_file.unlink()
            fleet.wait_status(instance, "UP")
            timings.append({"instance": instance.name, "seconds_to_drain": round(out, 2),
                            "seconds_total": round(time.monotonic() - started, 2)})  # fmt: skip
    lost = errors(record)
    return {"step": "rolling_deploy", "requests": len(record.events), "errors_seen_by_people": lost,
            "instances": timings, "targets_met": lost == 0}  # fmt: skip


def fetch(port: int, path: str, cookie: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, text if response.status != 302 else f"redirect to {response.getheader('Location')}"
    finally:
        connection.close()


def publish_step(fleet: Fleet) -> dict:
    mark = f"fleet-mark-{secrets.token_hex(4)}"
    cookie = fleet.shared_reader_cookie
    published = fleet.django(str(ROOT / "bench" / "fleet_django.py"), "publish", mark)
    jobs = [(instance, path) for instance in fleet.instances for path in published["pages"]]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(lambda job: (job[0].name, *fetch(job[0].port, job[1], cookie)), jobs))
    stale = [(name, status, html[:80]) for name, status, html in answers if status != 200 or mark not in html]
    return {"step": "publish", "version": published["version"], "pages_read": len(answers),
            "instances": len(fleet.instances), "pages_with_new_text": len(answers) - len(stale),
            "stale_or_failed": stale[:5], "targets_met": not stale}  # fmt: skip


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(port: int, username: str, password: str) -> tuple[int, str]:
    """The sign-in form on one instance: (status, where it sends the person)."""
    status, html = 0, ""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/en/sign-in/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    html = response.read().decode()
    cookie = "; ".join(v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": CSRF.search(html).group(1), "username": username, "password": password}
    )
    headers = {"Host": "127.0.0.1", "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://127.0.0.1:{port}/en/sign-in/"}  # fmt: skip
    connection.request("POST", "/en/sign-in/", body=form, headers=headers)
    response = connection.getresponse()
    response.read()
    status = response.status
    connection.close()
    return status, response.getheader("Location") or ""


def lockout_step(fleet: Fleet) -> dict:
    account = fleet.django(str(ROOT / "bench" / "fleet_django.py"), "password_user")
    wrong = [sign_in(fleet.instances[n % 3].port, account["username"], "not-the-password")[0] for n in range(7)]
    right = [sign_in(instance.port, account["username"], account["password"]) for instance in fleet.instances]
    signed_in = [
        instance.name for instance, (status, _where) in zip(fleet.instances, right, strict=True) if status == 302
    ]
    return {"step": "lockout", "wrong_passwords": len(wrong), "answers_to_wrong": wrong,
            "right_password_answers": [status for status, _where in right], "instances_that_let_them_in": signed_in,
            "targets_met": not signed_in}  # fmt: skip


def prometheus_step(fleet: Fleet) -> dict:
    def scalar(expression: str):
        result = fleet.prometheus.query(expression)
        return {json.dumps(r["metric"], sort_keys=True) if r["metric"] else "": float(r["value"][1]) for r in result}

    figures = {
        "instances_up": scalar('sum(up{job="portal"})'),
        "responses_by_class": scalar('sum by (status_class) (portal_responses_total{job="portal"})'),
        "p95_seconds_by_view_top5": scalar(
            "topk(5, histogram_quantile(0.95, sum by (view, le) (rate(portal_request_duration_seconds_bucket[5m]))))"
        ),
        "outbox_queued": scalar('max(portal_outbox_queued_messages{job="portal"})'),
        "outbox_oldest_seconds": scalar('max(portal_outbox_oldest_queued_seconds{job="portal"})'),
        "deliveries_failed": scalar('max(portal_outbox_failed_messages{job="portal"})'),
        "worker_heartbeat_age_seconds": scalar('min(portal_worker_heartbeat_age_seconds{job="portal"})'),
        "cache_breakers_open": scalar('sum(portal_cache_breaker_open{job="portal"})'),
        "alerts_firing": scalar('count by (alertname) (ALERTS{alertstate="firing"})'),
    }
    return {"step": "prometheus", **figures,
            "targets_met": figures["instances_up"].get("") == len(fleet.instances)}  # fmt: skip


def main() -> int:
    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="portal-fleet-"))
    lines = []
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        if os.environ.get("FLEET_KEEP_LOGS"):  # for finding out why a step failed
            stack.callback(shutil.copytree, tmp / "logs", os.environ["FLEET_KEEP_LOGS"], dirs_exist_ok=True)
        log(f"starting PostgreSQL, Redis, SMTP sink, three instances, the worker, HAProxy and Prometheus in {tmp}")
        fleet = Fleet(tmp, stack)
        fleet.shared_reader_cookie = fleet.pool[0]["cookie"]
        log(f"HAProxy on {fleet.base}; instances on ports {[i.port for i in fleet.instances]}")
        for step in (kill_step, rolling_deploy_step, publish_step, lockout_step, prometheus_step):
            if step.__name__.removesuffix("_step") not in os.environ.get("FLEET_STEPS", ALL_STEPS).split(","):
                continue
            log(step.__name__)
            result = step(fleet)
            line = json.dumps(result, ensure_ascii=False)
            print(line, flush=True)
            lines.append(line)
    if os.environ.get("FLEET_STEPS", ALL_STEPS) == ALL_STEPS:  # a partial run leaves the recorded figures alone
        (ROOT / "bench" / "fleet.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = [json.loads(line) for line in lines]
    all_met = all(result["targets_met"] for result in results)
    print(f"fleet: {'all targets met' if all_met else 'TARGETS MISSED'} in {time.monotonic() - started:.0f} s")
    for result in results:
        print(f"  {result['step']:15} {'met' if result['targets_met'] else 'MISSED'}")
    return 0 if all_met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("fleet: interrupted; everything it started has been stopped", file=sys.stderr)
        sys.exit(130)
