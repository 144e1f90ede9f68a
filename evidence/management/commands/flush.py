"""Django's `flush`, refused while the database holds evidence (see `evidence/guard.py`). On a database without
evidence, or one marked disposable (the test runner flushes after each transactional test), it runs unlocked, which
on PostgreSQL only works for the tables' owner."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from evidence.guard import refuse_if_evidence
from evidence.unlock import evidence_unlocked


class Command(FlushCommand):
    def handle(self, **options):
        refuse_if_evidence(connections[options["database"]], action="flush")
        with evidence_unlocked(options["database"]):
            return super().handle(**options)
