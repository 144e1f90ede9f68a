from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cycles.models import Cycle
from reporting.reminders import plan_for_day, send_for_day


class Command(BaseCommand):
    help = (
        "Queue today's scheduled reminders and line manager summaries in the outbox (the worker runs this every hour "
        "by itself). Nobody gets more than one email a day; the exempt and those who have completed get none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be emailed today; send nothing.")
        parser.add_argument("--cycle", help="Cycle name (default: the current cycle)")
        parser.add_argument("--date", help="Plan for this day instead of today (YYYY-MM-DD); only with --dry-run.")

    def handle(self, *args, dry_run=False, cycle=None, date=None, **options):
        chosen = Cycle.objects.filter(name=cycle).first() if cycle else Cycle.objects.current()
        if chosen is None:
            raise CommandError("No such cycle." if cycle else "There is no current cycle.")
        day = self._day(date, dry_run)
        plan = plan_for_day(cycle=chosen, today=day) if dry_run else send_for_day(cycle=chosen, today=day)
        verb = "Would send" if dry_run else "Queued"
        for item in plan.reminders:
            self.stdout.write(
                f"{verb} {item.reminder.step} reminder to {item.person.email} (due {item.reminder.due_date:%Y-%m-%d})"
            )
        for summary in plan.summaries:
            self.stdout.write(f"{verb} team summary to {summary.manager.email} ({len(summary.overdue)} overdue)")
        self.stdout.write(
            f"{verb} {len(plan.reminders)} reminders and {len(plan.summaries)} manager summaries for {chosen} on "
            f"{day:%Y-%m-%d}; {plan.already_emailed} more wait because they have had an email today."
        )

    @staticmethod
    def _day(value, dry_run) -> date:
        if value is None:
            return timezone.localdate()
        if not dry_run:
            raise CommandError("--date only plans: use it with --dry-run.")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError("--date must look like 2027-01-31.") from None
