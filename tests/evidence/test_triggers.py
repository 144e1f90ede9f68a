"""The database itself refuses changes to evidence, by every route there is (run on SQLite and on PostgreSQL)."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from assessments.models import Acknowledgement, Attempt
from assessments.services import start_attempt, submit_attempt
from cycles.admin import CycleAdmin
from cycles.models import Cycle
from evidence import triggers
from guidance.models import GuidanceVersion, Section, version_sha256
from guidance.services import start_draft

from ..assessments.test_quiz import answer_all
from ..factories import acknowledge_after_reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    return acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")[0]


def refused(change):
    """Run one change in its own savepoint; it must fail with the triggers' message."""
    with pytest.raises(DatabaseError, match="evidence"), transaction.atomic():
        change()


def raw_sql(sql, params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


ACKNOWLEDGEMENT_ROUTES = {
    "save over the existing row": lambda ack: Acknowledgement(
        pk=ack.pk,
        user_id=ack.user_id,
        cycle_id=ack.cycle_id,
        guidance_version_id=ack.guidance_version_id,
        attempt_id=ack.attempt_id,
        reference=ack.reference,
        language="cy",
        content_sha256="0" * 64,
        created_at=ack.created_at,
    ).save(),
    "bulk_create update_conflicts": lambda ack: Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(
                user_id=ack.user_id,
                cycle_id=ack.cycle_id,
                guidance_version_id=ack.guidance_version_id,
                attempt_id=ack.attempt_id,
                reference=ack.reference,
                language="cy",
                content_sha256="0" * 64,
            )
        ],
        update_conflicts=True,
        unique_fields=["reference"],
        update_fields=["language", "content_sha256"],
    ),
    "_base_manager.update": lambda ack: Acknowledgement._base_manager.filter(pk=ack.pk).update(language="cy"),
    "_base_manager.delete": lambda ack: Acknowledgement._base_manager.filter(pk=ack.pk).delete(),
    "_raw_delete": lambda ack: Acknowledgement._base_manager.filter(pk=ack.pk)._raw_delete(connection.alias),
    "raw UPDATE": lambda ack: list(
        Acknowledgement.objects.raw(
            "UPDATE assessments_acknowledgement SET language = 'cy' WHERE id = %s RETURNING id", [ack.pk]
        )
    ),
    "cursor UPDATE": lambda ack: raw_sql(
        "UPDATE assessments_acknowledgement SET content_sha256 = %s WHERE id = %s", ["0" * 64, ack.pk]
    )(),
    "cursor DELETE": lambda ack: raw_sql("DELETE FROM assessments_acknowledgement WHERE id = %s", [ack.pk])(),
}


@pytest.mark.parametrize("route", list(ACKNOWLEDGEMENT_ROUTES))
def test_an_acknowledgement_cannot_be_changed_or_removed(record, route):
    before = Acknowledgement.objects.filter(pk=record.pk).values().get()
    refused(lambda: ACKNOWLEDGEMENT_ROUTES[route](record))
    assert Acknowledgement.objects.filter(pk=record.pk).values().get() == before


def test_the_truncate_route_is_refused_too(request):
    if connection.vendor == "postgresql":  # TRUNCATE is refused whole, rows or none
        refused(raw_sql("TRUNCATE assessments_acknowledgement CASCADE", []))
        refused(raw_sql("TRUNCATE guidance_section CASCADE", []))
        return
    # SQLite's TRUNCATE is a DELETE with no WHERE (its "truncate optimisation", which triggers turn off).
    record = request.getfixturevalue("record")
    refused(raw_sql("DELETE FROM assessments_acknowledgement", []))
    refused(raw_sql("DELETE FROM guidance_section", []))
    assert Acknowledgement.objects.filter(pk=record.pk).exists() and Section.objects.exists()


VERSION_ROUTES = {
    "save": lambda version: GuidanceVersion._base_manager.filter(pk=version.pk).update(change_summary_en="Other"),
    "back to draft": lambda version: GuidanceVersion._base_manager.filter(pk=version.pk).update(status="draft"),
    "delete": lambda version: GuidanceVersion._base_manager.filter(pk=version.pk)._raw_delete(connection.alias),
    "cursor UPDATE": lambda version: raw_sql(
        "UPDATE guidance_guidanceversion SET content_sha256 = %s WHERE id = %s", ["0" * 64, version.pk]
    )(),
    "cursor DELETE": lambda version: raw_sql("DELETE FROM guidance_guidanceversion WHERE id = %s", [version.pk])(),
}


