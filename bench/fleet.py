"""`make fleet`: three portal instances behind HAProxy, with the worker and Prometheus, through a crash, a rolling
deploy, an editor's publish and a sign-in lockout, under ten people's load.

The private PostgreSQL, Redis and SMTP sink and the set-up are `make faults`'s (bench/production.py), and so are the
people (bench/faults_load.py: they read the guidance in both languages, answer the quiz and confirm the declaration
through HAProxy). Each instance is gunicorn with deploy/gunicorn.conf.py, run from a release of the code (a copy with
a BUILD file, which /healthz reports), with its own drain file and metrics directory; HAProxy checks /readyz every
second and logs one JSON line a request with the request id it gave it. Steps, one JSON line each (printed and
written to bench/fleet.json):

kill            one instance gets SIGKILL mid-load. Target: every error a person saw was a request in flight at the
                kill (load generator's timestamps; HAProxy's log by request id) and none was a GET (HAProxy retries
                those on another instance). The instance is then started again.
rolling_deploy  a new release, each instance in turn: drain file → /readyz 503 → HAProxy marks it DOWN → the requests
                it holds finish → SIGTERM (graceful) → started on the new release → UP. Target: 0 errors, and each
                instance's /healthz names the old build before and the new one after.
publish         an editor signs in on one instance, starts a new draft in the admin, changes every section in English
                and Welsh, saves, and publishes with the consequence box ticked; every page of the new version, both
                languages, is then read through the other instances at once. Target: each shows the new text.
lockout         7 wrong passwords, spread over the instances, then the right one on each. Target: refused everywhere.
prometheus      what the real Prometheus scraped from the fleet, through its query API; HAProxy's log for the exact
                count of server errors. Target: three instances up, 0 server errors answered by the portal.
logs            each request an instance answered (HAProxy's log) found in that instance's JSON log by the request id
                HAProxy gave it. Target: all of them.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults_load import at_work  # noqa: E402
from bench.faults_services import free_port, port_open  # noqa: E402
from bench.fleet_editor import Browser, publish_as_editor  # noqa: E402
from bench.fleet_services import HAProxy, Instance, Prometheus, release, wait_until  # noqa: E402
from bench.production import Production, run  # noqa: E402

PEOPLE = int(os.environ.get("FLEET_PEOPLE", "10"))
POOL = int(os.environ.get("FLEET_POOL", "900"))
ALL_STEPS = "kill,rolling_deploy,publish,lockout,prometheus,logs"
LOAD = float(os.environ.get("FLEET_LOAD_SECONDS", "5"))  # load before and after each event
FLEET_SCRIPT = str(ROOT / "bench" / "fleet_django.py")
PROBES = 'view!~"readyz|healthz|metrics"'  # HAProxy's health checks and Prometheus's scrapes, not people's pages


def log(message: str) -> None:
    print(f"fleet: {message}", file=sys.stderr, flush=True)


class Fleet(Production):
    def __init__(self, tmp: Path, stack: contextlib.ExitStack):
        # INFO: each instance writes its JSON line a request (portal.requests), for the logs step.
        super().__init__(tmp, stack, pool=POOL, env={"TRUSTED_PROXY_COUNT": "0", "LOG_LEVEL": "INFO"})
        self.started = time.monotonic()
        self.releases = 0
        self.build, self.code = self.new_release()
        self.instances = [Instance(f"portal{n}", free_port(), self.env, tmp) for n in (1, 2, 3)]
        for instance in self.instances:
            stack.callback(instance.close)
            instance.start(self.code)
        self.worker = self.start_worker()
        self.haproxy = HAProxy(self.port, self.instances, tmp)
        stack.callback(self.haproxy.close)
        self.haproxy.start()
        self.prometheus = Prometheus(free_port(), self.instances, tmp)
        stack.callback(self.prometheus.close)
        self.prometheus.start()
        for instance in self.instances:
            self.warm(instance)
            self.wait_status(instance, "UP")

    def new_release(self) -> tuple[str, Path]:
        """The code as a deploy would lay down its next release, with a build name of its own."""
        self.releases += 1
        build = f"release-{self.releases}-{secrets.token_hex(3)}"
        return build, release(self.tmp, build)

    def warm(self, instance: Instance) -> None:
        """Every page the people read, on each of the instance's workers, before it takes their load: a new process
        builds its fragments and imports on first use (seconds on this shared machine)."""
        paths = [p for language in ("en", "cy") for p in self.shared["urls"][language]["read"]]
        cookie = self.pool[-1]["cookie"]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda path: fetch(instance.port, path, cookie), paths * 4))

    def restart(self, instance: Instance, code: Path) -> None:
        """Started on `code` with its drain file there, so HAProxy sends it nothing until it is warm."""
        instance.drain_file.touch()
        instance.start(code)
        self.warm(instance)
        instance.drain_file.unlink()

    def wait_status(self, instance: Instance, status: str, seconds: float = 30) -> float:
        started = time.monotonic()
        wait_until(lambda: self.haproxy.status(instance.name).startswith(status), seconds, f"{instance.name} {status}")
        return time.monotonic() - started

    @contextlib.contextmanager
    def load(self):
        """Ten people at work through HAProxy for the block's duration (and LOAD seconds each side); yields their
        record."""
        with at_work(self.base, self.pool, self.shared, PEOPLE) as record:
            time.sleep(LOAD)
            yield record
            time.sleep(LOAD)


def fetch(port: int, path: str, cookie: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, text if response.status != 302 else f"redirect to {response.getheader('Location')}"
    finally:
        connection.close()


def kill_step(fleet: Fleet) -> dict:
    """SIGKILL mid-load. In flight at the kill: sent before the killed instance was gone (its port refusing: until
    then the kernel still queues connections for it) and answered after the SIGKILL, by the load generator's own
    timestamps. Each error a person saw is looked up there and in HAProxy's log (by its request id)."""
    victim = fleet.instances[0]
    with fleet.load() as record:
        killed_at, killed_ms = time.monotonic(), time.time() * 1000
        victim.kill()
        wait_until(lambda: not port_open(victim.port), 10, "the killed instance's port to close", every=0.002)
        gone_at, gone_ms = time.monotonic(), time.time() * 1000
        fleet.wait_status(victim, "DOWN")
        out_after = time.monotonic() - killed_at
    fleet.restart(victim, fleet.code)
    back_after = fleet.wait_status(victim, "UP")
    seen = list(record.requests)
    in_flight = [r for r in seen if r["started"] <= gone_at and r["ended"] >= killed_at]
    logged = {line["request_id"]: line for line in fleet.haproxy.requests()}
    errors = [{"method": r["method"], "path": r["path"], "status": r["status"], "request_id": r["request_id"],
               "in_flight_at_kill": r in in_flight, "haproxy": logged.get(r["request_id"])}
              for r in seen if r["outcome"] == "error"]  # fmt: skip
    # HAProxy's view of the same moment: requests it held then that another instance answered after a retry.
    window = [line for line in logged.values()
              if line["accepted_ms"] <= gone_ms and line["accepted_ms"] + max(line["total_ms"], 0) >= killed_ms]  # fmt: skip
    retried = [line for line in window if line["retries"] != "0" and line["server"] != victim.name]
    on_victim = all(e["haproxy"] is None or e["haproxy"]["server"] == victim.name for e in errors)
    return {"step": "kill", "instance": victim.name, "requests": len(seen), "declarations_confirmed": len(record.references),
            "in_flight_at_kill": len(in_flight),
            "in_flight_at_kill_by_method": {m: sum(r["method"] == m for r in in_flight) for m in ("GET", "POST")},
            # Each with what HAProxy's log says of it: the instance that answered in the end, retries, termination.
            "in_flight_at_kill_requests": [
                {"method": r["method"], "path": r["path"], "request_id": r["request_id"], "outcome": r["outcome"],
                 **{key: logged.get(r["request_id"], {}).get(key) for key in ("server", "retries", "termination")}}
                for r in in_flight
            ],
            "errors_seen_by_people": len(errors), "errors": errors,
            "gets_retried_on_another_instance": sum(line["method"] == "GET" for line in retried),
            "seconds_until_its_port_closed": round(gone_at - killed_at, 3),
            "seconds_until_haproxy_took_it_out": round(out_after, 2),
            "seconds_until_back_in_after_restart": round(back_after, 2),
            # Every error was in flight at the kill, on the killed instance, and none a GET (HAProxy retries GETs).
            "targets_met": on_victim and all(e["in_flight_at_kill"] and e["method"] != "GET" for e in errors)}  # fmt: skip


