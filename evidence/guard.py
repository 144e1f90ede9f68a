"""Destructive commands (`flush`, `sqlflush`, `migrate <app> zero` and other backwards migrations of the evidence's
apps) refuse while the database holds evidence, whatever DEBUG says: the decision comes from the database itself.

A database made only to be thrown away (the test suite's) says so with a table of its own, `DISPOSABLE_TABLE`, which
no migration creates and `flush` never empties; on PostgreSQL the portal's role cannot create tables, so it cannot
mark the live database disposable either.
"""

from django.core.management.base import CommandError

DISPOSABLE_TABLE = "evidence_disposable_database"

# Tables whose rows are evidence (with the condition that makes a row evidence).
EVIDENCE = [
    ("assessments_acknowledgement", ""),
    ("guidance_guidanceversion", "status = 'published'"),
    ("assessments_attempt", "status = 'submitted'"),
    ("evidence_chainlink", ""),
    ("evidence_retentionrun", ""),
]
EVIDENCE_APPS = {"assessments", "guidance", "evidence"}


def holds_evidence(connection) -> bool:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, condition in EVIDENCE:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {table}{' WHERE ' + condition if condition else ''} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def is_disposable(connection) -> bool:
    return DISPOSABLE_TABLE in connection.introspection.table_names()


def mark_disposable(connection) -> None:
    """For test databases only: allow `flush` and backwards migrations although they hold evidence."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {DISPOSABLE_TABLE} (note varchar(100))")
        cursor.execute(f"INSERT INTO {DISPOSABLE_TABLE} (note) VALUES ('a test database: flush may empty it')")


def refuse_if_evidence(connection, *, action: str) -> None:
    if is_disposable(connection) or not holds_evidence(connection):
        return
    raise CommandError(
        f"Refused: {action} would remove evidence (declarations, published guidance, submitted attempts or the "
        "evidence chain), and this database holds some. Evidence leaves only through `apply_retention`. "
        "To start a development database again, delete it (for SQLite, db.sqlite3) and run `make setup`."
    )
