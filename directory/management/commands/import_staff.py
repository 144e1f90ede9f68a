import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from directory.importing.columns import ENTRA, PORTAL
from directory.importing.planning import ImportPlan
from directory.services import import_staff, plan_staff_file

LISTED = 50  # people listed per kind in the plan; the rest are counted


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


class Command(BaseCommand):
    help = (
        "Import the staff list from a CSV, XLSX or ODS file: all rows or none. Prints what will change first. "
        "An import that makes anyone inactive (--full, or the file's Active column) asks before it changes anything; "
        "--yes answers for scripts, --dry-run only shows the plan."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--preset", choices=[PORTAL, ENTRA], help="portal: the portal's template; entra: Entra ID's Download users"
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help='A JSON file naming the heading for each field, e.g. {"staff_number": ["employeeId", "objectId"]}',
        )
        parser.add_argument(
            "--full", action="store_true", help="This is the full staff list: make anyone not in it inactive."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would change and change nothing.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation (for scripts).")
        parser.add_argument(
            "--create-duplicate", action="append", default=[], metavar="CODE",
            help="Create this new department even though an existing one has the same or a close name (default: use the existing).",
        )  # fmt: skip
        parser.add_argument(
            "--rename-department", action="append", default=[], metavar="CODE",
            help="Give this existing department the names in the file (default: keep the portal's names).",
        )  # fmt: skip

    def handle(self, *args, file: Path, preset=None, mapping=None, full=False, dry_run=False, yes=False, **options):
        try:
            data = file.read_bytes()
            chosen = json.loads(mapping.read_text(encoding="utf-8")) if mapping else None
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {mapping or file}: {error}") from error
        if chosen is not None and not isinstance(chosen, dict):
            raise CommandError("The mapping file must hold a JSON object of field: heading.")
        request = {
            "data": data, "filename": file.name, "full": full, "preset": preset, "mapping": chosen,
            "keep_duplicates": options["create_duplicate"], "rename_departments": options["rename_department"],
        }  # fmt: skip
        with translation.override(settings.LANGUAGE_CODE):  # the command speaks the portal's default language
            if yes and not dry_run:
                self._write_plan(self._import(request), file)
                self.stdout.write("Imported.")
                return
            plan = self._plan(request)
            self._write_plan(plan, file)
            if dry_run:
                self.stdout.write("Dry run: nothing was changed.")
                return
            inactive = len(plan.deactivated) + len(plan.made_inactive_in_file)
            if full or inactive:
                self._confirm(inactive, options.get("stdin") or sys.stdin)
            self._import({**request, "confirmed_deactivations": len(plan.deactivated)})
        self.stdout.write("Imported.")

    def _plan(self, request: dict) -> ImportPlan:
        try:
            plan = plan_staff_file(**request)
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.messages)) from error
        if not plan.is_valid:
            raise CommandError("Nothing was imported:\n" + "\n".join(str(problem) for problem in plan.errors))
        return plan

    def _import(self, request: dict) -> ImportPlan:
        try:
            return import_staff(**request)
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.messages)) from error

    def _confirm(self, inactive: int, stdin) -> None:
        """Ask at a terminal; anywhere else (a script, a pipe, cron) refuse rather than wait for an answer."""
        if not stdin.isatty():
            raise CommandError(
                f"This import makes {_people(inactive)} inactive and needs confirmation. Nothing was changed: run it "
                "again with --yes to confirm (for scripts), or with --dry-run to see the plan only."
            )
        self.stdout.write(f"Make {_people(inactive)} inactive and import? Type yes to continue: ", ending="")
        self.stdout.flush()
        if stdin.readline().strip().lower() not in ("y", "yes"):
            raise CommandError("Cancelled: nothing was changed.")

    def _write_plan(self, plan: ImportPlan, file: Path) -> None:
        write = self.stdout.write
        write(f"{file.name}: {len(plan.rows)} rows")
        for label, count in (
            ("New people", len(plan.new)),
            ("Changed", len(plan.changed)),
            ("Made inactive (not in the full list)", len(plan.deactivated)),
            ("Made inactive by the file's Active column", len(plan.made_inactive_in_file)),
            ("Unchanged", plan.unchanged),
            ("Guest accounts skipped", plan.guests_skipped),
            ("New departments", len(plan.departments_to_create)),
        ):
            write(f"  {label}: {count}")
        for department in plan.departments_to_create:
            origin = "code from the file" if department.code_from_file else "code made from the name"
            welsh = department.name_cy or "Welsh name missing: add it in the admin"
            write(f"  New department {department.code} – {department.name_en} ({origin}; {welsh})")
        for department in plan.likely_duplicates:
            duplicate_of = department.duplicate_of
            if duplicate_of is None:  # a likely duplicate always names the department it resembles
                continue
            existing = f"{duplicate_of.code} – {duplicate_of.name_en}"
            if department.merged:
                write(
                    f"  Department “{department.name_en}” in the file: using the portal's {existing}. "
                    f"To create it as {department.code} instead, add --create-duplicate {department.code}"
                )
            else:
                write(
                    f"  Department “{department.name_en}”: creating {department.code} although the portal has {existing}"
                )
        for difference in plan.name_differences:
            code, portal, named = difference.department.code, difference.department, f"“{difference.names_in_file}”"
            if difference.renamed:
                write(f"  Department {code} takes the name in the file: {named}")
            else:
                write(
                    f"  Department {code} is called {named} in the file: keeping the portal's “{portal.name_en}”"
                    f"{' / ' + portal.name_cy if portal.name_cy else ''}. "
                    f"To use the file's name, add --rename-department {code}"
                )

        # People last: the list of leavers can be long, and the question follows it.
        self._write_people(
            "Not in the full list, made inactive:",
            [(p["staff_number"], p["first_name"], p["last_name"]) for p in plan.deactivated],
        )
        self._write_people(
            "Made inactive by the file:",
            [(r.staff_number, r.first_name, r.last_name) for r in plan.made_inactive_in_file],
        )

    def _write_people(self, heading: str, people: list[tuple[str, str, str]]) -> None:
        if people:
            self.stdout.write(f"  {heading}")
            for number, first_name, last_name in people[:LISTED]:
                self.stdout.write(f"    {number} – {first_name} {last_name}")
            if len(people) > LISTED:
                self.stdout.write(f"    … and {len(people) - LISTED} more")