def rolling_deploy_step(fleet: Fleet) -> dict:
    """A new release, instance by instance: drain file → /readyz 503 → HAProxy marks it DOWN → what it holds
    finishes → SIGTERM → started on the new release → warmed → UP, and /healthz names the new build."""
    build, code = fleet.new_release()
    timings = []
    with fleet.load() as record:
        for instance in fleet.instances:
            started, before = time.monotonic(), instance.build()
            instance.drain_file.touch()
            out = fleet.wait_status(instance, "DOWN")
            wait_until(lambda i=instance: fleet.haproxy.servers()[i.name]["scur"] == "0", 60, "in-flight to finish")
            instance.stop_gracefully()
            fleet.restart(instance, code)
            fleet.wait_status(instance, "UP")
            timings.append({"instance": instance.name, "build_before": before, "build_after": instance.build(),
                            "seconds_to_drain": round(out, 2),
                            "seconds_total": round(time.monotonic() - started, 2)})  # fmt: skip
    old_build, fleet.build, fleet.code = fleet.build, build, code
    lost = sum(1 for r in record.requests if r["outcome"] == "error")
    on_new_code = all(t["build_before"] == old_build and t["build_after"] == build for t in timings)
    return {"step": "rolling_deploy", "from_build": old_build, "to_build": build, "requests": len(record.requests),
            "declarations_confirmed": len(record.references), "errors_seen_by_people": lost, "every_instance_back_on_the_new_build": on_new_code,
            "instances": timings, "targets_met": lost == 0 and on_new_code}  # fmt: skip