@pytest.mark.parametrize("route", list(VERSION_ROUTES))
def test_a_published_version_cannot_be_changed_or_removed(content, route):
    before = GuidanceVersion.objects.filter(pk=content.pk).values().get()
    refused(lambda: VERSION_ROUTES[route](content))
    assert GuidanceVersion.objects.filter(pk=content.pk).values().get() == before


SECTION_ROUTES = {
    "update body": lambda section: Section._base_manager.filter(pk=section.pk).update(body_en="Changed"),
    "update principle text": lambda section: Section._base_manager.filter(pk=section.pk).update(
        principle_name_en="Changed"
    ),
    "move to a draft": lambda section: Section._base_manager.filter(pk=section.pk).update(version_id=start_draft().pk),
    # The new row is checked too: a draft's section cannot be moved into the published version.
    "move a draft's section in": lambda section: Section._base_manager.filter(
        pk=start_draft().sections.values_list("pk", flat=True)[0]
    ).update(version_id=section.version_id, order=99, slug_en="moved-in", slug_cy="symudwyd", principle=None),
    "delete": lambda section: Section._base_manager.filter(pk=section.pk)._raw_delete(connection.alias),
    "add a section": lambda section: Section.objects.bulk_create(
        [Section(version_id=section.version_id, order=99, slug_en="new", slug_cy="newydd", title_en="New", body_en="x")]
    ),
    "cursor UPDATE": lambda section: raw_sql(
        "UPDATE guidance_section SET title_cy = 'X' WHERE id = %s", [section.pk]
    )(),
    "cursor DELETE": lambda section: raw_sql("DELETE FROM guidance_section WHERE id = %s", [section.pk])(),
}


@pytest.mark.parametrize("route", list(SECTION_ROUTES))
def test_a_published_section_cannot_be_changed_added_or_removed(content, route):
    section = content.sections.filter(principle__isnull=False).first()
    before = list(Section.objects.filter(version=content).values().order_by("pk"))
    refused(lambda: SECTION_ROUTES[route](section))
    assert list(Section.objects.filter(version=content).values().order_by("pk")) == before
    assert version_sha256(content) == content.content_sha256


def test_a_draft_stays_editable(content):
    draft = start_draft()
    section = draft.sections.first()
    Section.objects.filter(pk=section.pk).update(body_en="Edited in the draft")
    Section.objects.filter(pk=section.pk).delete()
    draft.change_summary_en = "Shorter"
    draft.save()
    assert not draft.sections.filter(pk=section.pk).exists()


def test_every_trigger_is_installed_after_migrate():
    expected = (
        {name for name, _table in triggers.POSTGRESQL_TRIGGER_NAMES}
        if connection.vendor == "postgresql"
        else set(triggers.SQLITE_TRIGGERS)
    )
    assert triggers.installed(connection) == expected


def test_triggers_taken_away_are_put_back_and_protect_the_evidence_again(record):
    """Migrating the evidence app back takes the triggers away; migrating forward (or any migrate after a table
    rebuild) puts back every one, and the evidence is protected again."""
    from django.apps import apps

    expected = triggers.installed(connection)
    one = sorted(expected)[0]
    triggers.remove(connection, names=[one])
    assert triggers.installed(connection) == expected - {one}
    triggers.ensure_installed(sender=apps.get_app_config("evidence"), using=connection.alias)
    assert triggers.installed(connection) == expected
    triggers.remove(connection)
    assert triggers.installed(connection) == set()
    triggers.install(connection)
    assert triggers.installed(connection) == expected
    with pytest.raises(DatabaseError), transaction.atomic():
        Acknowledgement._base_manager.filter(pk=record.pk).update(language="cy")


ATTEMPT_ROUTES = {
    "save a new score": lambda attempt: setattr(attempt, "score", 1) or attempt.save(),
    "delete": lambda attempt: attempt.delete(),
    "_base_manager.update": lambda attempt: Attempt._base_manager.filter(pk=attempt.pk).update(score=1, passed=False),
    "back to in progress": lambda attempt: Attempt._base_manager.filter(pk=attempt.pk).update(status="in_progress"),
    "_raw_delete": lambda attempt: Attempt._base_manager.filter(pk=attempt.pk)._raw_delete(connection.alias),
    "cursor UPDATE": lambda attempt: raw_sql("UPDATE assessments_attempt SET total = 99 WHERE id = %s", [attempt.pk])(),
}


