"""A year that ends stays as it ended: once HR close a cycle, joiners, moves, leavers and exemptions change nothing in
it, its download is the same whenever it is made, and nobody is reminded, chased or exempted for it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from assessments.closing import close_cycle
from cycles.models import Cycle
from cycles.services import end_exemption, exempt_person
from directory.services import import_staff
from outbox.models import OutgoingEmail
from reporting import selectors
from reporting.reminders import plan_for_day

from ..factories import CycleFactory, DepartmentFactory, UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def last_year(content, hr):
    """Last year's cycle, ended (not current): 3 completed, 2 overdue, 1 exempt, in two departments. This year's
    cycle is current."""
    today = timezone.localdate()
    ended = CycleFactory(
        name="2025–26", opens_on=today - timedelta(days=400), due_on=today - timedelta(days=60), is_current=True
    )
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    health = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    ended.departments.set([education, health])
    people = [UserFactory(department=education, staff_number=f"100{index}") for index in range(4)]
    people += [UserFactory(department=health, staff_number=f"200{index}") for index in range(2)]
    for person in people[:3]:
        complete(person, ended, content)
    ended.is_current = False  # last year's people did what they did; now this year's cycle is current
    ended.save()
    CycleFactory(name="2026–27", opens_on=today - timedelta(days=30), due_on=today + timedelta(days=60))
    exemption = exempt_person(
        person=people[5],
        cycle=ended,
        reason="long_term_leave",
        starts_on=ended.opens_on,
        ends_on=today + timedelta(days=90),
        by=hr,
    )
    return {"cycle": ended, "people": people, "exemption": exemption, "education": education, "health": health}


def _csv(client, cycle) -> bytes:
    return b"".join(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv").streaming_content)


def _headline(cycle) -> dict:
    selectors.forget_dashboard()  # worked out afresh each time (changes forget it after commit, which tests skip)
    figures = selectors.dashboard(cycle=cycle)
    totals = figures["totals"]
    headline = {key: totals[key] for key in ("in_scope", "completed", "overdue", "exempt", "left", "percent_complete")}
    return headline | {"in_chart": figures["progress"].people}  # the completion chart counts the same people


def test_hr_close_a_cycle_from_its_confirmation_page(client, hr, last_year):
    cycle = last_year["cycle"]
    client.force_login(hr)
    dashboard = client.get(f"/en/hr/?cycle={cycle.pk}").content.decode()
    assert "This is not the current cycle." in dashboard and f"/en/hr/cycles/{cycle.pk}/close/" in dashboard
    page = client.get(f"/en/hr/cycles/{cycle.pk}/close/").content.decode()
    assert "3 of 5 people in scope completed (60%)" in page and "A closed cycle cannot be opened again." in page
    response = client.post(f"/en/hr/cycles/{cycle.pk}/close/", follow=True)
    cycle.refresh_from_db()
    assert cycle.closed_at is not None and cycle.closed_by == hr
    assert "2025–26 is closed. Its figures will stay as they are today." in response.content.decode()
    assert "This cycle was closed on" in response.content.decode()
    # Closing again, or closing the cycle staff are still completing, is refused with a reason.
    again = client.post(f"/en/hr/cycles/{cycle.pk}/close/").content.decode()
    assert "This cycle is already closed." in again
    current = Cycle.objects.current()
    refused = client.post(f"/en/hr/cycles/{current.pk}/close/").content.decode()
    assert "Make the next cycle current first" in refused
    current.refresh_from_db()
    assert current.closed_at is None


def test_a_closed_year_does_not_move(client, hr, last_year):
    cycle, people = last_year["cycle"], last_year["people"]
    client.force_login(hr)
    close_cycle(cycle=cycle, closed_by=hr)
    cycle.refresh_from_db()
    before = _headline(cycle)
    assert before == {
        "in_scope": 5, "completed": 3, "overdue": 2, "exempt": 1, "left": 0, "percent_complete": 60, "in_chart": 5
    }  # fmt: skip
    download = _csv(client, cycle)
    staff_page = client.get(f"/en/hr/staff/?cycle={cycle.pk}&department=EDU").content.decode()
    assert "4 people listed." in staff_page

    # Two joiners are imported, one person moves department, one leaves; the exemption cannot be ended in the closed
    # year, and its person's exemption in this year's cycle ends.
    today = timezone.localdate()
    joiners = (
        "staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,start_date\n"
        f"3001,new.one@gov.wales,New,One,EDU,Education,Addysg,{today:%Y-%m-%d}\n"
        f"3002,new.two@gov.wales,New,Two,HSS,Health,Iechyd,{today + timedelta(days=10):%Y-%m-%d}\n"
    )
    import_staff(data=joiners.encode(), filename="joiners.csv", by=hr)
    people[3].department = last_year["health"]
    people[3].save()
    people[0].is_active = False
    people[0].save()
    with pytest.raises(ValidationError):
        end_exemption(exemption_id=last_year["exemption"].pk, by=hr)
    this_year = exempt_person(
        person=people[5],
        cycle=Cycle.objects.current(),
        reason="long_term_leave",
        ends_on=today + timedelta(days=5),
        by=hr,
    )
    end_exemption(exemption_id=this_year.pk, by=hr)

    assert _headline(cycle) == before
    assert _csv(client, cycle) == download
    assert "4 people listed." in client.get(f"/en/hr/staff/?cycle={cycle.pk}&department=EDU").content.decode()
    # ...and next year, the same file.
    with time_machine.travel(timezone.now() + timedelta(days=365)):
        client.force_login(hr)  # a year on, the session has long expired
        assert _csv(client, cycle) == download
        assert _headline(cycle) == before


def test_nobody_is_reminded_chased_or_exempted_for_a_closed_cycle(client, hr, last_year):
    cycle, people = last_year["cycle"], last_year["people"]
    close_cycle(cycle=cycle, closed_by=hr)
    client.force_login(hr)
    staff_page = client.get(f"/en/hr/staff/?cycle={cycle.pk}&status=overdue").content.decode()
    assert "This cycle was closed on" in staff_page
    assert 'id="chase-form"' in staff_page and "Remind the people selected" not in staff_page
    assert "/en/hr/exemptions/new/" not in staff_page
    response = client.post(
        "/en/hr/staff/remind/send/", {"cycle": cycle.pk, "scope": "selected", "person": [people[3].pk]}, follow=True
    )
    assert "This cycle is closed, so nobody is reminded or chased for it" in response.content.decode()
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CHASE).exists()
    reminders = client.get(f"/en/hr/reminders/?cycle={cycle.pk}").content.decode()
    assert "This cycle is closed, so nobody is reminded or chased for it" in reminders
    assert not plan_for_day(cycle=cycle).reminders
    exempting = client.get(f"/en/hr/exemptions/new/?cycle={cycle.pk}", follow=True).content.decode()
    assert "This cycle is closed: its figures stay as they were when it closed" in exempting
    with pytest.raises(ValidationError):
        exempt_person(person=people[4], cycle=cycle, reason="long_term_leave", ends_on=timezone.localdate(), by=hr)


def test_reminders_are_per_cycle_and_only_for_the_current_one(client, hr, last_year):
    """A chase sent in this year's cycle is this year's: last year's list and history do not show it, and last year's
    cycle (not current, not closed yet) offers no chasing at all."""
    cycle, people = last_year["cycle"], last_year["people"]
    current = Cycle.objects.current()
    client.force_login(hr)
    sent = client.post(
        "/en/hr/staff/remind/send/", {"cycle": current.pk, "scope": "selected", "person": [people[3].pk]}, follow=True
    )
    assert "Reminder sent to 1 person." in sent.content.decode()
    assert OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.CHASE).about == f"cycle:{current.pk}"
    this_year = client.get(f"/en/hr/staff/?cycle={current.pk}&q={people[3].staff_number}").content.decode()
    assert "Not reminded" not in this_year and f"/en/hr/staff/{people[3].pk}/reminders/?cycle={current.pk}" in this_year
    last = client.get(f"/en/hr/staff/?cycle={cycle.pk}&q={people[3].staff_number}").content.decode()
    assert "Not reminded" in last and "This is not the current cycle." in last
    assert "Remind the people selected" not in last
    history = client.get(f"/en/hr/staff/{people[3].pk}/reminders/?cycle={cycle.pk}").content.decode()
    assert "No reminders have been sent to this person." in history
    refused = client.post(
        "/en/hr/staff/remind/send/", {"cycle": cycle.pk, "scope": "selected", "person": [people[4].pk]}, follow=True
    )
    assert "reminders and chases are only sent for the current cycle" in refused.content.decode()
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CHASE).count() == 1


def test_a_cycle_closes_by_itself_on_its_closing_date_once_it_is_not_current(last_year):
    from assessments.closing import close_cycles_due
    from reporting.jobs import close_due_cycles

    cycle = last_year["cycle"]
    today = timezone.localdate()
    cycle.closes_on = today + timedelta(days=1)
    cycle.save()
    current = Cycle.objects.current()
    current.closes_on = today  # current: it waits, however its closing date is set
    current.save()
    assert close_cycles_due(today=today) == []
    assert close_due_cycles() == 0
    assert [closed.pk for closed in close_cycles_due(today=today + timedelta(days=1))] == [cycle.pk]
    cycle.refresh_from_db()
    current.refresh_from_db()
    assert cycle.closed_at is not None and cycle.closed_by is None and current.closed_at is None
    assert cycle.standings_at_close.count() == 6


STANDING = (
    "pk",
    "status",
    "progress",
    "due_date",
    "has_completed",
    "has_acknowledged",
    "has_passed",
    "has_attempt",
    "is_exempt",
    "cycle_department_id",
    "cycle_manager_id",
)


def test_every_page_reads_a_closed_year_as_it_stood_the_moment_before_it_closed(hr, last_year):
    """The home page, My team, the staff list and the downloads read a person's status and progress flags the same way
    for an open or a closed cycle: closing changes none of them, even for people in an earlier closed year too."""
    from assessments.models import Attempt
    from assessments.status import annotate_status, people_in_report
    from portal.models import User

    cycle, people = last_year["cycle"], last_year["people"]
    today = timezone.localdate()
    earlier = CycleFactory(
        name="2024–25", opens_on=today - timedelta(days=800), due_on=today - timedelta(days=430), is_current=False
    )
    close_cycle(cycle=earlier, closed_by=hr)  # the same people stand in two closed years
    # Besides 3 completed and 1 exempt: one passed the questions but never confirmed, one did not pass.
    for person, passed in ((people[3], True), (people[4], False)):
        Attempt.objects.create(
            user=person, cycle=cycle, status=Attempt.Status.SUBMITTED, language="en", score=6 if passed else 2,
            total=6, passed=passed, is_first=True, submitted_at=timezone.now(),
        )  # fmt: skip
    before = list(annotate_status(people_in_report(cycle=cycle), cycle=cycle, today=today).values(*STANDING))
    assert {row["progress"] for row in before} == {"completed", "passed", "in_progress", "not_started"}
    assert {row["status"] for row in before} == {"completed", "overdue", "exempt"}

    close_cycle(cycle=cycle, closed_by=hr)
    cycle.refresh_from_db()

    after = list(annotate_status(User.objects.all(), cycle=cycle).order_by("pk").values(*STANDING))
    assert after == sorted(before, key=lambda row: row["pk"])
