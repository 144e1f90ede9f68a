import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Cycle
from assessments.reports import exports, workbook


class Command(BaseCommand):
    help = "Write the completion report for a cycle as CSV or XLSX (the same as the HR download)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", help="Cycle name, e.g. 2026–27 (default: the current cycle)")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--outstanding", action="store_true", help="Only people who have not completed")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output, CSV only)")

    def handle(self, *args, cycle=None, format="csv", outstanding=False, output=None, **options):
        chosen = Cycle.objects.filter(name=cycle).first() if cycle else Cycle.objects.current()
        if chosen is None:
            raise CommandError(f"No cycle called {cycle!r}." if cycle else "There is no current cycle.")
        if format == "xlsx":
            if output is None:
                raise CommandError("Give --output for an XLSX file.")
            with output.open("wb") as handle:
                workbook.write_xlsx(handle, cycle=chosen, outstanding_only=outstanding)
        else:
            handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                for line in exports.csv_lines(cycle=chosen, outstanding_only=outstanding):
                    handle.write(line)
            finally:
                if output:
                    handle.close()
        if output:
            self.stderr.write(f"Wrote {output}")