@pytest.mark.parametrize("route", list(ATTEMPT_ROUTES))
def test_a_submitted_attempts_result_cannot_be_changed_or_removed(record, route):
    attempt = Attempt.objects.get(pk=record.attempt_id)
    before = Attempt.objects.filter(pk=attempt.pk).values().get()
    with pytest.raises((DatabaseError, ValidationError)), transaction.atomic():
        ATTEMPT_ROUTES[route](attempt)
    assert Attempt.objects.filter(pk=attempt.pk).values().get() == before


def test_an_attempt_in_progress_stays_editable(staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    Attempt.objects.filter(pk=attempt.pk).update(language="cy")
    assert Attempt.objects.get(pk=attempt.pk).language == "cy"


CYCLE_ROUTES = {
    "save": lambda cycle: setattr(cycle, "name", "2099–00") or cycle.save(),
    "_base_manager.update": lambda cycle: Cycle._base_manager.filter(pk=cycle.pk).update(name="2099–00"),
    "cursor UPDATE": lambda cycle: raw_sql("UPDATE cycles_cycle SET name = 'X' WHERE id = %s", [cycle.pk])(),
}


@pytest.mark.parametrize("route", list(CYCLE_ROUTES))
def test_a_declared_cycles_name_cannot_be_changed(record, route):
    cycle = Cycle.objects.get(pk=record.cycle_id)
    with pytest.raises((DatabaseError, ValidationError)), transaction.atomic():
        CYCLE_ROUTES[route](cycle)
    assert Cycle.objects.get(pk=cycle.pk).name == record.cycle.name


def test_a_declared_cycle_keeps_its_other_settings_editable_and_the_admin_shows_the_name_read_only(record, hr, rf):
    cycle = Cycle.objects.get(pk=record.cycle_id)
    cycle.due_on = cycle.due_on + timedelta(days=7)
    cycle.save()
    request = rf.get("/")
    request.user = hr
    assert "name" in CycleAdmin(Cycle, admin.site).get_readonly_fields(request, cycle)
    cycle.name = "2099–00"
    with pytest.raises(ValidationError) as refusal:
        cycle.full_clean()
    assert refusal.value.message_dict["name"] == ["People have declared in this cycle, so its name cannot be changed."]


def test_a_cycle_nobody_declared_in_can_be_renamed(cycle, hr, rf):
    request = rf.get("/")
    request.user = hr
    assert "name" not in CycleAdmin(Cycle, admin.site).get_readonly_fields(request, cycle)
    cycle.name = "2099–00"
    cycle.full_clean()
    cycle.save()
    assert Cycle.objects.get(pk=cycle.pk).name == "2099–00"


def test_the_model_refuses_a_new_score_before_the_database_does(record):
    attempt = Attempt.objects.get(pk=record.attempt_id)
    attempt.score = 1
    with pytest.raises(ValidationError, match="submitted attempt"):
        attempt.save()
    with pytest.raises(ValidationError, match="submitted attempt"):
        attempt.delete()


def test_deleting_a_published_section_is_refused_with_the_reason_before_the_database_is_asked(content):
    section = content.sections.first()
    with pytest.raises(ValidationError) as refused_:
        section.delete()
    assert refused_.value.messages == ["A published version cannot be changed. Start a new draft instead."]
    assert Section.objects.filter(pk=section.pk).exists()


def test_editing_a_published_version_or_its_sections_is_refused_with_the_reason_before_the_database_is_asked(content):
    reason = ["A published version cannot be changed. Start a new draft instead."]
    section = content.sections.first()
    section.body_en = "Changed"
    with pytest.raises(ValidationError) as refused_section:
        section.save()
    content.change_summary_en = "Changed"
    with pytest.raises(ValidationError) as refused_version:
        content.save()
    assert refused_section.value.messages == reason and refused_version.value.messages == reason
    draft = start_draft()  # a draft's sections save as ever
    editable = draft.sections.first()
    editable.body_en = "Edited"
    editable.save()
    assert draft.sections.get(pk=editable.pk).body_en == "Edited"
