"""Hand-written (keep when squashing): the triggers now also protect the evidence chain, retention runs, a submitted
attempt's result and a declared cycle's name, and on PostgreSQL only the tables' owner can unlock them. The records
written before the chain existed are chained, oldest first.

The SQL is in `evidence/triggers.py`; the chain in `evidence/chain.py`.
"""

from django.db import migrations


def protect_and_chain(apps, schema_editor):
    from evidence.chain import link_existing
    from evidence.triggers import install

    install(schema_editor.connection)
    Acknowledgement = apps.get_model("assessments", "Acknowledgement")
    GuidanceVersion = apps.get_model("guidance", "GuidanceVersion")
    # Only a database that already holds evidence needs chaining; the chain reads the records through the current
    # models, which a fresh database (where later migrations add columns) must not be asked to.
    if Acknowledgement.objects.exists() or GuidanceVersion.objects.filter(status="published").exists():
        link_existing()


def unprotect(apps, schema_editor):
    from evidence.triggers import POSTGRESQL_TRIGGER_NAMES, SQLITE_TRIGGERS, remove

    added = ("evidence_chainlink", "evidence_retentionrun", "evidence_attempt", "evidence_cycle")
    names = [
        name
        for name in [*SQLITE_TRIGGERS, *(name for name, _table in POSTGRESQL_TRIGGER_NAMES)]
        if name.startswith(added)
    ]
    remove(schema_editor.connection, names=names)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_evidence_chain"),
        ("evidence", "0002_evidence_triggers"),
        ("assessments", "0001_initial"),
        ("guidance", "0001_initial"),
    ]

    operations = [migrations.RunPython(protect_and_chain, unprotect)]
