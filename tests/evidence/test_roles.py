"""On PostgreSQL the portal runs as a role that owns nothing; only the owner role (migrations, `apply_retention`) can
unlock the evidence triggers. Everything here is tried as those roles, which the module creates in the test database's
cluster (and removes afterwards): the tables and functions are handed to the owner and the portal's role is granted
what `evidence.roles.grant_app_role` grants after a real `migrate`."""

import io
import threading
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections
from psycopg import errors

from assessments.models import Acknowledgement
from assessments.services import acknowledge, start_attempt, submit_attempt
from evidence.models import ChainLink
from evidence.roles import grant_app_role, quoted

from ..assessments.test_quiz import answer_all
from ..factories import CycleFactory, UserFactory, acknowledge_after_reading, read_guidance
from .test_retention import old_acknowledgement

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def connect(role=None):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role or settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def roles(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    owner, app = f"{name}_owner", f"{name}_app"
    with connect() as admin:
        for role in (app, owner):
            admin.execute(f"DROP ROLE IF EXISTS {quoted(role)}")
        admin.execute(f"CREATE ROLE {quoted(owner)} LOGIN")
        admin.execute(f"CREATE ROLE {quoted(app)} LOGIN")
        admin.execute(f"GRANT CONNECT ON DATABASE {quoted(name)} TO {quoted(app)}, {quoted(owner)}")
        admin.execute(f"GRANT CREATE, USAGE ON SCHEMA public TO {quoted(owner)}")
        tables = admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        for (table,) in tables:  # as if the owner had run the migrations
            admin.execute(f"ALTER TABLE {quoted(table)} OWNER TO {quoted(owner)}")
        functions = admin.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname LIKE 'evidence_%'"
        ).fetchall()
        for (function,) in functions:
            admin.execute(f"ALTER FUNCTION {function} OWNER TO {quoted(owner)}")
        admin.execute(f"SET ROLE {quoted(owner)}")
        grant_app_role(admin.cursor(), app)
        admin.execute("RESET ROLE")
    yield owner, app
    with connect() as admin:
        admin.execute(f"REASSIGN OWNED BY {quoted(owner)} TO CURRENT_USER")
        for role in (app, owner):
            admin.execute(f"DROP OWNED BY {quoted(role)}")
            admin.execute(f"DROP ROLE {quoted(role)}")


@contextmanager
def portal_connects_as(role):
    """Every Django connection (all threads share the settings) signs in to PostgreSQL as `role`."""
    connections.close_all()
    saved = connection.settings_dict["USER"]
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict["USER"] = saved


def declare(person, cycle, version):
    attempt = start_attempt(user=person, cycle=cycle, language="en")
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language="en")
    return acknowledge_after_reading(user=person, cycle=cycle, version=version, language="en")[0]


@pytest.fixture
def record(roles, content):
    return declare(UserFactory(), CycleFactory(is_current=True), content)


def test_the_portal_role_owns_nothing(roles):
    _owner, app = roles
    with connect(app) as portal:
        owned = portal.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'MEMBER')"
        ).fetchone()[0]
        superuser = portal.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    assert owned == 0 and superuser is False


def test_the_portal_role_cannot_unlock_evidence(roles, record):
    _owner, app = roles
    attempt = record.attempt
    with connect(app) as portal:
        for sql, params in [
            ("DELETE FROM assessments_acknowledgement WHERE id = %s", [record.pk]),
            ("UPDATE assessments_acknowledgement SET language = 'cy' WHERE id = %s", [record.pk]),
            ("UPDATE assessments_attempt SET score = 0 WHERE id = %s", [attempt.pk]),
            ("UPDATE cycles_cycle SET name = 'Renamed' WHERE id = %s", [record.cycle_id]),
            ("DELETE FROM evidence_chainlink", []),
            ("UPDATE guidance_guidanceversion SET change_summary_en = 'x'", []),
        ]:
            with pytest.raises(errors.RestrictViolation, match="evidence"), portal.transaction():
                portal.execute("SET LOCAL portal.evidence_unlocked = 'on'")
                portal.execute(sql, params)
    assert Acknowledgement.objects.filter(pk=record.pk, language="en").exists()


