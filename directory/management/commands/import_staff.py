from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory.staff_import import import_staff


class Command(BaseCommand):
    help = "Import the staff list from a CSV file: all rows or none. People missing from a full list are made inactive."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partial", action="store_true", help="Only add and update; make nobody inactive.")

    def handle(self, *args, file: Path, partial=False, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            plan = import_staff(data=data, full=not partial)
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.messages)) from error
        self.stdout.write(
            f"Imported {len(plan.rows)} rows: {len(plan.new)} new, {len(plan.changed)} changed, "
            f"{len(plan.deactivated)} made inactive, {plan.unchanged} unchanged."
        )
