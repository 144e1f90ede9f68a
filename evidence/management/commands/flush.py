"""Django's `flush`, able to empty the evidence tables only on a test or development database (the test runner
flushes after each transactional test); anywhere else the triggers refuse it as they refuse everything else."""

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from evidence.unlock import evidence_unlocked


def disposable(connection) -> bool:
    if settings.DEBUG or str(connection.settings_dict["NAME"]).startswith("test_"):
        return True
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if not disposable(connection):
            return super().handle(**options)
        with evidence_unlocked(options["database"]):
            return super().handle(**options)
