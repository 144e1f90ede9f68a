"""The retention command is the one way evidence leaves, and it records what it removed."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from assessments.models import Acknowledgement
from assessments.services import start_attempt, submit_attempt
from evidence.models import RetentionRun
from guidance.models import GuidanceVersion, Section
from guidance.services import publish_version, start_draft

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def old_acknowledgement(person, cycle, version, *, years):
    attempt = start_attempt(user=person, cycle=cycle, language="en")
    answer_all(attempt, person, correct=6)
    attempt = submit_attempt(user=person, attempt_id=attempt.pk, language="en")
    return Acknowledgement.objects.create(
        user=person,
        cycle=cycle,
        guidance_version=version,
        attempt=attempt,
        language="en",
        content_sha256=version.content_sha256,
        created_at=timezone.now() - timedelta(days=365 * years),
    )


@pytest.fixture
def old_and_new(content, cycle):
    from evidence.unlock import evidence_unlocked

    with evidence_unlocked():  # version 1 was published years ago
        GuidanceVersion._base_manager.filter(pk=content.pk).update(published_at=timezone.now() - timedelta(days=2200))
    draft = start_draft()
    draft.change_summary_en, draft.change_summary_cy = "Newer.", "Mwy newydd."
    draft.save()
    latest = publish_version(version=draft)
    old = old_acknowledgement(UserFactory(), cycle, content, years=7)
    recent = old_acknowledgement(UserFactory(), cycle, latest, years=1)
    return content, latest, old, recent


def test_old_evidence_is_removed_and_recorded(old_and_new, capsys):
    version_one, latest, old, recent = old_and_new
    call_command("apply_retention", "--older-than-years", "6", "--by", "records.officer")
    assert not Acknowledgement.objects.filter(pk=old.pk).exists()
    assert Acknowledgement.objects.filter(pk=recent.pk).exists()
    assert not GuidanceVersion.objects.filter(pk=version_one.pk).exists()
    assert not Section.objects.filter(version_id=version_one.pk).exists()
    assert GuidanceVersion.objects.filter(pk=latest.pk).exists()
    run = RetentionRun.objects.get()
    assert run.ran_by == "records.officer"
    assert run.acknowledgements_removed == 1 and run.versions_removed == 1
    assert run.removed["acknowledgements"] == [old.reference]
    assert run.removed["guidance_versions"] == [{"number": 1, "sha256": version_one.content_sha256}]
    assert "Removed 1 acknowledgements, 1 guidance versions" in capsys.readouterr().out
    with pytest.raises(DatabaseError, match="evidence"), transaction.atomic():
        Acknowledgement._base_manager.filter(pk=recent.pk).delete()  # locked again afterwards


def test_a_version_someone_recently_confirmed_is_kept(old_and_new):
    version_one, _latest, _old, _recent = old_and_new
    old_acknowledgement(UserFactory(), version_one.acknowledgements.first().cycle, version_one, years=1)
    call_command("apply_retention", "--older-than-years", "6")
    assert GuidanceVersion.objects.filter(pk=version_one.pk).exists()


def test_a_dry_run_removes_and_records_nothing(old_and_new):
    call_command("apply_retention", "--older-than-years", "6", "--dry-run")
    assert Acknowledgement.objects.count() == 2
    assert RetentionRun.objects.count() == 0


@pytest.mark.parametrize("years", ["1", "5"])
def test_removing_sooner_than_the_privacy_notice_states_is_refused(old_and_new, years):
    with pytest.raises(CommandError, match="at least 6: the privacy notice states declarations are kept 6 years"):
        call_command("apply_retention", "--older-than-years", years)
    assert Acknowledgement.objects.count() == 2 and RetentionRun.objects.count() == 0
