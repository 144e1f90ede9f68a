"""Database triggers that refuse changes to evidence: acknowledgements (declarations), published guidance versions
with their sections (which carry the principles' text as published), the evidence chain and the retention runs, a
submitted attempt's result, and the name of a cycle once a declaration refers to it. UPDATE and DELETE (and on
PostgreSQL TRUNCATE) are refused whatever route a change takes — the ORM's base manager,
`bulk_create(update_conflicts=True)`, `_raw_delete`, raw SQL — unless the connection was unlocked by
`evidence.unlock.evidence_unlocked` (the retention command, and `flush` of a database marked disposable).

On PostgreSQL the unlock needs two things: the session setting `portal.evidence_unlocked`, which anyone can set, and
being (a member of) the role that owns the table, which the portal's own role is not (README "Deploying"). The
functions pin their `search_path`, so a function of the same name elsewhere cannot stand in for them; only their owner
can replace them, and only a table's owner can disable its triggers.

`install` is idempotent: the evidence migrations run it, and so does every `migrate` (post_migrate), because SQLite
drops a table's triggers when a later migration rebuilds the table.
"""

from assessments.models import ATTEMPT_RESULT  # a submitted attempt's result, whose it is and when

PROTECTED_TABLES = [
    "assessments_acknowledgement",
    "guidance_guidanceversion",
    "guidance_section",
    "evidence_chainlink",
    "evidence_retentionrun",
    "assessments_attempt",
    "cycles_cycle",
]

PUBLISHED = "SELECT 1 FROM guidance_guidanceversion WHERE id = {ref}.version_id AND status = 'published'"
SQLITE_RESULT_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in ATTEMPT_RESULT)
POSTGRESQL_RESULT_CHANGED = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in ATTEMPT_RESULT)
DECLARED = "SELECT 1 FROM assessments_acknowledgement WHERE cycle_id = OLD.id"

SQLITE_TRIGGERS = {
    "evidence_acknowledgement_update": (
        "BEFORE UPDATE ON assessments_acknowledgement WHEN NOT portal_evidence_unlocked()",
        "an acknowledgement cannot be changed",
    ),
    "evidence_acknowledgement_delete": (
        "BEFORE DELETE ON assessments_acknowledgement WHEN NOT portal_evidence_unlocked()",
        "an acknowledgement cannot be deleted",
    ),
    "evidence_version_update": (
        "BEFORE UPDATE ON guidance_guidanceversion WHEN OLD.status = 'published' AND NOT portal_evidence_unlocked()",
        "a published guidance version cannot be changed",
    ),
    "evidence_version_delete": (
        "BEFORE DELETE ON guidance_guidanceversion WHEN OLD.status = 'published' AND NOT portal_evidence_unlocked()",
        "a published guidance version cannot be deleted",
    ),
    "evidence_section_insert": (
        f"BEFORE INSERT ON guidance_section WHEN EXISTS ({PUBLISHED.format(ref='NEW')}) "
        "AND NOT portal_evidence_unlocked()",
        "a published guidance version cannot be changed",
    ),
    "evidence_section_update": (
        f"BEFORE UPDATE ON guidance_section WHEN (EXISTS ({PUBLISHED.format(ref='OLD')}) "
        f"OR EXISTS ({PUBLISHED.format(ref='NEW')})) AND NOT portal_evidence_unlocked()",
        "a section of a published guidance version cannot be changed",
    ),
    "evidence_section_delete": (
        f"BEFORE DELETE ON guidance_section WHEN EXISTS ({PUBLISHED.format(ref='OLD')}) "
        "AND NOT portal_evidence_unlocked()",
        "a section of a published guidance version cannot be deleted",
    ),
    "evidence_chainlink_update": (
        "BEFORE UPDATE ON evidence_chainlink WHEN NOT portal_evidence_unlocked()",
        "the evidence chain cannot be changed",
    ),
    "evidence_chainlink_delete": (
        "BEFORE DELETE ON evidence_chainlink WHEN NOT portal_evidence_unlocked()",
        "the evidence chain cannot be changed",
    ),
    "evidence_retentionrun_update": (
        "BEFORE UPDATE ON evidence_retentionrun WHEN NOT portal_evidence_unlocked()",
        "a retention run cannot be changed",
    ),
    "evidence_retentionrun_delete": (
        "BEFORE DELETE ON evidence_retentionrun WHEN NOT portal_evidence_unlocked()",
        "a retention run cannot be deleted",
    ),
    "evidence_attempt_update": (
        f"BEFORE UPDATE ON assessments_attempt WHEN OLD.status = 'submitted' AND ({SQLITE_RESULT_CHANGED}) "
        "AND NOT portal_evidence_unlocked()",
        "the result of a submitted attempt cannot be changed",
    ),
    "evidence_attempt_delete": (
        "BEFORE DELETE ON assessments_attempt WHEN OLD.status = 'submitted' AND NOT portal_evidence_unlocked()",
        "a submitted attempt cannot be deleted",
    ),
    "evidence_cycle_update": (
        f"BEFORE UPDATE ON cycles_cycle WHEN NEW.name IS NOT OLD.name AND EXISTS ({DECLARED}) "
        "AND NOT portal_evidence_unlocked()",
        "the name of a cycle people have declared in cannot be changed",
    ),
}

