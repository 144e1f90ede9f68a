"""The one way past the evidence triggers: `evidence_unlocked()`, used only by the retention command (and by `flush`
on a database without evidence or marked disposable, see `evidence/guard.py`).

The triggers (`evidence/triggers.py`) ask the connection whether it is unlocked: on PostgreSQL through the session
setting `portal.evidence_unlocked`, which counts only for the role that owns the table (the portal's own role sets it
in vain); on SQLite through a function this module registers on each connection. A connection that has not been
unlocked, and any other program opening the SQLite file (which lacks the function), is refused; a program that
registers its own function is not, which the evidence chain then shows (`verify_evidence`).
"""

from contextlib import contextmanager

from django.db import connections

SETTING = "portal.evidence_unlocked"


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "portal_evidence_unlocked", 0, lambda: 1 if getattr(connection, "evidence_unlocked", False) else 0
        )


@contextmanager
def evidence_unlocked(using: str = "default"):
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [SETTING])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [SETTING])
    else:
        connection.evidence_unlocked = True  # type: ignore[attr-defined]  # read by the SQLite function above
        try:
            yield
        finally:
            connection.evidence_unlocked = False  # type: ignore[attr-defined]
