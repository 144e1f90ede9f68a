"""The load balancer's own error pages (deploy/haproxy/*.http): what a person sees when no instance could answer, in
English and Welsh, as complete HTTP responses HAProxy can send as they are."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ERRORS = Path(__file__).resolve().parents[2] / "deploy" / "haproxy"
HAPROXY_BUFFER = 16384  # HAProxy refuses an errorfile larger than its buffer (tune.bufsize, 16 kB by default)


@pytest.mark.parametrize("code", [502, 503, 504])
def test_each_error_page_is_a_whole_response_in_both_languages(code):
    raw = (ERRORS / f"{code}.http").read_bytes()
    assert len(raw) < HAPROXY_BUFFER
    head, _blank, body = raw.partition(b"\r\n\r\n")
    status, *headers = head.decode("ascii").split("\r\n")
    assert status.startswith(f"HTTP/1.1 {code} ")
    fields = dict(line.split(": ", 1) for line in headers)
    assert int(fields["Content-Length"]) == len(body)  # a wrong length leaves the browser waiting, or cuts the page
    assert fields["Content-Type"] == "text/html; charset=utf-8" and fields["Cache-Control"] == "no-store"
    page = body.decode("utf-8")
    english = re.search(r'<section lang="en"><h1>(.+?)</h1><p>(.+?)</p></section>', page)
    welsh = re.search(r'<section lang="cy"><h1>(.+?)</h1><p>(.+?)</p></section>', page)
    assert english and welsh
    assert english.group(1).startswith("Sorry") and welsh.group(1).startswith("Mae'n ddrwg gennym")
    assert f"{english.group(1)} / {welsh.group(1)}" in page  # the title names it in both


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is installed by make fleet, not make test")
def test_haproxy_accepts_them(tmp_path):
    config = tmp_path / "haproxy.cfg"
    lines = ["defaults", "    mode http", "    timeout connect 1s", "    timeout client 1s", "    timeout server 1s"]
    lines += [f"    errorfile {code} {ERRORS / f'{code}.http'}" for code in (502, 503, 504)]
    lines += ["frontend portal", "    bind 127.0.0.1:8080", "    default_backend none", "backend none"]
    config.write_text("\n".join(lines) + "\n")
    subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True)
