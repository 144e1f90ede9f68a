from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Attempt, AttemptQuestion


class Command(BaseCommand):
    help = "Remove the answers of attempts older than N years. Scores, results and acknowledgements are kept."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-years",
            type=int,
            default=settings.RETENTION_ANSWER_YEARS,
            help="Default: RETENTION_ANSWER_YEARS, the period the privacy notice states.",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than_years: int, dry_run=False, **options):
        if older_than_years < 1:
            raise CommandError("--older-than-years must be at least 1.")
        cutoff = timezone.now() - timedelta(days=365 * older_than_years)
        answers = AttemptQuestion.objects.filter(attempt__started_at__lt=cutoff)
        # Open attempts that old are abandoned: they can go whole, as nothing refers to them.
        abandoned = Attempt.objects.filter(
            started_at__lt=cutoff, status=Attempt.Status.IN_PROGRESS, acknowledgements=None
        )
        count, abandoned_count = answers.count(), abandoned.count()
        if not dry_run:
            with transaction.atomic():
                answers.delete()
                abandoned.delete()
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {count} answers and {abandoned_count} unfinished attempts from before {cutoff:%Y-%m-%d}."
        )
