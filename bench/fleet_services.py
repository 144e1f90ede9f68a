"""The fleet's own processes for `make fleet`: portal instances (gunicorn), HAProxy in front, Prometheus scraping."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.faults_services import Service, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


def wait_until(condition, seconds: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not after {seconds} s")
        time.sleep(every)


def release(tmp: Path, build: str) -> Path:
    """A release of the code as a deploy lays one down: the project copied into a directory of its own (with its
    compiled Welsh and collected static files), and BUILD saying which release it is (/healthz reports it)."""
    target = tmp / "releases" / build
    shutil.copytree(ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "__pycache__", ".*_cache", ".hypothesis", "test-artifacts", "private-files",
        "profiles", "*.sqlite3*", "BUILD", "mutants"))  # fmt: skip
    (target / "BUILD").write_text(f"{build}\n", encoding="utf-8")
    return target


class Instance:
    """One gunicorn (two workers of four threads) with its own drain file and metrics directory, running a release."""

    def __init__(self, name: str, port: int, env: dict, tmp: Path):
        self.name, self.port = name, port
        self.drain_file = tmp / f"{name}.drain"
        self.env = {
            **env,
            "PORTAL_DRAIN_FILE": str(self.drain_file),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"{name}.prom"),
        }
        self.log = tmp / "logs" / f"{name}.log"
        self.service = None

    def start(self, code: Path) -> None:
        """gunicorn from the release in `code` (its working directory, so `config.wsgi` is that release's)."""
        args = [sys.executable, "-m", "gunicorn", "-c", str(code / "deploy" / "gunicorn.conf.py"), "config.wsgi",
                "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]  # fmt: skip
        self.service = Service(self.name, args, env=self.env, cwd=code, log=self.log)
        self.service.start()
        wait_for_port(self.port, 60)

    def build(self) -> str:
        """The release this instance says it runs (/healthz, asked directly)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=10) as response:
            return json.loads(response.read())["build"]

    def kill(self) -> None:
        """SIGKILL to gunicorn and its workers at once: a crash, nothing finishes."""
        os.killpg(self.service.process.pid, signal.SIGKILL)
        self.service.process.wait(10)

    def stop_gracefully(self) -> None:
        """SIGTERM to gunicorn: it stops accepting, its workers finish what they hold, then exit."""
        self.service.process.send_signal(signal.SIGTERM)
        self.service.process.wait(60)

    def close(self) -> None:
        if self.service:
            self.service.close()


# One JSON line a request on HAProxy's standard output (its log): the request id it gave the request (sent to the
# instance as X-Request-ID, which the portal's own log line carries), when it was accepted (epoch ms), which instance
# answered, how long it took, the status, the retries ("+N" when redispatched to another instance) and how it ended
# (termination state: "--" normal, "SH" the instance hung up before answering, "CR" the client left first, ...).
LOG_FORMAT = (
    '{"request_id":"%ID","accepted_ms":%Ts%ms,"method":"%HM","path":"%HPO","server":"%s","status":%ST,'
    '"total_ms":%Ta,"retries":"%rc","termination":"%ts"}'
)

HAPROXY_CONFIG = """\
global
    maxconn 1000
    stats socket @SOCKET@ level admin
    log stdout format raw local0 info

defaults
    mode http
    log global
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 5s
    option forwardfor
    # A request that could not reach an instance (refused, reset before any answer) goes to another one; GET and
    # HEAD are also retried after an empty answer or a 502/503 (never a POST: it may have been done).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503 504
    # What a person sees when no instance could answer: the service's words in English and Welsh, not HAProxy's.
    errorfile 502 @ERRORS@/502.http
    errorfile 503 @ERRORS@/503.http
    errorfile 504 @ERRORS@/504.http

frontend portal
    bind 127.0.0.1:@PORT@
    unique-id-format %[uuid()]
    http-request set-header X-Request-ID %[unique-id]
    # On every answer, HAProxy's own error pages too, so a person's error can be found in the logs by its id.
    http-after-response set-header X-Request-ID %[unique-id]
    log-format '@LOG_FORMAT@'
    http-request deny deny_status 404 if { path /metrics }
    default_backend instances

backend instances
    balance roundrobin
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
@SERVERS@
"""


class HAProxy:
    def __init__(self, port: int, instances: list[Instance], tmp: Path):
        self.port, self.socket = port, tmp / "haproxy.sock"
        servers = "\n".join(f"    server {i.name} 127.0.0.1:{i.port} check" for i in instances)
        self.config = tmp / "haproxy.cfg"
        self.log = tmp / "logs" / "haproxy.log"
        config = HAPROXY_CONFIG
        errors = ROOT / "deploy" / "haproxy"
        placeholders = {
            "SOCKET": self.socket,
            "PORT": port,
            "LOG_FORMAT": LOG_FORMAT,
            "SERVERS": servers,
            "ERRORS": errors,
        }
        for name, value in placeholders.items():
            config = config.replace(f"@{name}@", str(value))
        self.config.write_text(config)
        subprocess.run(["haproxy", "-c", "-q", "-f", str(self.config)], check=True)
        self.service = Service("haproxy", ["haproxy", "-db", "-f", str(self.config)], env=dict(os.environ), cwd=ROOT,
                               log=self.log)  # fmt: skip

    def start(self) -> None:
        self.service.start()
        wait_for_port(self.port)

    def command(self, text: str) -> str:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(str(self.socket))
            connection.sendall(text.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self) -> dict:
        """{server: its row of `show stat`} (status UP/DOWN/..., scur = requests it holds now, wretr, wredis, ...)."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {row["svname"]: row for row in rows if row["pxname"] == "instances" and row["svname"] != "BACKEND"}

    def requests(self) -> list[dict]:
        """Every request HAProxy has logged so far (its other lines, about servers going up and down, left out)."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith('{"request_id"')]

    def status(self, name: str) -> str:
        return self.servers()[name]["status"]

    def close(self) -> None:
        self.service.close()


PROMETHEUS_CONFIG = """\
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
scrape_configs:
  - job_name: portal
    metrics_path: /metrics
    static_configs:
      - targets: [{targets}]
"""


class Prometheus:
    def __init__(self, port: int, instances: list[Instance], tmp: Path):
        self.port = port
        config = tmp / "prometheus.yml"
        targets = ", ".join(f'"127.0.0.1:{i.port}"' for i in instances)
        config.write_text(
            PROMETHEUS_CONFIG.format(rules=ROOT / "deploy" / "prometheus" / "alerts.yml", targets=targets)
        )
        args = ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}"]  # fmt: skip
        self.service = Service("prometheus", args, env=dict(os.environ), cwd=tmp, log=tmp / "logs" / "prometheus.log")

    def start(self) -> None:
        self.service.start()
        wait_for_port(self.port, 30)

    def query(self, expression: str) -> list:
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode({"query": expression})
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())["data"]["result"]

    def close(self) -> None:
        self.service.close()
