import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from directory.importing.columns import ENTRA, PORTAL
from directory.services import import_staff


class Command(BaseCommand):
    help = (
        "Import the staff list from a CSV, XLSX or ODS file: all rows or none. Add --full to make people missing from "
        "the list inactive."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--preset", choices=[PORTAL, ENTRA], help="portal: the portal's template; entra: Entra ID's Download users")
        parser.add_argument(
            "--mapping", type=Path, help='A JSON file naming the heading for each field, e.g. {"staff_number": ["employeeId", "objectId"]}'
        )
        parser.add_argument("--full", action="store_true", help="This is the full staff list: make anyone not in it inactive.")
        parser.add_argument(
            "--create-duplicate", action="append", default=[], metavar="CODE",
            help="Create this new department even though an existing one has the same name (default: use the existing).",
        )  # fmt: skip

    def handle(self, *args, file: Path, preset=None, mapping=None, full=False, create_duplicate=(), **options):
        try:
            data = file.read_bytes()
            chosen = json.loads(mapping.read_text(encoding="utf-8")) if mapping else None
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {mapping or file}: {error}") from error
        if chosen is not None and not isinstance(chosen, dict):
            raise CommandError("The mapping file must hold a JSON object of field: heading.")
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the command speaks the portal's default language
                plan = import_staff(
                    data=data, filename=file.name, full=full, preset=preset, mapping=chosen, keep_duplicates=create_duplicate
                )
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.messages)) from error
        self.stdout.write(
            f"Imported {len(plan.rows)} rows: {len(plan.new)} new, {len(plan.changed)} changed, "
            f"{len(plan.deactivated)} made inactive, {plan.unchanged} unchanged, "
            f"{plan.guests_skipped} guest accounts skipped, {len(plan.departments_to_create)} departments created."
        )
        for department in plan.departments_to_create:
            if not department.name_cy:
                self.stdout.write(f"Department {department.code} ({department.name_en}) needs its Welsh name in the admin.")
