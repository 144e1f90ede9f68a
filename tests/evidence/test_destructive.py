"""`flush`, `sqlflush` and migrating the evidence's apps backwards refuse while the database holds evidence, whatever
DEBUG says; only a database that marks itself disposable (the test suite's) may be emptied."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from assessments.models import Acknowledgement
from evidence.guard import DISPOSABLE_TABLE
from evidence.models import ChainLink
from guidance.models import GuidanceVersion

from .test_triggers import record  # noqa: F401 - the fixture: one declaration

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_database(settings):
    """The test database as a real one: no disposable mark (dropped inside the test's transaction), DEBUG on."""
    settings.DEBUG = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {DISPOSABLE_TABLE}")


@pytest.mark.parametrize("command", [["flush", "--noinput"], ["sqlflush"]])
def test_flushing_is_refused_while_evidence_is_held(record, live_database, command):  # noqa: F811
    with pytest.raises(CommandError, match=f"Refused: {command[0]} would remove evidence"):
        call_command(*command, verbosity=0)
    assert Acknowledgement.objects.filter(pk=record.pk).exists()
    assert ChainLink.objects.count() == 2


@pytest.mark.parametrize(
    "target", [["assessments", "zero"], ["guidance", "zero"], ["evidence", "0001"], ["portal", "zero"]]
)
def test_migrating_the_evidence_away_is_refused(record, live_database, target):  # noqa: F811
    applied = set(MigrationRecorder(connection).applied_migrations())
    with pytest.raises(CommandError, match=f"Refused: migrate {' '.join(target)}"):
        call_command("migrate", *target, verbosity=0, database="default")
    assert set(MigrationRecorder(connection).applied_migrations()) == applied
    assert Acknowledgement.objects.filter(pk=record.pk).exists()


def test_a_database_without_evidence_can_be_flushed(live_database, content):
    draft_only = GuidanceVersion.objects.filter(pk=content.pk)
    with connection.cursor() as cursor:  # no published version, no chain: nothing the guard protects
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER evidence_version_update")
            cursor.execute("DROP TRIGGER evidence_chainlink_delete")
        cursor.execute("DELETE FROM evidence_chainlink")
        cursor.execute("UPDATE guidance_guidanceversion SET status = 'draft'")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses to run with checks pending
    call_command("flush", "--noinput", verbosity=0)
    assert not draft_only.exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_database_is_disposable_so_flush_empties_it(record):  # noqa: F811
    call_command("flush", "--noinput", verbosity=0)
    assert not Acknowledgement.objects.exists() and not ChainLink.objects.exists()
