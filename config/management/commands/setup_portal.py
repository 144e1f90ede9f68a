from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.content import ensure_current_cycle, load_questions
from guidance.content import load_guidance
from legal.services import load_legal_pages
from portal.welsh_corrections import apply_welsh_corrections
from xliff.services import load_shipped_link_pairs


class Command(BaseCommand):
    help = "Load the guidance, the scenario questions and a current cycle; with DEBUG on, also the demo accounts."

    def handle(self, *args, **options):
        version = load_guidance()
        load_shipped_link_pairs()
        added = load_questions()
        cycle = ensure_current_cycle()
        load_legal_pages()
        corrected = apply_welsh_corrections()
        self.stdout.write(f"Guidance version {version.number} published; {added} new questions; current cycle {cycle}.")
        if corrected:
            self.stdout.write(f"Welsh corrected in {corrected} scenario texts and legal pages.")
        if settings.DEBUG:
            from config.demo import ACCOUNTS, DEMO_PASSWORD, create_demo_data
            from config.demo_people import create_demo_people

            create_demo_data()
            names = ", ".join(account[0] for account in ACCOUNTS)
            self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): {names}")
            created = create_demo_people()
            if created:
                self.stdout.write(
                    f"{created} demo people with attempts and declarations in this and last year's cycle."
                )
        else:
            self.stdout.write("DEBUG is off: no demo accounts created.")