def publish_step(fleet: Fleet) -> dict:
    """An editor publishes through the first instance's admin pages; then every page of the new version, both
    languages, is read through the other instances at once: each must show the new text."""
    mark = f"fleet-mark-{secrets.token_hex(4)}"
    account = fleet.django(FLEET_SCRIPT, "editor")
    through, readers = fleet.instances[0], fleet.instances[1:]
    started = time.monotonic()
    published = publish_as_editor(through.port, account["username"], account["password"], mark)
    seconds = time.monotonic() - started
    pages = fleet.django(FLEET_SCRIPT, "pages")
    jobs = [(instance, path) for instance in readers for path in pages["pages"]]
    cookie = fleet.pool[0]["cookie"]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(lambda job: (job[0].name, *fetch(job[0].port, job[1], cookie)), jobs))
    stale = [(name, status, html[:80]) for name, status, html in answers if status != 200 or mark not in html]
    met = not stale and published["admin_said_published"] and published["version"] == pages["version"]
    return {"step": "publish", "published_through": through.name, **published,
            "seconds_for_the_editor": round(seconds, 1), "read_through": [i.name for i in readers],
            "pages_read": len(answers), "pages_with_new_text": len(answers) - len(stale),
            "stale_or_failed": stale[:5], "targets_met": met}  # fmt: skip


