from django.core.management.base import BaseCommand, CommandError

from assessments.models import Cycle
from assessments.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue an email to everyone who has not completed this cycle (at most once a week) and one summary per line "
        "manager; the background worker sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be emailed; send nothing.")
        parser.add_argument("--cycle", help="Cycle name (default: the current cycle)")

    def handle(self, *args, dry_run=False, cycle=None, **options):
        chosen = Cycle.objects.filter(name=cycle).first() if cycle else Cycle.objects.current()
        if chosen is None:
            raise CommandError("No such cycle." if cycle else "There is no current cycle.")
        run = send_reminders(cycle=chosen, dry_run=dry_run)
        verb = "Would send" if dry_run else "Queued"
        for person in run.staff:
            self.stdout.write(f"{verb} reminder to {person.email}")
        for manager, reports in run.managers:
            self.stdout.write(f"{verb} team summary to {manager.email} ({len(reports)} outstanding)")
        self.stdout.write(f"{verb} {len(run.staff)} reminders and {len(run.managers)} manager summaries for {chosen}.")
