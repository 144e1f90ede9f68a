"""What `make faults` and `make fleet` share: the portal set up in its production shape on private dependencies.

A PostgreSQL cluster, a redis-server and an SMTP sink of its own (bench/faults_services.py), each on a free loopback
port; the production environment on them (DEBUG off, its own secret key, one folder for the background jobs' files
that every process shares, as production's shared storage); the database migrated, the static files
collected, the content set up (`setup_portal`) and a pool of signed-in members of staff made for the people
(bench/faults_django.py). The callers start the portal's processes on top: one gunicorn (faults) or three behind
HAProxy (fleet), and the worker.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from bench.faults_services import Postgres, Redis, Service, SmtpSink, free_port

ROOT = Path(__file__).resolve().parent.parent
DJANGO_SCRIPT = str(ROOT / "bench" / "faults_django.py")


class Production:
    """The dependencies started and the portal set up on them; `stack` stops everything when the run ends."""

    def __init__(self, tmp: Path, stack: contextlib.ExitStack, *, pool: int, env: dict | None = None):
        self.tmp, self.stack, self.logs = tmp, stack, tmp / "logs"
        for name in ("redis", "logs"):
            (tmp / name).mkdir(exist_ok=True)
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
        self.port = free_port()  # where people reach the portal (gunicorn itself, or HAProxy)
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": self.postgres.url("portal"), "REDIS_URL": self.redis.url,
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.sink.port), "EMAIL_USE_TLS": "0",
            "PORTAL_BASE_URL": self.base, "LOG_LEVEL": "WARNING", "PORTAL_FILES_DIR": str(tmp / "files"),
            **(env or {}),
        }  # fmt: skip
        for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["setup_portal"]):
            self.django(str(ROOT / "manage.py"), *args, "--verbosity", "0")
        self.shared = self.django(DJANGO_SCRIPT, "people", str(pool))
        self.pool = list(reversed(self.shared.pop("people")))

    def django(self, *args: str, stdin: str | None = None):
        """A Django script or command in the production environment; its last line of output as JSON, if it is."""
        output = subprocess.run([sys.executable, *args], env=self.env, cwd=ROOT, input=stdin, capture_output=True,
                                text=True)  # fmt: skip
        if output.returncode:
            raise RuntimeError(f"{' '.join(args[-2:])} failed:\n{output.stderr[-3000:]}")
        with contextlib.suppress(IndexError, ValueError):
            return json.loads(output.stdout.strip().splitlines()[-1])
        return None

    def start(self, service: Service) -> Service:
        """A portal process (the worker, a gunicorn), stopped when the run ends."""
        self.stack.callback(service.close)
        service.start()
        return service

    def start_worker(self) -> Service:
        return self.start(Service("worker", [sys.executable, "manage.py", "run_worker"], env=self.env, cwd=ROOT,
                                  log=self.logs / "worker.log"))  # fmt: skip


def run(name: str, main) -> None:
    """Runs a bench's main() and exits with its code; SIGTERM and SIGINT (even when started in the background, where
    SIGINT is ignored) unwind it, so everything it started is stopped."""

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"{name}: interrupted; everything it started has been stopped", file=sys.stderr)
        sys.exit(130)
