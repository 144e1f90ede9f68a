"""One definition of a person's status: the home page, My team, HR's pages, the downloads and the reminders agree."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.status import PersonStatus, annotate_status, people_with_status
from guidance.models import Section, SectionRead
from guidance.services import publish_version, start_draft
from reporting import selectors
from reporting.reminders import plan_for_day

from ..factories import UserFactory, acknowledge_after_reading
from .conftest import complete
from .test_exports import read_csv

pytestmark = pytest.mark.django_db

EXPECTED = [  # the workforce fixture, person by person
    PersonStatus.COMPLETED,
    PersonStatus.COMPLETED,
    PersonStatus.COMPLETED,
    PersonStatus.PASSED,
    PersonStatus.IN_PROGRESS,  # an open attempt
    PersonStatus.NOT_STARTED,
    PersonStatus.IN_PROGRESS,  # submitted but not passed
    PersonStatus.NOT_STARTED,
]


def statuses(cycle, **kwargs) -> dict:
    return dict(people_with_status(cycle=cycle, **kwargs).values_list("pk", "status"))


def publish(*, major: bool):
    draft = start_draft()
    draft.requires_reacknowledgement = major
    draft.change_summary_en = "Security now covers two-step verification."
    draft.change_summary_cy = "Mae diogelwch bellach yn cynnwys dilysu dau gam."
    draft.save()
    return publish_version(version=draft)


def make_overdue(cycle):
    cycle.opens_on = timezone.localdate() - timedelta(days=60)
    cycle.due_on = timezone.localdate() - timedelta(days=1)
    cycle.save()


def test_each_person_has_exactly_one_status(workforce, cycle):
    found = statuses(cycle)
    assert [found[person.pk] for person in workforce] == EXPECTED


def test_past_the_due_date_everyone_not_completed_is_overdue(workforce, cycle):
    on_the_day = statuses(cycle, today=cycle.due_on)
    assert [on_the_day[person.pk] for person in workforce] == EXPECTED
    after = annotate_status(people_with_status(cycle=cycle), cycle=cycle, today=cycle.due_on + timedelta(1))
    by_pk = {person.pk: person for person in after}
    assert [by_pk[person.pk].status for person in workforce] == [
        PersonStatus.COMPLETED if expected == PersonStatus.COMPLETED else PersonStatus.OVERDUE for expected in EXPECTED
    ]
    # how far an overdue person got is still known
    assert [by_pk[person.pk].progress for person in workforce] == EXPECTED
    assert all(by_pk[person.pk].due_date == cycle.due_on for person in workforce)


def _row_label(page: str, person) -> str:
    """The status tag in the table row that names the person."""
    for row in re.findall(r"<tr class=\"govuk-table__row\"[^>]*>(.*?)</tr>", page, flags=re.S):
        if person.last_name in row and person.first_name in row:
            return re.search(r"<strong class=\"govuk-tag[^\"]*\">([^<]+)</strong>", row).group(1)
    raise AssertionError(f"{person} is not listed")


@pytest.mark.parametrize("overdue", [False, True], ids=["before-due-date", "after-due-date"])
def test_home_page_my_team_and_hr_agree_on_everyone(client, hr, workforce, cycle, overdue):
    if overdue:
        make_overdue(cycle)
    boss = UserFactory()
    for person in workforce:
        person.line_manager = boss
        person.first_name, person.last_name = f"First{person.pk}", f"Last{person.pk}"
        person.save()
    client.force_login(boss)
    team = client.get("/en/my-team/").content.decode()
    client.force_login(hr)
    for person in workforce:
        expected = PersonStatus(statuses(cycle)[person.pk])
        assert _row_label(team, person) == expected.label
        listed = client.get(f"/en/hr/staff/?q={person.staff_number}").content.decode()
        assert _row_label(listed, person) == expected.label
    for person in workforce:
        client.force_login(person)
        home = client.get("/en/").content.decode()
        expected = statuses(cycle)[person.pk]
        assert ("You have completed everything" in home) == (expected == PersonStatus.COMPLETED)
        assert ("You are overdue" in home) == (expected == PersonStatus.OVERDUE)


def test_the_overdue_figure_and_its_list_are_the_same_people(client, hr, workforce, cycle):
    make_overdue(cycle)
    client.force_login(hr)
    # the five in the workforce who have not completed, and the HR officer (on the staff list too) who has not started
    assert selectors.dashboard(cycle=cycle)["totals"]["overdue"] == 6
    dashboard = client.get("/en/hr/").content.decode()
    assert re.search(r"status=overdue\">Overdue</a></th><td[^>]*>6</td>", dashboard)
    listed = client.get(f"/en/hr/staff/?cycle={cycle.pk}&status=overdue").content.decode()
    assert "6 people" in listed
    for person in [*workforce[3:], hr]:
        assert person.staff_number in listed
    for person in workforce[:3]:
        assert person.staff_number not in listed


def test_after_a_minor_version_the_home_page_does_not_contradict_itself(client, cycle, content):
    person = UserFactory()
    SectionRead.objects.bulk_create(SectionRead(user=person, section=section) for section in content.sections.all())
    complete(person, cycle, content)
    publish(major=False)
    assert Section.objects.exclude(version=content).exists()
    client.force_login(person)
    home = client.get("/en/").content.decode()
    assert "You have completed everything" in home
    for contradiction in ("In progress", "Not yet started", "Confirm again", "Cannot start yet"):
        assert contradiction not in home
    assert "Version 2 of the guidance has been published since you confirmed" in home
    assert "Security now covers two-step verification." in home
    assert statuses(cycle)[person.pk] == PersonStatus.COMPLETED


def test_after_a_major_version_hr_figures_downloads_and_reminders_treat_earlier_declarations_as_outstanding(
    client, hr, workforce, cycle, content
):
    earlier = workforce[:3]
    new = publish(major=True)
    assert [statuses(cycle)[person.pk] for person in earlier] == [PersonStatus.PASSED] * 3
    totals = selectors.dashboard(cycle=cycle)["totals"]
    assert (totals["completed"], totals["passed"], totals["outstanding"]) == (0, 4, 9)  # the HR officer is staff too
    client.force_login(hr)
    assert "No people" in client.get(f"/en/hr/staff/?cycle={cycle.pk}&status=completed").content.decode()
    rows = read_csv(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv"))
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    for person in earlier:
        assert by_number[person.staff_number]["Status"] == "Passed, not confirmed"
        assert by_number[person.staff_number]["Reference"] == ""
    outstanding = {row[0] for row in read_csv(client.get(f"/en/hr/download/?cycle={cycle.pk}&outstanding=on"))[1:]}
    assert {person.staff_number for person in earlier} <= outstanding
    assert {person.pk for person in earlier} <= reminded(cycle)

    acknowledge_after_reading(user=earlier[0], cycle=cycle, version=new, language="en")
    selectors.forget_dashboard()  # as the declaration does once it is committed
    assert selectors.dashboard(cycle=cycle)["totals"]["completed"] == 1
    rows = read_csv(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv"))
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_number[earlier[0].staff_number]["Status"] == "Completed"
    assert by_number[earlier[0].staff_number]["Guidance version"] == "2"
    assert earlier[0].pk not in reminded(cycle)


def reminded(cycle) -> set[int]:
    """Everyone the schedule has reminded by the due date (their opening reminder, or a later step)."""
    return {item.person.pk for item in plan_for_day(cycle=cycle, today=cycle.due_on).reminders}


def test_status_labels_are_translated(client, hr, workforce, cycle):
    client.force_login(hr)
    page = client.get(f"/cy/ad/staff/?cycle={cycle.pk}").content.decode()
    assert "Wedi pasio, heb gadarnhau" in page and "Heb ddechrau" in page


def test_the_people_counted_on_a_day_leave_out_only_those_exempt_that_day(workforce, cycle, hr):
    from assessments.status import counted_people
    from cycles.services import exempt_person

    today = timezone.localdate()
    away = workforce[5]
    exempt_person(
        person=away, cycle=cycle, reason="long_term_leave", starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=20), by=hr,
    )  # fmt: skip
    assert away in counted_people(cycle=cycle)
    assert away not in counted_people(cycle=cycle, today=today + timedelta(days=15))
    assert away in counted_people(cycle=cycle, today=today + timedelta(days=21))
