"""Django's `sqlflush` (the SQL `flush` would run), refused while the database holds evidence, like `flush`."""

from django.core.management.commands.sqlflush import Command as SqlFlushCommand
from django.db import connections

from evidence.guard import refuse_if_evidence


class Command(SqlFlushCommand):
    def handle(self, **options):
        refuse_if_evidence(connections[options["database"]], action="sqlflush")
        return super().handle(**options)
