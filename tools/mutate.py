"""`make mutate`: mutation testing (mutmut) over the modules that hold the portal's promises.

Each module is mutated against only the tests that cover it (MODULES below), in its own work folder under
var/mutation/, so one module fits a 2-core machine and its results are kept between runs (mutmut re-tests only the
functions that changed). Mutants listed in docs/mutation.md as equivalent (or wording no test should pin) are left out
of the score; every other survivor is printed. The scores go to docs/mutation-scores.md.

    .venv/bin/python tools/mutate.py                   # every module
    .venv/bin/python tools/mutate.py xliff statistics  # some modules (names from MODULES)
    .venv/bin/python tools/mutate.py --report          # the scores of the last runs, without running anything
    .venv/bin/python tools/mutate.py --audit exports   # rows of docs/mutation.md that no longer name a survivor
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
EQUIVALENTS = ROOT / "docs" / "mutation.md"
SCORES = ROOT / "docs" / "mutation-scores.md"
APPS = [
    "config",
    "portal",
    "assessments",
    "cycles",
    "directory",
    "guidance",
    "reporting",
    "legal",
    "outbox",
    "xliff",
    "evidence",
]
ALSO_COPY = ["templates", "locale", "static", "manage.py", "tests"]
TARGET = 90.0


@dataclass(frozen=True)
class Module:
    files: tuple[str, ...]
    tests: tuple[str, ...]


# Module → the source files it mutates → the tests that cover them.
MODULES = {
    "status": Module(
        ("assessments/status.py",),
        (
            "tests/reporting/test_status.py",
            "tests/reporting/test_dashboard.py",
            "tests/reporting/test_charts.py",
            "tests/reporting/test_closing.py",
            "tests/cycles/test_cycle_rules.py",
            "tests/cycles/test_figures.py",
        ),
    ),
    "cycles": Module(
        ("cycles/selectors.py", "cycles/services.py", "reporting/reminders.py", "cycles/schedule.py"),
        (
            "tests/cycles",
            "tests/reporting/test_chasing.py",
            "tests/reporting/test_closing.py",
            "tests/reporting/test_one_truth.py",
        ),
    ),
    "scim": Module(
        ("directory/scim/storage.py", "directory/scim/tokens.py"),
        (
            "tests/directory/test_scim.py",
            "tests/directory/test_scim_boundaries.py",
            "tests/directory/test_scim_hardening.py",
        ),
    ),
    "outbox": Module(
        ("outbox/delivery.py",),
        (
            "tests/outbox/test_delivery.py",
            "tests/outbox/test_batches.py",
            "tests/outbox/test_receipts.py",
            "tests/outbox/test_leases.py",
            "tests/outbox/test_database_outage_delivery.py",
            "tests/outbox/test_notify.py",
        ),
    ),
    "evidence": Module(
        ("evidence/triggers.py", "guidance/models.py"),
        (
            "tests/evidence/test_triggers.py",
            "tests/evidence/test_known_hashes.py",
            "tests/evidence/test_versioned_principles.py",
            "tests/guidance/test_evidence_hash.py",
            "tests/guidance/test_changes.py",
        ),
    ),
    "xliff": Module(
        ("xliff/files.py", "xliff/services.py", "xliff/units.py", "guidance/review.py"),
        (
            "tests/xliff",
            "tests/guidance/test_welsh_review.py",
            "tests/guidance/test_publish_gate.py",
            "tests/guidance/test_admin.py",
        ),
    ),
    "statistics": Module(
        ("reporting/statistics.py",),
        ("tests/reporting/test_statistics.py", "tests/reporting/test_statistics_limits.py"),
    ),
    "exports": Module(
        ("reporting/exports.py", "reporting/workbook.py"),
        (
            "tests/reporting/test_exports.py",
            "tests/reporting/test_report_known_answer.py",
            "tests/reporting/test_workbook.py",
            "tests/reporting/test_control_characters.py",
            "tests/reporting/test_export_command.py",
            "tests/reporting/test_background_downloads.py",
            "tests/reporting/test_one_truth.py",
            "tests/reporting/test_closing.py",
            "tests/reporting/test_suppression.py",
            "tests/reporting/test_statistics_limits.py",
        ),
    ),
    "sign-in-limits": Module(
        ("portal/sign_in_limits.py",),
        (
            "tests/portal/test_client_address.py",
            "tests/portal/test_proxy_and_spraying.py",
            "tests/portal/test_sign_in_expiry.py",
            "tests/portal/test_sign_in.py",
        ),
    ),
    "cache": Module(
        ("portal/cache.py",),
        (
            "tests/portal/test_cache_breaker.py",
            "tests/portal/test_cache_failure.py",
            "tests/portal/test_cached_layout.py",
            "tests/reporting/test_dashboard.py",
        ),
    ),
}

SPINNER = re.compile(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [A-Za-z ]*")
PROGRESS = re.compile(r"\s*\d+/\d+ ")
KILLED = {"killed", "caught by type check", "timeout or crash"}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name)


class Equivalents(dict):
    """The mutants docs/mutation.md lists as changing no behaviour: table rows that start with `name__mutmut_N`, or
    `name__mutmut_*` for every mutant of a function (one no page calls, or SQL only PostgreSQL runs)."""

    def __contains__(self, mutant: object) -> bool:
        return super().__contains__(mutant) or super().__contains__(
            str(mutant).rsplit("__mutmut_", 1)[0] + "__mutmut_*"
        )


def equivalent_mutants() -> Equivalents:
    listed = Equivalents()
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\|\s*`([\w.ǁ]+__mutmut_(?:\d+|\*))`\s*\|(.*)", line)
        if found:
            listed[found.group(1)] = found.group(2).strip(" |")
    return listed


def prepare(name: str, module: Module) -> Path:
    """A work folder that sees the project through links, with a pyproject.toml that tells mutmut what to do."""
    folder = WORK / slug(name)
    folder.mkdir(parents=True, exist_ok=True)
    for item in APPS + ALSO_COPY:
        link = folder / item
        if not link.exists():
            link.symlink_to(ROOT / item)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings = {
        "source_paths": APPS,
        "only_mutate": list(module.files),
        "also_copy": ALSO_COPY[:-1],
        "pytest_add_cli_args_test_selection": list(module.tests),
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-m", "not browser", "-x"],
        "use_git_change_detection": False,
        "timeout_multiplier": 5.0,
        "timeout_constant": 10.0,
    }
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (folder / "pyproject.toml").write_text(project + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def retry_open(name: str, module: Module) -> None:
    """Forget the verdicts a new test may change: "no tests" and survivors not listed as equivalent. mutmut keeps them
    otherwise, so a test written to kill a survivor would not be seen until the function itself changed."""
    equivalent = equivalent_mutants()
    for file in module.files:
        meta = WORK / slug(name) / "mutants" / (file + ".meta")
        if not meta.exists():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["exit_code_by_key"] = {
            mutant: None if code in (0, 5, 33) and mutant not in equivalent else code
            for mutant, code in data["exit_code_by_key"].items()
        }
        meta.write_text(json.dumps(data), encoding="utf-8")


def run(name: str, module: Module, children: int, *, survivors_only: bool = False) -> None:
    folder = prepare(name, module)
    equivalent = equivalent_mutants()
    # The survivors alone (to see a new test kill them) are named to mutmut; otherwise it runs every untried mutant.
    named = [m for m, s in results(name, module).items() if s in ("survived", "no tests") and m not in equivalent]
    if survivors_only and not named:
        return
    retry_open(name, module)
    print(f"\n== {name}: {', '.join(module.files)} against {', '.join(module.tests)}", flush=True)
    mutmut = ROOT / ".venv" / "bin" / "mutmut"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    environment.pop("DATABASE_URL", None)  # SQLite: PostgreSQL-only tests skip themselves
    environment["PORTAL_TEST_DATABASE_TEMPLATE"] = str(database_template())
    command = [str(mutmut), "run", "--max-children", str(children), *(named if survivors_only else [])]
    with subprocess.Popen(
        command, cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as running:
        progress = ""
        assert running.stdout is not None
        for raw in running.stdout:
            # mutmut redraws a spinner and a progress line in place: keep its messages and the last progress line.
            for part in SPINNER.sub("", raw.decode("utf-8", "replace")).replace("\r", "\n").splitlines():
                if PROGRESS.match(part):
                    progress = part
                elif part.strip():
                    print(part, flush=True)
        print(progress, flush=True)


def results(name: str, module: Module) -> dict[str, str]:
    """Each mutant of the module and its status, from mutmut's files in the work folder."""
    status_by_code = {
        1: "killed",
        3: "killed",
        0: "survived",
        33: "no tests",
        5: "no tests",
        37: "caught by type check",
    }
    found = {}
    for file in module.files:
        meta = WORK / slug(name) / "mutants" / (file + ".meta")
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for mutant, code in codes.items():
            found[mutant] = "not checked" if code is None else status_by_code.get(code, "timeout or crash")
    return found


