"""`make profile`: where the time of each measured page goes, with pyinstrument, on the benchmark's database.

Builds the pages database as `make bench` does (BENCH_DB picks sqlite or postgres, default sqlite; BENCH_STAFF its
size), then runs PROFILE_REQUESTS requests of each page in one process with production settings and writes
pyinstrument's tree to bench/profiles/<database>-<page>.txt, printing the top lines of each; then the same for the
CSV and XLSX reports of BENCH_REPORT_ROWS people (bench/profiles/<database>-report_<kind>.txt).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import CONFIG, Target, probe  # noqa: E402

PAGES = {
    "guidance_section_en": ("/en/guidance/introduction/", "GET"),
    "guidance_principle_cy": ("/cy/canllawiau/egwyddorion/diogelwch/", "GET"),
    "quiz_question_get": ("quiz", "GET"),
    "quiz_answer_post": ("quiz", "POST"),
    "hr_dashboard": ("/en/hr/", "GET"),
}
TOP_LINES = int(os.environ.get("PROFILE_LINES", "25"))


def main() -> int:
    name = os.environ.get("BENCH_DB", "sqlite").split(",")[0]
    requests = os.environ.get("PROFILE_REQUESTS", "200")
    target = Target(name)
    target.create()
    try:
        probe(target, "pages", "seed-staff", CONFIG["staff"])
        probe(target, "pages", "migrate")  # and collectstatic: production settings serve the hashed files
        for page, (path, method) in PAGES.items():
            result = probe(target, "pages", "profile", page, path, requests, method)
            lines = Path(result["profile"]).read_text(encoding="utf-8").splitlines()
            print(f"## {name} {page}: {result['ms_per_request']} ms a request in-process\n")
            print("\n".join(lines[:TOP_LINES]) + "\n")
        target.clear_cache()  # the pages database's cached entries mean nothing to the reports database
        probe(target, "reports", "seed-report-rows", CONFIG["report_rows"])
        for kind in ("csv", "xlsx"):
            result = probe(target, "reports", "profile-report", kind)
            lines = Path(result["profile"]).read_text(encoding="utf-8").splitlines()
            print(f"## {name} report_{kind} ({CONFIG['report_rows']:,} rows): {result['ms_per_request']} ms\n")
            print("\n".join(lines[:TOP_LINES]) + "\n")
    finally:
        target.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
