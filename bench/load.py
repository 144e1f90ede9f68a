"""The load generators of `make bench`: wrk for GET pages and a small threaded client for the quiz's POSTs."""

import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(url: str, cookie: str, connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
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


def quiz_posts(base: str, cookies: list, connections: int, seconds: int) -> dict:
    """Each client answers question 1 of its own attempt again and again (GET the page, POST an answer)."""
    latencies, stop, errors = [], time.monotonic() + seconds, [0]
    lock = threading.Lock()

    def client(cookie, path, option_id):
        token = secrets.token_hex(16)
        headers = {
            "Cookie": f"{cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base + path,
        }
        body = f"csrfmiddlewaretoken={token}&answer={option_id}".encode()
        opener = urllib.request.build_opener(NoRedirect)
        while time.monotonic() < stop:
            for method in ("GET", "POST"):
                started = time.perf_counter()
                request = urllib.request.Request(
                    base + path, data=body if method == "POST" else None, headers=headers, method=method
                )
                try:
                    with opener.open(request, timeout=10) as response:
                        response.read()
                        ok = response.status in (200, 302)
                except urllib.error.HTTPError as error:
                    ok = error.code == 302
                except OSError:
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=cookies[i % len(cookies)]) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2)

    return {
        "connections": connections,
        "requests_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors[0],
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
