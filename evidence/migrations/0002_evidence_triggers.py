"""Hand-written (keep when squashing): the database refuses changes to the evidence — acknowledgements, published
guidance and its sections, a submitted attempt's result, a declared cycle's name, the evidence chain and retention
runs — and on PostgreSQL only the tables' owner can unlock them.

The SQL is in `evidence/triggers.py` (one place for PostgreSQL and SQLite); `migrate` also re-installs it afterwards,
since SQLite drops triggers when it rebuilds a table.
"""

from django.db import migrations


def install(apps, schema_editor):
    from evidence.triggers import install

    install(schema_editor.connection)


def remove(apps, schema_editor):
    from evidence.triggers import remove

    remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("assessments", "0001_initial"),
        ("cycles", "0001_initial"),
        ("guidance", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