def score(name: str, equivalent: Equivalents) -> tuple[str, list[str], bool]:
    """The module's row in the scores table, its survivors, and whether it meets the target."""
    found = results(name, MODULES[name])
    if not found:
        return f"| {name} | not run | | | |", [], False
    counted = {m: s for m, s in found.items() if m not in equivalent}
    unchecked = sum(1 for s in counted.values() if s == "not checked")
    tried = {m: s for m, s in counted.items() if s != "not checked"}
    # A timeout is a kill: the mutant made the code hang, and the tests noticed.
    killed = sum(1 for s in tried.values() if s in KILLED)
    percent = 100.0 * killed / len(tried) if tried else 100.0
    survivors = [f"- {name}: `{m}` ({s})" for m, s in sorted(tried.items()) if s not in KILLED]
    if unchecked:  # an interrupted run: what was tried so far (mutmut tries the quickest first), and no score yet
        tally = f"partial: {unchecked} not yet tried; {killed} / {len(tried)} of those tried"
        return f"| {name} | {len(found)} | {len(found) - len(counted)} | {tally} | |", survivors, False
    row = f"| {name} | {len(found)} | {len(found) - len(counted)} | {killed} / {len(counted)} | {percent:.0f}% |"
    return row, survivors, percent >= TARGET


