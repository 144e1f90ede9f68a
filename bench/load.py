"""The load generator of `make bench`: wrk, for the pages and for the quiz's answer flow (a Lua script)."""

import re
import secrets
import subprocess
import tempfile
from pathlib import Path

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(url: str, cookie: str, connections: int, seconds: int, *, script: str = WRK_SCRIPT) -> dict:
    """wrk against one URL (or the requests its script makes); errors are connection errors and statuses over 399."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    Path(handle.name).unlink()
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


QUIZ_SCRIPT = """
local clients = {%s}
local counter = 0
-- Each connection alternates: GET a quiz client's question page, then POST an answer to it; then the next client.
request = function()
  counter = counter + 1
  local client = clients[(math.floor((counter - 1) / 2) %% #clients) + 1]
  if counter %% 2 == 1 then
    return wrk.format("GET", client[2], {["Cookie"] = client[1]})
  end
  return wrk.format("POST", client[2], {["Cookie"] = client[1], ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "%s" .. client[2]}, client[3])
end
"""


def quiz_posts(base: str, cookies: list, connections: int, seconds: int) -> dict:
    """The quiz's answer flow under wrk, like every other page (so the load generator is the same C program as for
    the floor, not a Python client competing for the same cores): GET a question page, POST an answer (a 302 to the
    next question), for each of the quiz clients' own attempts in turn."""
    clients = []
    for cookie, path, option_id in cookies:
        token = secrets.token_hex(16)
        body = f"csrfmiddlewaretoken={token}&answer={option_id}"
        clients.append("{" + ", ".join(lua_string(v) for v in (f"{cookie}; csrftoken={token}", path, body)) + "}")
    return wrk(
        base + cookies[0][1], "", connections, seconds, script=QUIZ_SCRIPT % (", ".join(clients), base) + WRK_SCRIPT
    )


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
