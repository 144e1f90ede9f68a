"""A joiner's own due date, exemptions, leavers and the audience, everywhere a person's status or a figure appears:
the home page, My team, the HR dashboard and staff list, and the downloads."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from assessments.status import PersonStatus, people_with_status
from cycles.services import end_exemption, exempt_person
from reporting import selectors

pytestmark = pytest.mark.django_db


def statuses(cycle):
    return {person.username: person.status for person in people_with_status(cycle=cycle)}


def totals(cycle):
    return selectors.totals_of(selectors.completion_by_department(cycle=cycle))


def report_rows(client, cycle):
    text = b"".join(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv").streaming_content).decode("utf-8-sig")
    return {row["Staff number"]: row for row in csv.DictReader(io.StringIO(text))}


def long_date(day):
    return date_format(day, "DATE_FORMAT")


def test_a_joiner_has_their_own_due_date_everywhere(client, late_cycle, team, hr):
    joiner, veteran, boss = team["joiner"], team["veteran"], team["boss"]
    own_due = joiner.start_date + timedelta(days=28)
    assert statuses(late_cycle)["joiner"] == PersonStatus.NOT_STARTED
    assert statuses(late_cycle)["veteran"] == PersonStatus.OVERDUE
    # Their home page: their own date, no overdue warning.
    client.force_login(joiner)
    home = client.get("/en/").content.decode()
    assert f"Complete these tasks by {long_date(own_due)}" in home and "You are overdue" not in home
    assert f"You started on {long_date(joiner.start_date)}, so you have 28 days from then." in home
    welsh = client.get("/cy/").content.decode()
    assert "28 diwrnod" in welsh
    # My team: each person's own date and status.
    client.force_login(boss)
    my_team = client.get("/en/my-team/").content.decode()
    joiner_row = my_team[my_team.index("Jo Joiner") :].split("</tr>")[0]
    assert long_date(own_due) in joiner_row and "Overdue" not in joiner_row
    veteran_row = my_team[my_team.index("Vera Veteran") :].split("</tr>")[0]
    assert long_date(late_cycle.due_on) in veteran_row and "Overdue" in veteran_row
    # HR: the staff list and the report.
    client.force_login(hr)
    staff_page = client.get(f"/en/hr/staff/?cycle={late_cycle.pk}").content.decode()
    joiner_row = staff_page[staff_page.index('role="rowheader">Jo Joiner') :].split("</tr>")[0]
    assert date_format(own_due, "j M Y") in joiner_row  # the staff list's short date
    rows = report_rows(client, late_cycle)
    assert rows[joiner.staff_number]["Due date"] == own_due.isoformat()
    assert rows[joiner.staff_number]["Days overdue"] == ""
    assert rows[veteran.staff_number]["Days overdue"] == "10"
    assert totals(late_cycle)["overdue"] == 5  # everyone but the joiner (the HR officer counts too)


def test_a_joiner_who_starts_well_before_the_due_date_keeps_the_cycles_date(late_cycle, team):
    joiner = team["joiner"]
    joiner.start_date = late_cycle.opens_on + timedelta(days=10)
    joiner.save()
    person = people_with_status(cycle=late_cycle).get(pk=joiner.pk)
    assert person.due_date == late_cycle.due_on and person.status == PersonStatus.OVERDUE


def test_an_exemption_takes_someone_out_of_every_figure_until_it_ends(client, late_cycle, team, hr):
    veteran, boss = team["veteran"], team["boss"]
    before = totals(late_cycle)
    ends = timezone.localdate() + timedelta(days=60)
    exemption = exempt_person(person=veteran, cycle=late_cycle, reason="long_term_leave", ends_on=ends, by=hr)
    assert statuses(late_cycle)["veteran"] == PersonStatus.EXEMPT
    during = totals(late_cycle)
    assert during["in_scope"] == before["in_scope"] - 1
    assert during["overdue"] == before["overdue"] - 1 and during["outstanding"] == before["outstanding"] - 1
    assert during["exempt"] == 1 and during["completed"] == before["completed"]
    education = next(
        row for row in selectors.completion_by_department(cycle=late_cycle) if row["department"] == team["education"]
    )
    assert education["exempt"] == 1 and education["in_scope"] == 3
    # Their home page says so and until when; My team, the staff list and the report show "Exempt".
    client.force_login(veteran)
    home = client.get("/en/").content.decode()
    assert f"HR have exempted you from 2026–27 until {long_date(ends)}" in home and "You are overdue" not in home
    client.force_login(boss)
    assert "Exempt" in client.get("/en/my-team/").content.decode().split("Vera Veteran", 1)[1].split("</tr>")[0]
    client.force_login(hr)
    page = client.get(f"/en/hr/?cycle={late_cycle.pk}").content.decode()
    assert "1 person exempt" in page
    assert "Exempt" in client.get(f"/en/hr/staff/?cycle={late_cycle.pk}&status=exempt").content.decode()
    row = report_rows(client, late_cycle)[veteran.staff_number]
    assert row["Status"] == "Exempt" and row["Days overdue"] == ""
    # Ended early: counted (and overdue) again from that day.
    end_exemption(exemption_id=exemption.pk, by=hr)
    assert statuses(late_cycle)["veteran"] == PersonStatus.OVERDUE
    after = totals(late_cycle)
    assert (after["in_scope"], after["overdue"], after["exempt"]) == (before["in_scope"], before["overdue"], 0)


def test_an_exemption_that_has_not_started_or_has_run_out_changes_nothing(late_cycle, team, hr):
    today = timezone.localdate()
    exempt_person(
        person=team["veteran"],
        cycle=late_cycle,
        reason="secondment_out",
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=30),
        by=hr,
    )
    assert statuses(late_cycle)["veteran"] == PersonStatus.OVERDUE
    in_a_week = {p.username: p.status for p in people_with_status(cycle=late_cycle, today=today + timedelta(days=7))}
    assert in_a_week["veteran"] == PersonStatus.EXEMPT
    later = {p.username: p.status for p in people_with_status(cycle=late_cycle, today=today + timedelta(days=31))}
    assert later["veteran"] == PersonStatus.OVERDUE


def test_someone_made_inactive_leaves_the_figures_that_day_and_their_evidence_stays(
    client, late_cycle, team, hr, content
):
    from assessments.models import Acknowledgement

    from ..reporting.conftest import complete

    other = team["other"]
    complete(other, late_cycle, content)
    before = totals(late_cycle)
    type(other).objects.filter(pk=other.pk).update(is_active=False)  # as the staff import does it
    other.refresh_from_db()
    assert other.left_on == timezone.localdate()
    after = totals(late_cycle)
    assert after["in_scope"] == before["in_scope"] - 1
    assert after["completed"] == before["completed"] - 1 and after["left"] == 1
    assert "other" not in statuses(late_cycle)
    assert Acknowledgement.objects.filter(user=other, cycle=late_cycle).exists()
    client.force_login(hr)
    assert "1 person who has left" in client.get(f"/en/hr/?cycle={late_cycle.pk}").content.decode()
    row = report_rows(client, late_cycle)[other.staff_number]
    assert row["Status"] == "Left" and row["Reference"]
    # Made active again: back in the figures, no longer counted as left.
    other.is_active = True
    other.save()
    assert other.left_on is None and totals(late_cycle)["left"] == 0


def test_people_who_left_before_the_cycle_opened_are_not_counted_as_leavers(late_cycle, team):
    from ..factories import UserFactory

    gone = UserFactory(department=team["education"], is_active=False)
    type(gone).objects.filter(pk=gone.pk).update(left_on=late_cycle.opens_on - timedelta(days=1))
    assert totals(late_cycle)["left"] == 0


def test_a_cycle_for_chosen_departments_covers_only_their_people(client, late_cycle, team, hr):
    late_cycle.departments.set([team["education"]])
    assert set(statuses(late_cycle)) == {"boss", "veteran", "joiner", "other"}
    assert totals(late_cycle)["in_scope"] == 4
    client.force_login(hr)
    assert "Hywel Health" not in client.get(f"/en/hr/staff/?cycle={late_cycle.pk}").content.decode()
    assert team["health"].staff_number not in report_rows(client, late_cycle)
    late_cycle.departments.set([])
    assert "health" in statuses(late_cycle)


def test_a_joiners_receipt_gives_their_own_due_date(late_cycle, team, content):
    from outbox.models import OutgoingEmail

    from ..reporting.conftest import complete

    joiner = team["joiner"]
    complete(joiner, late_cycle, content)
    receipt = OutgoingEmail.objects.get(recipient=joiner, kind=OutgoingEmail.Kind.RECEIPT)
    assert f"Your due date: {long_date(joiner.start_date + timedelta(days=28))}" in receipt.body
