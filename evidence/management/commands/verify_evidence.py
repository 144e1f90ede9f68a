"""Re-hash the whole evidence chain and report the first break (exit status 1), or say it is intact and print its
head, which an auditor keeps and passes back with `--head` next time to prove nothing was rewritten since."""

from django.core.management.base import BaseCommand, CommandError

from evidence.chain import verify


class Command(BaseCommand):
    help = "Check every declaration, published guidance version and retention run against the evidence chain."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            default="",
            help="A head noted earlier (POSITION:SHA256, from the daily log or the XLSX summary) that must still be "
            "part of the chain.",
        )

    def handle(self, *args, head: str = "", **options):
        result = verify(expected_head=head)
        if not result.intact:
            more = len(result.breaks) - 1
            raise CommandError(
                f"Evidence chain broken at {result.breaks[0]}"
                + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")
                + f". {result.links} links checked."
            )
        retained = f", {result.retained_away} removed by retention runs" if result.retained_away else ""
        self.stdout.write(f"Evidence chain intact: {result.links} links{retained}. Head {result.head}")
