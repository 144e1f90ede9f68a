"""Django's `migrate`, run as the database's owner when `DATABASE_OWNER_URL` is set (the portal's own role may not
change the schema), and refusing to unapply the evidence's apps (`migrate assessments zero`, …) while the database
holds evidence."""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from evidence.guard import EVIDENCE_APPS, refuse_if_evidence
from evidence.roles import connected_as_owner, grant_app_role


class Command(MigrateCommand):
    def handle(self, *args, **options):
        with connected_as_owner() as app_role:
            connection = connections[options["database"]]
            app_label, name = options.get("app_label"), options.get("migration_name")
            if app_label and name and self._unapplies_evidence(connection, app_label, name):
                refuse_if_evidence(connection, action=f"migrate {app_label} {name}")
            super().handle(*args, **options)
            if app_role and connection.vendor == "postgresql" and app_role != connection.settings_dict["USER"]:
                with connection.cursor() as cursor:
                    grant_app_role(cursor, app_role)

    @staticmethod
    def _unapplies_evidence(connection, app_label: str, name: str) -> bool:
        executor = MigrationExecutor(connection)
        try:
            target = None if name == "zero" else executor.loader.get_migration_by_prefix(app_label, name).name
        except (KeyError, ValueError):
            return False  # Django's own handling reports the unknown migration
        plan = executor.migration_plan([(app_label, target)])
        return any(backwards and migration.app_label in EVIDENCE_APPS for migration, backwards in plan)
