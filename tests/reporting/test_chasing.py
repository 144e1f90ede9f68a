"""Chasing from the portal: HR and line managers remind people through the outbox, under the schedule's rules."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cycles.services import exempt_person
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from reporting.chasing import send_chases

from ..factories import DepartmentFactory, UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    with translation.override("en"):
        yield


@pytest.fixture
def overdue_cycle(cycle):
    cycle.opens_on = timezone.localdate() - timedelta(days=60)
    cycle.due_on = timezone.localdate() - timedelta(days=3)
    cycle.save()
    return cycle


@pytest.fixture
def office(overdue_cycle, content, hr):
    """Five people in one department: one done, one exempt, three overdue (one of them reads in Welsh)."""
    department = DepartmentFactory(code="ECON", name_en="Economy", name_cy="Economi")
    people = {
        "done": UserFactory(last_name="Done", department=department),
        "exempt": UserFactory(last_name="Away", department=department),
        "english": UserFactory(last_name="Evans", department=department),
        "welsh": UserFactory(last_name="Llywelyn", department=department, preferred_language="cy"),
        "late": UserFactory(last_name="Morgan", department=department),
    }
    complete(people["done"], overdue_cycle, content)
    exempt_person(
        person=people["exempt"],
        cycle=overdue_cycle,
        reason="long_term_leave",
        ends_on=timezone.localdate() + timedelta(days=30),
        by=hr,
    )
    return people


def chases():
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CHASE)


def _preview(client, data):
    return client.post("/en/hr/staff/remind/", data).content.decode()


def test_hr_filters_to_overdue_previews_in_each_language_and_sends_through_the_outbox(
    client, hr, office, overdue_cycle, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    listed = client.get(f"/en/hr/staff/?cycle={overdue_cycle.pk}&department=ECON&status=overdue").content.decode()
    assert "Remind everyone in this filter who can be reminded today (" in listed and "Last reminded" in listed
    data = {"cycle": overdue_cycle.pk, "department": "ECON", "status": "overdue", "scope": "filter"}
    preview = _preview(client, data)
    assert "This reminder will go to 3 people." in preview
    assert "In English first (2 people)" in preview and "In Welsh first (1 person)" in preview
    assert "Overdue: complete the social media guidance" in preview
    assert "Yn hwyr: cwblhewch y canllawiau" in preview  # the Welsh subject, for the person who reads Welsh
    assert hr.get_full_name() in preview  # says who asked
    assert not chases().exists(), "a preview sends nothing"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/hr/staff/remind/send/", data)
    assert response.status_code == 302 and "status=overdue" in response["Location"]
    emails = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CHASE)
    assert {email.recipient for email in emails} == {office["english"], office["welsh"], office["late"]}
    assert all(email.sent_by == hr and email.reply_to == hr.email for email in emails)
    welsh = emails.get(recipient=office["welsh"])
    assert welsh.language == "cy" and welsh.subject.startswith("Yn hwyr: ")
    assert welsh.body.index("Annwyl") < welsh.body.index("Dear")  # Welsh first, English below
    page = client.get(response["Location"]).content.decode()
    assert "Reminders sent to 3 people" in page
    row = next(row for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.DOTALL) if "Llywelyn" in row)
    assert f"/en/hr/staff/{office['welsh'].pk}/reminders/" in row  # last reminded, linking to the history
    history = client.get(f"/en/hr/staff/{office['welsh'].pk}/reminders/").content.decode()
    assert str(hr) in history and "Chase" in history
    # Someone nobody chased has no history, whoever else was chased and whatever else the portal emailed them.
    queue_email(
        to=office["done"].email, subject="Your record", body="Thank you", kind=OutgoingEmail.Kind.RECEIPT,
        recipient=office["done"], about=f"cycle:{overdue_cycle.pk}",
    )  # fmt: skip
    untouched = client.get(f"/en/hr/staff/{office['done'].pk}/reminders/").content.decode()
    assert "No reminders have been sent to this person." in untouched


def test_nobody_done_or_exempt_is_reminded_and_nobody_twice_in_a_day(client, hr, office, overdue_cycle):
    client.force_login(hr)
    everyone = [person.pk for person in office.values()]
    preview = _preview(client, {"cycle": overdue_cycle.pk, "person": everyone, "scope": "selected"})
    assert "This reminder will go to 3 people." in preview
    assert "Done: They have completed." in preview.replace(office["done"].first_name + " ", "")
    assert "They are exempt this cycle." in preview
    client.post("/en/hr/staff/remind/send/", {"cycle": overdue_cycle.pk, "person": everyone})
    assert chases().count() == 3
    again = _preview(client, {"cycle": overdue_cycle.pk, "person": everyone})
    assert "Nobody you chose can be sent a reminder today." in again
    assert again.count("They have already had a reminder today.") == 3
    client.post("/en/hr/staff/remind/send/", {"cycle": overdue_cycle.pk, "person": everyone})
    assert chases().count() == 3


def test_a_scheduled_reminder_today_counts_towards_the_one_a_day(hr, office, overdue_cycle):
    OutgoingEmail.objects.create(
        recipient=office["late"],
        to_address=office["late"].email,
        subject="s",
        body="b",
        kind="reminder",
        message_id="<x@test>",
    )
    from portal.models import User

    result = send_chases(cycle=overdue_cycle, people=User.objects.filter(pk=office["late"].pk), sent_by=hr)
    assert result.sent == [] and result.skipped[0][1] == "They have already had a reminder today."


def test_choosing_nobody_is_a_clear_message_not_an_error(client, hr, office, overdue_cycle):
    client.force_login(hr)
    response = client.post("/en/hr/staff/remind/", {"cycle": overdue_cycle.pk})
    assert response.status_code == 200
    assert "Select the people to remind, or choose everyone in this filter" in response.content.decode()
    for bad in ({"person": "abc"}, {"person": "-1"}, {"scope": "everything"}, {"person": "999999"}):
        assert client.post("/en/hr/staff/remind/", {"cycle": overdue_cycle.pk, **bad}).status_code == 200
        assert client.post("/en/hr/staff/remind/send/", {"cycle": overdue_cycle.pk, **bad}).status_code == 302
    assert not chases().exists()


def test_only_hr_can_chase_from_the_staff_list(client, staff, manager, office, overdue_cycle):
    for person in (staff, manager):
        client.force_login(person)
        for url in ("/en/hr/staff/remind/", "/en/hr/staff/remind/send/"):
            assert client.post(url, {"cycle": overdue_cycle.pk, "scope": "filter"}).status_code == 403
    assert not chases().exists()


def test_a_manager_reminds_their_own_overdue_people_and_nobody_else(
    client, manager, staff, office, overdue_cycle, content
):
    stranger = office["late"]  # overdue, but not in this manager's team
    done = UserFactory(line_manager=manager)
    complete(done, overdue_cycle, content)
    client.force_login(manager)
    team = client.get("/en/my-team/").content.decode()
    assert "Remind everyone overdue (1 person)" in team
    assert f'value="{staff.pk}"' in team and f'value="{done.pk}"' not in team
    data = {"person": [staff.pk, stranger.pk, done.pk], "scope": "selected"}
    preview = client.post("/en/my-team/remind/", data).content.decode()
    assert "This reminder will go to 1 person." in preview and stranger.last_name not in preview
    assert "Your line manager" in preview
    client.post("/en/my-team/remind/send/", data)
    email = chases().get()
    assert email.recipient == staff and email.sent_by == manager and email.kind == OutgoingEmail.Kind.CHASE
    client.post("/en/my-team/remind/send/", {"scope": "filter"})
    assert chases().count() == 1  # not twice in a day


def test_someone_who_manages_nobody_cannot_chase(client, hr, office):
    client.force_login(office["english"])
    assert client.post("/en/my-team/remind/", {"scope": "filter"}).status_code == 403
    assert client.post("/en/my-team/remind/send/", {"scope": "filter"}).status_code == 403
