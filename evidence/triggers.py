"""Database triggers that refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) of evidence: acknowledgements, and
published guidance versions with their sections (which carry the principles' text as published). Whatever route a
change takes — the ORM's base manager, `bulk_create(update_conflicts=True)`, `_raw_delete`, raw SQL — the database
refuses it, unless the connection was unlocked by `evidence.unlock.evidence_unlocked` (the retention command).

`install` is idempotent: migration 0002 runs it, and so does every `migrate` (post_migrate), because SQLite drops a
table's triggers when a later migration rebuilds the table.
"""

PROTECTED_TABLES = ["assessments_acknowledgement", "guidance_guidanceversion", "guidance_section"]

PUBLISHED = "SELECT 1 FROM guidance_guidanceversion WHERE id = {ref}.version_id AND status = 'published'"

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
}

POSTGRESQL_FUNCTIONS = """
CREATE OR REPLACE FUNCTION evidence_unlocked() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('portal.evidence_unlocked', true), 'off') = 'on'
$$;

CREATE OR REPLACE FUNCTION evidence_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF evidence_unlocked() THEN
    IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'evidence: % on % refused; acknowledgements and published guidance never change', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION evidence_refuse_published_section() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM guidance_guidanceversion WHERE id = OLD.version_id AND status = 'published'))
     OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM guidance_guidanceversion WHERE id = NEW.version_id AND status = 'published')) THEN
    IF NOT evidence_unlocked() THEN
      RAISE EXCEPTION 'evidence: % on a section of a published guidance version refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
"""

POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE TRIGGER evidence_acknowledgement BEFORE UPDATE OR DELETE ON assessments_acknowledgement "
    "FOR EACH ROW EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_acknowledgement_truncate BEFORE TRUNCATE ON assessments_acknowledgement "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_version BEFORE UPDATE OR DELETE ON guidance_guidanceversion "
    "FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_version_truncate BEFORE TRUNCATE ON guidance_guidanceversion "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse()",
    "CREATE OR REPLACE TRIGGER evidence_section BEFORE INSERT OR UPDATE OR DELETE ON guidance_section "
    "FOR EACH ROW EXECUTE FUNCTION evidence_refuse_published_section()",
    "CREATE OR REPLACE TRIGGER evidence_section_truncate BEFORE TRUNCATE ON guidance_section "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse()",
]

POSTGRESQL_TRIGGER_NAMES = [
    ("evidence_acknowledgement", "assessments_acknowledgement"),
    ("evidence_acknowledgement_truncate", "assessments_acknowledgement"),
    ("evidence_version", "guidance_guidanceversion"),
    ("evidence_version_truncate", "guidance_guidanceversion"),
    ("evidence_section", "guidance_section"),
    ("evidence_section_truncate", "guidance_section"),
]


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTIONS)
            for statement in POSTGRESQL_TRIGGERS:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for name, (when, message) in SQLITE_TRIGGERS.items():
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
                    f"BEGIN SELECT RAISE(ABORT, 'evidence: {message}'); END"
                )


def remove(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table in POSTGRESQL_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS evidence_refuse_published_section(), evidence_refuse(), "
                           "evidence_unlocked()")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
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
