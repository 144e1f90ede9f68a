"""The two PostgreSQL roles: the owner (runs migrations and `apply_retention`; owns every table and function) and the
portal's own role (`DATABASE_URL`: the web servers and the worker), which owns nothing and may only read and write
rows. The owner's connection is the `owner` database alias, configured from `DATABASE_OWNER_URL`; without it (SQLite,
or one role for everything) the default connection does both jobs.

After each `migrate` run as the owner, `grant_app_role` gives the portal's role what it needs and no more: rows of
every table (the triggers still refuse changes to evidence), the sequences, and nothing on retention runs but reading.
Not being the owner is what keeps it from disabling triggers, replacing the evidence functions or unlocking them.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

OWNER_ALIAS = "owner"


def owner_alias() -> str:
    return OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else DEFAULT_DB_ALIAS


def grant_app_role(connection, app_role: str) -> None:
    from psycopg import sql

    role = sql.Identifier(app_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = sql.Identifier(cursor.fetchone()[0])
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC, {}").format(schema, role),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(schema, role),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, role),
            # Only the owner's retention command writes retention runs.
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON evidence_retentionrun FROM {}").format(role),
        ]
        for statement in statements:
            cursor.execute(statement)


def grant_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (once, for the evidence app): migrated as the owner, so let the portal's role use the tables."""
    if sender.name != "evidence" or using != OWNER_ALIAS:
        return
    owner, app = connections[OWNER_ALIAS], connections[DEFAULT_DB_ALIAS]
    if owner.vendor == "postgresql" and app.settings_dict["USER"] != owner.settings_dict["USER"]:
        grant_app_role(owner, app.settings_dict["USER"])
