"""The two PostgreSQL roles: the owner (runs migrations and `apply_retention`; owns every table and function) and the
portal's own role (`DATABASE_URL`: the web servers and the worker), which owns nothing and may only read and write
rows. `migrate` and `apply_retention` run `connected_as_owner`: the default connection signs in with
`DATABASE_OWNER_URL` for the whole command, so every migration (third-party ones included) and signal handler acts as
the owner. Without it (SQLite, or one role for everything) the default connection does both jobs.

After each `migrate` run as the owner, `grant_app_role` gives the portal's role what it needs and no more: rows of
every table (the triggers still refuse changes to evidence), the sequences, and nothing on retention runs but reading.
Not being the owner is what keeps it from disabling triggers, replacing the evidence functions or unlocking them.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

SIGN_IN = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def connected_as_owner():
    """For the command's duration the default connection signs in as the owner; yields the portal's own role (or
    None when no owner is configured, and nothing changes)."""
    owner = settings.DATABASE_OWNER
    if not owner:
        yield None
        return
    connection = connections[DEFAULT_DB_ALIAS]
    saved = {key: connection.settings_dict.get(key) for key in SIGN_IN}
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in SIGN_IN})
    try:
        yield saved["USER"]
    finally:
        connection.close()
        connection.settings_dict.update(saved)


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
