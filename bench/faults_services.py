"""The private dependencies of `make faults`: a PostgreSQL cluster, a redis-server and an SMTP sink of its own, each
on a free loopback port, each able to be stopped and started again on the same port (never the shared 5432/6379)."""

import contextlib
import email
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from email import policy
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not port_open(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on port {port} after {seconds} s")
        time.sleep(0.05)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian's layout), else wherever pg_ctl is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]), reverse=True)
    pg_ctl = found[0] if found else shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl and (Path(pg_ctl).parent / "initdb").exists() else None


def postgres_runnable() -> bool:
    """The binaries are installed and, as root, there is a `postgres` OS user to run them as."""
    import pwd

    if postgres_bin() is None:
        return False
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return shutil.which("runuser") is not None


class Postgres:
    """A throwaway cluster in a temporary directory of its own, with trust authentication on loopback. initdb and
    postgres refuse to run as root, so as root the cluster belongs to (and runs as) the `postgres` OS user; its
    directory sits directly in the system's temporary directory, so that user can reach it. close() removes it."""

    def __init__(self):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.root = Path(tempfile.mkdtemp(prefix="portal-postgres-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-2000:]}")

    def init(self) -> "Postgres":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "30", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def close(self) -> None:
        if self.running():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class Redis:
    """redis-server with no persistence, so a restart comes back empty as a replaced cache node would."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    close = stop

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class SmtpSink:
    """An aiosmtpd server on loopback that keeps (Message-ID, To, Subject) of each message it takes. Stopping it and
    starting it again on the same port is a mail server outage."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(
                {"message_id": str(message["Message-ID"]), "to": str(message["To"]), "subject": str(message["Subject"])}
            )
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    close = stop

    def received(self) -> list[dict]:
        with self.lock:
            return list(self.messages)


class Service:
    """A long-running portal process (gunicorn, the worker) with its output in a log file."""

    def __init__(self, name: str, args: list[str], *, env: dict, cwd: Path, log: Path):
        self.name, self.args, self.env, self.cwd, self.log = name, args, env, cwd, log
        self.process = None

    def start(self) -> None:
        self.output = open(self.log, "ab")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(self.args, env=self.env, cwd=self.cwd, stdout=self.output,
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def close(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None:
            self.output.close()
