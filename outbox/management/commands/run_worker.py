from django.core.management.base import BaseCommand

from outbox.worker import run_forever, run_once


class Command(BaseCommand):
    help = "Run the background worker: deliver queued email (with retries) and the periodic jobs. Stop with Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when there is nothing to do.")
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")

    def handle(self, *args, interval=1.0, once=False, **options):
        if once:
            run_once()
        else:
            run_forever(interval=interval)
