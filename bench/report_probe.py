"""Seeds the report database, or times one report (csv/xlsx) and its peak memory. Run by bench/run.py."""

import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)


def main():
    kind = sys.argv[1]
    if kind == "seed":
        call_command("migrate", verbosity=0)
        from bench.seed import seed_report_rows

        seed_report_rows(rows=int(sys.argv[2]))
        return
    from assessments.models import Cycle
    from assessments.reports import exports

    cycle = Cycle.objects.current()
    reset_peak()
    before = memory_mb("VmRSS")  # after Django, the connection and the cycle: what the report adds on top
    started = time.perf_counter()
    rows = 0
    if kind == "csv":
        sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        for line in exports.csv_lines(cycle=cycle):
            sink.write(line)
            rows += 1
        sink.close()
    else:
        output = exports.xlsx_file(cycle=cycle)
        rows = sum(1 for _chunk in iter(lambda: output.read(1 << 20), b""))
    seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "extra_peak_mb": round(peak - before, 1),
                "peak_mb": round(peak, 1),
                "lines_or_chunks": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
