"""`make faults`: the portal in its production shape under load while its mail server, Redis and PostgreSQL fail.

Everything is private to the run: a PostgreSQL cluster (initdb into a temporary directory), a redis-server and an SMTP
sink (aiosmtpd), each on a free loopback port, never the machine's shared 5432/6379. The portal is migrated and set up
(`setup_portal`) with production settings (DEBUG off), served by gunicorn (two sync workers) with the background
worker (`manage.py run_worker`) beside it, sending receipts to the sink. Ten people, each a thread, read the guidance
in English and Welsh, answer the quiz and confirm the declaration through the real pages, person after person.

For each fault in turn (mail, Redis, PostgreSQL): BASELINE seconds of load, the dependency stopped for OUTAGE seconds,
started again, load until the portal has recovered and AFTER seconds more. One JSON line per fault is printed and
written to bench/faults.json: requests, error responses (5xx or no answer) before/during/after the outage, what
/healthz said during it, seconds to recover (from the dependency's restart until /healthz says "ok" and each of the
ten people has had a request succeed after their last error), and records lost or duplicated: every confirmation page
a person reached must be one acknowledgement in the database whose receipt the sink took exactly once (after the worker
has drained the outbox), and every results page one submitted attempt. Then, under the same load, the hostile uploads
(bench/faults_uploads.py): files made to kill a worker sent to HR's import page, each answered without a 5xx, no
worker replaced, no error for the people. Exits 1 if a target is missed.
"""

import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults_load import at_work  # noqa: E402
from bench.faults_services import Service  # noqa: E402
from bench.faults_uploads import run_uploads  # noqa: E402
from bench.faults_uploads import targets_met as upload_targets_met  # noqa: E402
from bench.production import DJANGO_SCRIPT, Production, run  # noqa: E402

CONFIG = {
    "people": int(os.environ.get("FAULTS_PEOPLE", "10")),  # concurrent clients
    "pool": int(os.environ.get("FAULTS_POOL", "900")),  # members of staff to go through the journey
    "baseline": float(os.environ.get("FAULTS_BASELINE", "5")),
    "outage": float(os.environ.get("FAULTS_OUTAGE", "10")),
    "after": float(os.environ.get("FAULTS_AFTER", "4")),
    "give_up": float(os.environ.get("FAULTS_GIVE_UP", "60")),  # seconds after the restart to wait for recovery
}
TARGETS = {"errors_mail_redis": 0, "records_lost": 0, "records_duplicated": 0, "seconds_to_recover": 2,
           "seconds_to_empty_outbox": 30}  # fmt: skip


def log(message: str) -> None:
    print(f"faults: {message}", file=sys.stderr, flush=True)


class Portal(Production):
    """The private dependencies, the production environment and the portal's two processes."""

    def __init__(self, tmp: Path, stack: contextlib.ExitStack):
        # A shorter first retry than production's (30 s), so the receipts held up by the mail outage are sent within
        # the run; the retry logic itself is the production one.
        super().__init__(tmp, stack, pool=CONFIG["pool"],
                         env={"EMAIL_TIMEOUT_SECONDS": "5", "OUTBOX_RETRY_DELAYS": "3,5,10,30"})  # fmt: skip
        self.gunicorn = self.start(Service("gunicorn", [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers",
                                                        "2", "--bind", f"127.0.0.1:{self.port}", "--log-level",
                                                        "warning"], env=self.env, cwd=ROOT,
                                           log=self.logs / "gunicorn.log"))  # fmt: skip
        self.worker = self.start_worker()
        self.wait_healthy()
        # The worker's first run sends the cycle's reminders to everyone in the pool: let it finish them, so the mail
        # fault holds up the receipts of the declarations made during it rather than that backlog.
        self.drain()

    def wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if json.loads(urllib.request.urlopen(self.base + "/healthz", timeout=2).read())["status"] == "ok":
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the portal is not healthy after {seconds} s (see {self.logs})")

    def drain(self, seconds: float = 120) -> int:
        """Waits for the worker to send everything queued; returns how many are still queued."""
        deadline = time.monotonic() + seconds
        while True:
            queued = self.django(DJANGO_SCRIPT, "drained")["queued"]
            if queued == 0 or time.monotonic() > deadline:
                return queued
            time.sleep(1)


def recovery(events: list, health: list, up: float, clients: int) -> float | None:
    """Seconds from `up` until /healthz said "ok" and every client had a request succeed after its last error."""
    healthy = next((end for t, end, code, state in health if t >= up and code == 200 and state == "ok"), None)
    if healthy is None:
        return None
    times = [healthy]
    for client in range(clients):
        mine = [e for e in events if e[0] == client]
        last_error = max((ended for _c, _s, ended, outcome in mine if outcome == "error"), default=up)
        since = max(up, last_error)
        ok = [ended for _c, started, ended, outcome in mine if outcome == "ok" and started >= since]
        if not ok:
            return None
        times.append(min(ok))
    return round(max(times) - up, 2)


