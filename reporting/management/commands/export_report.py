import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cycles.models import Cycle
from reporting import exports, workbook

DASHES = ("-", "‐", "‑", "‒", "—", "―")  # hyphen and look-alikes people type for the en dash in "2026–27"


def cycle_named(name: str) -> Cycle | None:
    """The cycle called ``name``, accepting a hyphen (or another dash) where the name has an en dash."""
    normalised = name.strip()
    for dash in DASHES:
        normalised = normalised.replace(dash, "–")
    return Cycle.objects.filter(name__in={name.strip(), normalised}).first()


class Command(BaseCommand):
    help = "Write the completion report for a cycle as CSV or XLSX (the same as the HR download)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", help="Cycle name, e.g. 2026-27 or 2026–27 (default: the current cycle)")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--language", choices=["en", "cy"], default="en", help="Language of headings and labels")
        parser.add_argument("--outstanding", action="store_true", help="Only people who have not completed")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output, CSV only)")

    def handle(self, *args, cycle=None, format="csv", language="en", outstanding=False, output=None, **options):
        chosen = cycle_named(cycle) if cycle else Cycle.objects.current()
        if chosen is None:
            if not cycle:
                raise CommandError("There is no current cycle.")
            known = ", ".join(Cycle.objects.order_by("-opens_on").values_list("name", flat=True)) or "none"
            raise CommandError(f"No cycle called {cycle!r}. Cycles: {known}.")
        if format == "xlsx" and output is None:
            raise CommandError("Give --output for an XLSX file.")
        with translation.override(language):
            self._write(chosen, format=format, outstanding=outstanding, output=output)
        if output:
            self.stderr.write(f"Wrote {output}")

    def _write(self, cycle, *, format, outstanding, output):
        if format == "xlsx":
            with output.open("wb") as handle:
                workbook.write_xlsx(handle, cycle=cycle, outstanding_only=outstanding)
            return
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for line in exports.csv_lines(cycle=cycle, outstanding_only=outstanding):
                handle.write(line)
        finally:
            if output:
                handle.close()
