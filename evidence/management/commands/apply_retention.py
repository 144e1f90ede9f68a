"""`manage.py apply_retention`: the retention path (evidence/services.py) from the command line, as the owner role."""

import getpass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evidence.services import apply_retention


class Command(BaseCommand):
    help = (
        "Remove acknowledgements made more than N years ago and the old published guidance versions no remaining "
        "acknowledgement refers to (never the latest), recording what was removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-years",
            type=int,
            default=settings.RETENTION_DECLARATION_YEARS,
            help="Default: RETENTION_DECLARATION_YEARS, the period the privacy notice states.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")
        parser.add_argument("--by", default="", help="Who is running this (default: the operating-system user).")

    def handle(self, *args, older_than_years: int, dry_run=False, by="", **options):
        try:
            run = apply_retention(older_than_years=older_than_years, ran_by=by or getpass.getuser(), dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {run.acknowledgements_removed} acknowledgements, {run.versions_removed} guidance versions and "
            f"{run.sections_removed} sections from before {run.cutoff:%Y-%m-%d}."
        )
