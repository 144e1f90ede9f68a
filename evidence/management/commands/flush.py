"""Django's `flush`, able to empty the evidence tables only on a test or development database (the test runner
flushes after each transactional test); anywhere else the triggers refuse it as they refuse everything else."""

from pathlib import Path

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from evidence.unlock import evidence_unlocked


def disposable(connection) -> bool:
    # The test runner's databases are named test_…; a SQLite test database is a file of that name in some directory.
    if settings.DEBUG or Path(str(connection.settings_dict["NAME"])).name.startswith("test_"):
        return True
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if not disposable(connection):
            return super().handle(**options)
        with evidence_unlocked(options["database"]):
            return super().handle(**options)