def run_fault(portal: Portal, name: str, stop_dependency, start_dependency) -> dict:
    health = []
    with at_work(portal.base, portal.pool, portal.shared, CONFIG["people"], health) as record:
        time.sleep(CONFIG["baseline"])
        log(f"{name}: stopping it for {CONFIG['outage']:.0f} s")
        down = time.monotonic()
        stop_dependency()
        stopped = time.monotonic()  # pg_ctl's fast shutdown takes a moment: /healthz is judged from here
        time.sleep(CONFIG["outage"])
        restarting = time.monotonic()
        start_dependency()
        up = time.monotonic()
        log(f"{name}: started again after {up - down:.1f} s")
        while recovery(list(record.events), list(health), up, CONFIG["people"]) is None:
            if time.monotonic() - up > CONFIG["give_up"]:
                break
            time.sleep(0.1)
        time.sleep(CONFIG["after"])
    events = list(record.events)
    seconds = recovery(events, health, up, CONFIG["people"])
    drain_started = time.monotonic()
    queued = portal.drain()
    drained_after = time.monotonic() - drain_started  # the load's end to an empty outbox (every receipt sent)
    seen = {
        "references": list(record.references),
        "attempts": list(record.attempts),
        "person_ids": sorted(record.person_ids),
        "sink_message_ids": [m["message_id"] for m in portal.sink.received()],
    }
    checked = portal.django(DJANGO_SCRIPT, "check", stdin=json.dumps(seen))

    def errors(since: float, until: float) -> int:
        return sum(1 for _c, _s, ended, outcome in events if outcome == "error" and since <= ended < until)

    # Asked once the dependency was down and answered before it was started again.
    outage_health = Counter(f"{code} {state}" for t, end, code, state in health if t >= stopped and end < restarting)
    return {
        "fault": name,
        "requests": len(events),
        "error_responses": errors(0, float("inf")),
        "error_responses_before": errors(0, down),
        "error_responses_during": errors(down, up),
        "error_responses_after": errors(up, float("inf")),
        "unexpected_responses": sum(1 for e in events if e[3] == "unexpected"),
        "healthz_during_outage": dict(outage_health.most_common()),
        "seconds_to_recover": seconds,
        "declarations_confirmed": len(record.references),
        "attempts_completed": len(record.attempts),
        "records_lost": checked["acknowledgements_lost"] + checked["receipts_lost"] + checked["attempts_lost"],
        "records_duplicated": checked["acknowledgements_duplicated"] + checked["receipts_duplicated"]
        + checked["attempts_duplicated"],
        "detail": {**{k: v for k, v in checked.items() if k != "outbox"}, "outbox": checked["outbox"],
                   "outbox_still_queued": queued, "seconds_to_empty_outbox": round(drained_after, 1),
                   "worker_running": portal.worker.alive(),
                   "gunicorn_running": portal.gunicorn.alive(), "outage_seconds": round(up - down, 1),
                   "seconds_to_stop": round(stopped - down, 2)},
    }  # fmt: skip


def targets_met(result: dict) -> dict:
    met = {
        "records_lost": result["records_lost"] == TARGETS["records_lost"],
        "records_duplicated": result["records_duplicated"] == TARGETS["records_duplicated"],
        "seconds_to_recover": result["seconds_to_recover"] is not None
        and result["seconds_to_recover"] < TARGETS["seconds_to_recover"],
        "worker_running": result["detail"]["worker_running"],
        # Every receipt sent soon after the load ends (not minutes later by the sweep).
        "outbox_emptied": result["detail"]["outbox_still_queued"] == 0
        and result["detail"]["seconds_to_empty_outbox"] < TARGETS["seconds_to_empty_outbox"],
    }
    if result["fault"] in ("mail", "redis"):
        met["no_error_responses"] = result["error_responses"] == TARGETS["errors_mail_redis"]
    return met


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="portal-faults-"))
    lines, all_met = [], True
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        log(f"starting private PostgreSQL, Redis and SMTP sink in {tmp}")
        portal = Portal(tmp, stack)
        log(f"portal on {portal.base}; {CONFIG['people']} people, {len(portal.pool)} to go through the journey")
        faults = {
            "mail": (portal.sink.stop, portal.sink.start),
            "redis": (portal.redis.stop, portal.redis.start),
            "postgres": (lambda: portal.postgres.stop("fast"), portal.postgres.start),
        }
        chosen = os.environ.get("FAULTS", ",".join([*faults, "hostile_uploads"])).split(",")
        for name in [*faults, "hostile_uploads"]:
            if name not in chosen:
                continue
            if name == "hostile_uploads":
                result = run_uploads(portal, DJANGO_SCRIPT, CONFIG["people"], CONFIG["baseline"])
                result["targets_met"] = met = upload_targets_met(result)
            else:
                result = run_fault(portal, name, *faults[name])
                result["targets_met"] = met = targets_met(result)
            all_met = all_met and all(met.values())
            line = json.dumps(result, ensure_ascii=False)
            print(line, flush=True)
            lines.append(line)
    (ROOT / "bench" / "faults.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"faults: {'all targets met' if all_met else 'TARGETS MISSED'} in {time.monotonic() - started:.0f} s "
          f"(targets: 0 error responses during the mail and Redis faults, 0 records lost or duplicated, recovery "
          f"under {TARGETS['seconds_to_recover']} s, the worker still running, every receipt sent within "
          f"{TARGETS['seconds_to_empty_outbox']} s of the load's end)")  # fmt: skip
    for line in lines:
        result = json.loads(line)
        missed = [key for key, ok in result["targets_met"].items() if not ok]
        print(f"  {result['fault']:9} {'met' if not missed else 'MISSED: ' + ', '.join(missed)}")
    return 0 if all_met else 1


if __name__ == "__main__":
    run("faults", main)