def lockout_step(fleet: Fleet) -> dict:
    account = fleet.django(FLEET_SCRIPT, "password_user")
    wrong = [Browser(fleet.instances[n % 3].port).sign_in(account["username"], "not-the-password")[0]
             for n in range(7)]  # fmt: skip
    right = [Browser(instance.port).sign_in(account["username"], account["password"]) for instance in fleet.instances]
    signed_in = [
        instance.name for instance, (status, _where) in zip(fleet.instances, right, strict=True) if status == 302
    ]
    return {"step": "lockout", "wrong_passwords": len(wrong), "answers_to_wrong": wrong,
            "right_password_answers": [status for status, _where in right], "instances_that_let_them_in": signed_in,
            "targets_met": not signed_in}  # fmt: skip


def prometheus_step(fleet: Fleet) -> dict:
    """What the real Prometheus scraped, over the whole run (increase() carries the counts across restarts), and
    the exact count of server errors people's requests met, from HAProxy's log."""
    run = f"{int(time.monotonic() - fleet.started) + 30}s"

    def scalar(expression: str):
        result = fleet.prometheus.query(expression)
        return {json.dumps(r["metric"], sort_keys=True) if r["metric"] else "": round(float(r["value"][1]), 3)
                for r in result}  # fmt: skip

    figures = {
        "instances_up": scalar('sum(up{job="portal"})'),
        "page_responses_by_class": scalar(
            f'round(sum by (status_class) (increase(portal_responses_total{{job="portal",{PROBES}}}[{run}])))'
        ),
        "server_errors_by_view": scalar(
            f'round(sum by (view) (increase(portal_responses_total{{job="portal",status_class="5xx"}}[{run}])))'
        ),
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
    logged = fleet.haproxy.requests()
    app_errors = [line for line in logged if line["status"] >= 500 and line["termination"] == "--"]
    page_5xx = sum(v for k, v in figures["page_responses_by_class"].items() if "5xx" in k)
    return {"step": "prometheus", **figures, "requests_through_haproxy": len(logged),
            "server_errors_answered_by_the_portal_in_haproxy_log": len(app_errors),
            "targets_met": figures["instances_up"].get("") == len(fleet.instances) and not app_errors
            and page_5xx == 0}  # fmt: skip


def logs_step(fleet: Fleet) -> dict:
    """Every request an instance answered, by HAProxy's log, has its line in that instance's JSON log under the
    request id HAProxy gave it: an operator can follow a person's request from the balancer into the portal."""
    lines = {}
    for instance in fleet.instances:
        for text in instance.log.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                line = json.loads(text)
                if line.get("logger") == "portal.requests":
                    lines[line["request_id"]] = (instance.name, line)
    answered = [line for line in fleet.haproxy.requests() if line["termination"] == "--" and line["server"] in
                {instance.name for instance in fleet.instances}]  # fmt: skip
    found = [line for line in answered if lines.get(line["request_id"], ("",))[0] == line["server"]]
    example = next((line for line in reversed(answered) if line["request_id"] in lines), None)
    return {"step": "logs", "requests_answered_by_instances": len(answered),
            "found_in_that_instance_log_by_request_id": len(found),
            "example": {"haproxy": example, "portal": lines[example["request_id"]][1]} if example else None,
            "targets_met": bool(answered) and len(found) == len(answered)}  # fmt: skip


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="portal-fleet-"))
    lines = []
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        if os.environ.get("FLEET_KEEP_LOGS"):  # for finding out why a step failed
            stack.callback(shutil.copytree, tmp / "logs", os.environ["FLEET_KEEP_LOGS"], dirs_exist_ok=True)
        log(f"starting PostgreSQL, Redis, SMTP sink, three instances, the worker, HAProxy and Prometheus in {tmp}")
        fleet = Fleet(tmp, stack)
        log(f"HAProxy on {fleet.base}; instances on ports {[i.port for i in fleet.instances]}")
        for step in (kill_step, rolling_deploy_step, publish_step, lockout_step, prometheus_step, logs_step):
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
    run("fleet", main)
