"""The README's performance table from bench/results.json: one row per measure, one column per database.

`python bench/summary.py` prints it (Markdown) from the last run; `make bench` prints it at the end.
"""

import json
import sys
from pathlib import Path

DATABASES = ("sqlite", "postgres")
PAGES = (
    "floor",
    "guidance_section_en",
    "guidance_section_cy",
    "guidance_principle_en",
    "guidance_principle_cy",
    "quiz_question_get",
    "quiz_answer_flow",
    "hr_dashboard",
)
PAGE_TARGETS = {"guidance": "≥ 0.5× floor", "quiz": "≥ 0.3× floor", "hr_dashboard": "≥ 0.2× floor (cached)"}
MARK = {True: "", False: " ✗", None: ""}


def _page(result: dict, name: str) -> str:
    run = result.get("pages", {}).get("endpoints", {}).get(name, {}).get("c10")
    if not run:
        return "–"
    if name == "floor":
        return f"{run['requests_per_second']:.0f}/s, p95 {run['p95_ms']:.0f} ms"
    return f"{run['ratio_to_floor']:.2f}× ({run['requests_per_second']:.0f}/s, p95 {run['p95_ms']:.0f} ms)"


RATIO_TARGETS = {"guidance_ratio": 0.5, "quiz_get_ratio": 0.3, "quiz_flow_ratio": 0.3, "dashboard_cached_ratio": 0.2}


def _page_mark(result: dict, name: str, key: str) -> str:
    """Each page's own ratio against its target (the run's targets_met holds the worst of the guidance pages)."""
    run = result.get("pages", {}).get("endpoints", {}).get(name, {}).get("c10")
    if not run or "ratio_to_floor" not in run:
        return ""
    return MARK[run["ratio_to_floor"] >= RATIO_TARGETS[key]]


def _rows(results: dict):
    met = {db: results.get(db, {}).get("targets_met", {}) for db in DATABASES}

    def mark(db, key):
        return MARK[met[db].get(key)]

    for name in PAGES:
        target = next((t for prefix, t in PAGE_TARGETS.items() if name.startswith(prefix)), "")
        key = {"quiz_question_get": "quiz_get_ratio", "quiz_answer_flow": "quiz_flow_ratio"}.get(name)
        key = key or ("guidance_ratio" if name.startswith("guidance") else "dashboard_cached_ratio")
        yield (
            f"{name}, 10 connections",
            target,
            *(_page(results.get(db, {}), name) + ("" if name == "floor" else _page_mark(results.get(db, {}), name, key))
              for db in DATABASES),
        )  # fmt: skip
    sizes = sorted(
        {size for db in DATABASES for size in results.get(db, {}).get("dashboard", {}).get("sizes", {})}, key=int
    )
    for size in sizes:
        cells = []
        for db in DATABASES:
            figures = results.get(db, {}).get("dashboard", {}).get("sizes", {}).get(size)
            cells.append(
                f"{figures['uncached_queries']} queries, {figures['uncached_ms_median']:.0f} ms"
                + mark(db, "dashboard_queries")
                if figures
                else "–"
            )
        yield (f"HR dashboard uncached, {int(size):,} staff", "≤ 10 queries", *cells)
    for kind, target, keys in (
        ("csv", "< 2 s, < 50 MB extra", ("csv_seconds", "csv_extra_mb")),
        ("xlsx", "< 10 s, flat memory", ("xlsx_seconds", "xlsx_growth_mb")),
    ):
        cells = []
        for db in DATABASES:
            reports = results.get(db, {}).get("reports")
            if not reports:
                cells.append("–")
                continue
            figures = reports[kind]
            cell = f"{figures['seconds']:.2f} s, +{figures['extra_peak_mb']:.1f} MB"
            if kind == "xlsx":
                cell += f" (+{reports['xlsx_tenth']['extra_peak_mb']:.1f} MB at a tenth)"
            cells.append(cell + "".join(mark(db, key) for key in keys))
        rows = next((results[db]["reports"]["rows"] for db in DATABASES if results.get(db, {}).get("reports")), 0)
        yield (f"{kind.upper()}, {rows:,} rows", target, *cells)
    cells = []
    for db in DATABASES:
        emails = results.get(db, {}).get("emails")
        if not emails:
            cells.append("–")
        elif "skipped" in emails:
            cells.append("not measured: " + emails["skipped"])
        else:
            cells.append(f"{emails['emails']:,} in {emails['seconds']:.1f} s" + mark(db, "emails_seconds"))
    yield ("reminder emails to an SMTP sink", "6,000 in < 60 s", *cells)
    cells = []
    for db in DATABASES:
        weight = results.get(db, {}).get("pages", {}).get("guidance_page_bytes_compressed")
        cells.append(f"{weight / 1024:.1f} KB" + mark(db, "page_kb_compressed") if weight else "–")
    yield ("guidance page + CSS + JS, compressed", "≤ 60 KB", *cells)
    yield ("measured at", "", *(results.get(db, {}).get("measured_at", "–") for db in DATABASES))  # fmt: skip


def table(summary: dict) -> str:
    results = summary.get("databases", {})
    lines = ["| measure | target | SQLite | PostgreSQL + Redis |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(results)]
    return "\n".join(lines) + "\n\n✗: target not met in that run."


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results.json"
    print(table(json.loads(path.read_text())))