SWITCHES = [
    "SET session_replication_role = replica",
    "ALTER TABLE assessments_acknowledgement DISABLE TRIGGER ALL",
    "ALTER TABLE assessments_acknowledgement DISABLE TRIGGER evidence_acknowledgement",
    "DROP TRIGGER evidence_acknowledgement ON assessments_acknowledgement",
    "CREATE OR REPLACE FUNCTION evidence_unlocked(relation oid) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "CREATE OR REPLACE FUNCTION evidence_refuse() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN OLD; END'",
    "CREATE FUNCTION public.evidence_unlocked(relation regclass) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "TRUNCATE assessments_acknowledgement CASCADE",
    "INSERT INTO evidence_retentionrun (ran_at, ran_by, cutoff, acknowledgements_removed, versions_removed, "
    "sections_removed, removed) VALUES (now(), 'x', now(), 1, 0, 0, '{}')",
    "CREATE TABLE evidence_disposable_database_2 (note text)",
]


def test_the_portal_role_cannot_switch_the_protection_off(roles, record):
    _owner, app = roles
    allowed = []
    with connect(app) as portal:
        for sql in SWITCHES:
            try:
                portal.execute(sql)
                allowed.append(sql)
            except errors.InsufficientPrivilege:
                pass
    assert allowed == []


def test_a_function_of_the_same_name_earlier_on_the_search_path_changes_nothing(roles, record):
    _owner, app = roles
    with connect(app) as portal:
        portal.execute(
            "CREATE FUNCTION pg_temp.evidence_unlocked(relation oid) RETURNS boolean LANGUAGE sql AS 'SELECT true'"
        )
        portal.execute("SET search_path = pg_temp, public")
        with pytest.raises(errors.RestrictViolation), portal.transaction():
            portal.execute("DELETE FROM assessments_acknowledgement WHERE id = %s", [record.pk])


def test_only_the_owner_can_unlock(roles, record):
    owner, _app = roles
    with connect(owner) as keeper:
        with pytest.raises(errors.RestrictViolation), keeper.transaction():
            keeper.execute("DELETE FROM assessments_acknowledgement WHERE id = %s", [record.pk])  # locked by default
        with keeper.transaction():
            keeper.execute("SET LOCAL portal.evidence_unlocked = 'on'")
            deleted = keeper.execute("DELETE FROM assessments_acknowledgement WHERE id = %s", [record.pk]).rowcount
            assert deleted == 1
            raise psycopg.Rollback()  # the test only needed to see that it could
    assert Acknowledgement.objects.filter(pk=record.pk).exists()


def test_the_portal_works_as_its_role_and_retention_needs_the_owner(roles, content, settings):
    owner, app = roles
    cycle = CycleFactory(is_current=True)
    with portal_connects_as(app):
        made = declare(UserFactory(), cycle, content)
        old = old_acknowledgement(UserFactory(), cycle, content, years=7)
        with pytest.raises((CommandError, DatabaseError)):
            call_command("apply_retention", "--older-than-years", "6", stdout=io.StringIO())
        assert Acknowledgement.objects.filter(pk=old.pk).exists()
        # The documented path: the command signs in as the owner given by DATABASE_OWNER_URL.
        settings.DATABASE_OWNER = {**connection.settings_dict, "USER": owner}
        call_command("apply_retention", "--older-than-years", "6", "--by", "records.officer", stdout=io.StringIO())
        assert connection.settings_dict["USER"] == app  # and the portal's connection is its own again
    assert not Acknowledgement.objects.filter(pk=old.pk).exists()
    assert Acknowledgement.objects.filter(pk=made.pk).exists()


def test_concurrent_declarations_as_the_portal_role_form_one_chain(roles, content):
    _owner, app = roles
    cycle = CycleFactory(is_current=True)
    people = [UserFactory() for _person in range(12)]
    for person in people:
        attempt = start_attempt(user=person, cycle=cycle, language="en")
        answer_all(attempt, person, correct=6)
        submit_attempt(user=person, attempt_id=attempt.pk, language="en")
        read_guidance(user=person, cycle=cycle, version=content)
    barrier = threading.Barrier(len(people))
    made, failures = [], []

    def declare_now(person):
        try:
            barrier.wait()
            made.append(acknowledge(user=person, cycle=cycle, version=content, language="en")[1])
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            failures.append(error)
        finally:
            connections.close_all()

    with portal_connects_as(app):
        threads = [threading.Thread(target=declare_now, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == [] and made == [True] * len(people)
    positions = list(ChainLink.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(people) + 2))
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert out.getvalue().startswith(f"Evidence chain intact: {len(people) + 1} links.")
