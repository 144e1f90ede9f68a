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


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_app_role(cursor, app_role: str) -> None:
    """Run as the owner (any DB-API cursor): what the portal's role may do, and no more."""
    role = quoted(app_role)
    cursor.execute("SELECT current_schema()")
    schema = quoted(cursor.fetchone()[0])
    for statement in [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # Only the owner's retention command writes retention runs.
        f"REVOKE INSERT, UPDATE, DELETE ON evidence_retentionrun FROM {role}",
    ]:
        cursor.execute(statement)


def grant_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (once, for the evidence app): migrated as the owner, so let the portal's role use the tables."""
    if sender.name != "evidence" or using != OWNER_ALIAS:
        return
    owner, app = connections[OWNER_ALIAS], connections[DEFAULT_DB_ALIAS]
    if owner.vendor == "postgresql" and app.settings_dict["USER"] != owner.settings_dict["USER"]:
        with owner.cursor() as cursor:
            grant_app_role(cursor, app.settings_dict["USER"])
