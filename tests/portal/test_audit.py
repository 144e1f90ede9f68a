import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.html import escape

from assessments.models import Acknowledgement, Attempt, AttemptQuestion
from assessments.services import start_attempt, submit_attempt
from portal.models import RoleChange

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db


def test_role_changes_are_recorded_with_who_made_them(client, staff):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/en/admin/portal/user/{staff.pk}/change/")
    assert page.status_code == 200
    hr = Group.objects.get(name="HR")
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {"username": staff.username, "groups": [hr.pk], "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"}
    )
    data.update({"preferred_language": "en", "is_active": "on"})
    client.post(f"/en/admin/portal/user/{staff.pk}/change/", data)
    change = RoleChange.objects.get(person=staff)
    assert (change.role, change.action, change.changed_by) == ("HR", "added", admin)
    staff.groups.remove(hr)
    assert RoleChange.objects.filter(person=staff, action="removed", role="HR").exists()


def test_guidance_and_question_changes_keep_history(content):
    from assessments.models import Question

    question = Question.objects.first()
    question.prompt_en = "Changed scenario"
    question.save()
    assert question.history.count() == 2
    assert question.history.first().prompt_en == "Changed scenario"


def test_my_data_page_shows_what_the_portal_holds(client, staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    client.force_login(staff)
    page = client.get("/en/your-data/").content.decode()
    assert staff.staff_number in page and staff.email in page
    assert record.reference in page
    assert escape(attempt.answers.first().question.prompt_en[:30]) in page


def test_purging_old_attempts_keeps_acknowledgements(staff, cycle, content):
    from datetime import timedelta

    from django.utils import timezone

    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(days=365 * 4))
    call_command("purge_old_attempts", "--older-than-years", "3")
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 0
    assert Attempt.objects.get(pk=attempt.pk).score == 6
    assert Acknowledgement.objects.filter(user=staff).count() == 1


def test_start_date_is_set_in_the_admin_and_shown_on_your_data(client, staff):
    import datetime

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = client.get(f"/en/admin/portal/user/{staff.pk}/change/").context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "is_active": "on"})
    data.update({"start_date": "2027-02-01"})
    client.post(f"/en/admin/portal/user/{staff.pk}/change/", data)
    staff.refresh_from_db()
    assert staff.start_date == datetime.date(2027, 2, 1)
    client.force_login(staff)
    assert "1 February 2027" in client.get("/en/your-data/").content.decode()
    assert "1 Chwefror 2027" in client.get("/cy/eich-data/").content.decode()