POSTGRESQL_FUNCTIONS = """
CREATE OR REPLACE FUNCTION evidence_unlocked(relation oid) RETURNS boolean LANGUAGE sql STABLE
SET search_path = pg_catalog, {schema} AS $$
  SELECT coalesce(current_setting('portal.evidence_unlocked', true), 'off') = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = relation), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION evidence_refuse() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, {schema} AS $$
BEGIN
  IF evidence_unlocked(TG_RELID) THEN
    IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'evidence: % on % refused; evidence never changes', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION evidence_refuse_published_section() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, {schema} AS $$
BEGIN
  IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM guidance_guidanceversion WHERE id = OLD.version_id AND status = 'published'))
     OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM guidance_guidanceversion WHERE id = NEW.version_id AND status = 'published')) THEN
    IF NOT evidence_unlocked(TG_RELID) THEN
      RAISE EXCEPTION 'evidence: % on a section of a published guidance version refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION evidence_refuse_declared_cycle_rename() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, {schema} AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name AND EXISTS (SELECT 1 FROM assessments_acknowledgement WHERE cycle_id = OLD.id)
     AND NOT evidence_unlocked(TG_RELID) THEN
    RAISE EXCEPTION 'evidence: the name of a cycle people have declared in cannot be changed'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

DROP FUNCTION IF EXISTS evidence_unlocked();
"""


def _row_and_truncate(name: str, table: str, when: str = "") -> list[str]:
    condition = f"WHEN ({when}) " if when else ""
    return [
        f"CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW {condition}EXECUTE FUNCTION evidence_refuse()",
        f"CREATE OR REPLACE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse()",
    ]


POSTGRESQL_TRIGGERS = [
    *_row_and_truncate("evidence_acknowledgement", "assessments_acknowledgement"),
    *_row_and_truncate("evidence_version", "guidance_guidanceversion", "OLD.status = 'published'"),
    "CREATE OR REPLACE TRIGGER evidence_section BEFORE INSERT OR UPDATE OR DELETE ON guidance_section "
    "FOR EACH ROW EXECUTE FUNCTION evidence_refuse_published_section()",
    "CREATE OR REPLACE TRIGGER evidence_section_truncate BEFORE TRUNCATE ON guidance_section "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse()",
    *_row_and_truncate("evidence_chainlink", "evidence_chainlink"),
    *_row_and_truncate("evidence_retentionrun", "evidence_retentionrun"),
    "CREATE OR REPLACE TRIGGER evidence_attempt BEFORE UPDATE ON assessments_attempt FOR EACH ROW "
    f"WHEN (OLD.status = 'submitted' AND ({POSTGRESQL_RESULT_CHANGED})) EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_attempt_delete BEFORE DELETE ON assessments_attempt FOR EACH ROW "
    "WHEN (OLD.status = 'submitted') EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_cycle BEFORE UPDATE ON cycles_cycle FOR EACH ROW "
    "EXECUTE FUNCTION evidence_refuse_declared_cycle_rename()",
]

POSTGRESQL_TRIGGER_NAMES = [
    (statement.split()[4], statement.split(" ON ")[1].split()[0]) for statement in POSTGRESQL_TRIGGERS
]  # (trigger, table)
POSTGRESQL_FUNCTION_NAMES = [
    "evidence_refuse_declared_cycle_rename()",
    "evidence_refuse_published_section()",
    "evidence_refuse()",
    "evidence_unlocked(oid)",
]


def _schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return '"' + cursor.fetchone()[0].replace('"', '""') + '"'


def _table(statement: str) -> str:
    return statement.split(" ON ")[1].split()[0]


def install(connection) -> None:
    """Install every trigger whose table exists yet (migration 0002 runs before the chain's table is created)."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTIONS.replace("{schema}", _schema(cursor)))
            for statement in POSTGRESQL_TRIGGERS:
                if _table(statement) in existing:
                    cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for name, (when, message) in SQLITE_TRIGGERS.items():
                if _table(when) not in existing:
                    continue
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN SELECT RAISE(ABORT, 'evidence: {message}'); END"
                )


def remove(connection, names=None) -> None:
    """Drop the triggers (all, or those in `names`) and, when all go, the functions."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table in POSTGRESQL_TRIGGER_NAMES:
                if names is None or name in names:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            if names is None:
                cursor.execute(f"DROP FUNCTION IF EXISTS {', '.join(POSTGRESQL_FUNCTION_NAMES)}")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                if names is None or name in names:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def installed(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'evidence_%%' AND NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'evidence_%'")
        return {row[0] for row in cursor.fetchall()}


def ensure_installed(sender, using="default", **kwargs):
    """post_migrate: put back triggers a table rebuild removed (only once the protected tables all exist)."""
    from django.db import connections

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if set(PROTECTED_TABLES) <= existing and sender.name == "evidence":
        install(connection)