def report(names: list[str]) -> bool:
    """Print the scores of `names`; write every module's last scores to docs/mutation-scores.md."""
    equivalent = equivalent_mutants()
    scores = {name: score(name, equivalent) for name in MODULES}
    header = [
        "| Module | Mutants | Equivalent | Killed / behaviour-changing | Score |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    print("\n" + "\n".join(header + [scores[name][0] for name in names]))
    print("\nSurvivors (see one with: cd var/mutation/<module> && ../../../.venv/bin/mutmut show <name>):")
    print("\n".join(line for name in names for line in scores[name][1]) or "None.")
    survivors = [line for name in MODULES for line in scores[name][1]]
    SCORES.write_text(
        "# Mutation scores\n\nWritten by `make mutate` (tools/mutate.py). Equivalent mutants, and their reasons, are "
        "listed in docs/mutation.md.\n\n"
        + "\n".join(header + [row for row, _, _ in scores.values()])
        + "\n\n## Survivors\n\n"
        + ("\n".join(survivors) or "None.")
        + "\n",
        encoding="utf-8",
    )
    return all(scores[name][2] for name in names)


def stale_rows(names: list[str]) -> list[str]:
    """Rows of docs/mutation.md that no longer name a surviving mutant of these modules: one the tests now kill, or
    one of a function that changed or went (mutmut numbers a function's mutants afresh when it changes, so an old row
    could otherwise come to excuse a different mutant)."""
    listed = equivalent_mutants()
    stale = []
    for name in names:
        module = MODULES[name]
        prefixes = tuple(file.removesuffix(".py").replace("/", ".") + "." for file in module.files)
        found = results(name, module)
        if not found:
            continue
        for mutant in listed:
            if not mutant.startswith(prefixes) or mutant.endswith("__mutmut_*"):
                continue
            status = found.get(mutant, "gone")
            if status not in ("survived", "no tests"):
                stale.append(f"- {name}: `{mutant}` is listed as equivalent but is {status}")
    return stale


def database_template() -> Path:
    """A migrated SQLite file that each test run copies (tests/conftest.py) instead of migrating its own."""
    template = WORK / "template.sqlite3"
    migrations = [path.stat().st_mtime for app in APPS for path in (ROOT / app).glob("migrations/*.py")]
    if template.exists() and template.stat().st_mtime > max(migrations):
        return template
    template.unlink(missing_ok=True)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{template}",
    }
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run([str(python), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=environment, check=True)
    with sqlite3.connect(template) as database:  # one self-contained file, to be copied
        database.execute("PRAGMA journal_mode=DELETE")
    return template


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help=f"modules to run (default: all): {', '.join(MODULES)}")
    parser.add_argument("--report", action="store_true", help="only print and write the scores of the last runs")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--fresh", action="store_true", help="forget the previous results of these modules")
    parser.add_argument(
        "--audit", action="store_true", help="list the equivalent rows that no longer name a surviving mutant"
    )
    parser.add_argument(
        "--survivors", action="store_true", help="try again only the survivors (and mutants no test covered), quickly"
    )
    options = parser.parse_args()
    names = options.modules or list(MODULES)
    unknown = set(names) - set(MODULES)
    if unknown:
        parser.error(f"no such module: {', '.join(sorted(unknown))} (choose from {', '.join(MODULES)})")
    if options.audit:
        stale = stale_rows(names)
        print("\n".join(stale) or "Every row names a surviving mutant.")
        return 1 if stale else 0
    if not options.report:
        for name in names:
            if options.fresh:
                shutil.rmtree(WORK / slug(name) / "mutants", ignore_errors=True)
            run(name, MODULES[name], options.children, survivors_only=options.survivors)
    met = report(names)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
