"""One set of figures per cycle: every page and download that counts a cycle's people counts them the same way.

One cycle, due three days ago, with people at every stage: completed, passed but not confirmed, in progress and not
started (overdue, and joiners still in time), exempt and left. Then the dashboard's headline, its chart's words and
table, the department table, My team, the staff list and its "remind everyone" button, the reminders page, the CSV
and the workbook must all show the same numbers.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessments.services import start_attempt, submit_attempt
from cycles.services import exempt_person
from outbox.models import OutgoingEmail
from reporting import selectors
from reporting.reminders import plan_for_day, send_for_day

from ..assessments.test_quiz import answer_all
from ..factories import DepartmentFactory, UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def year(content, cycle, hr):
    """In scope 9: completed 4, overdue 3 (passed only, answering, not started), and two joiners still in time (one
    answering, one not started). Not counted: one exempt, one who left. The line manager has 3 in scope and 1 exempt."""
    today = timezone.localdate()
    cycle.opens_on, cycle.due_on, cycle.joiner_days = today - timedelta(days=60), today - timedelta(days=3), 28
    cycle.save()
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    health = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    cycle.departments.set([education, health])  # HR and the line manager sit elsewhere, outside this cycle
    corporate = DepartmentFactory(code="CORP", name_en="Corporate", name_cy="Corfforaethol")
    hr.department = corporate
    hr.save()
    boss = UserFactory(username="boss", department=corporate)
    new = today - timedelta(days=5)
    people = {
        "done_1": UserFactory(department=education, line_manager=boss),
        "done_2": UserFactory(department=education),
        "done_3": UserFactory(department=education),
        "done_4": UserFactory(department=health),
        "passed": UserFactory(department=education, line_manager=boss),
        "answering": UserFactory(department=health),
        "waiting": UserFactory(department=education),
        "joiner_answering": UserFactory(department=education, start_date=new, line_manager=boss),
        "joiner_waiting": UserFactory(department=health, start_date=new),
        "exempt": UserFactory(department=education, line_manager=boss),
        "left": UserFactory(department=education),
    }
    for key in ("done_1", "done_2", "done_3", "done_4"):
        complete(people[key], cycle, content)
    passing = start_attempt(user=people["passed"], cycle=cycle, language="en")
    answer_all(passing, people["passed"], correct=6)
    submit_attempt(user=people["passed"], attempt_id=passing.pk, language="en")  # passed, never confirmed
    complete(people["left"], cycle, content, correct=2)
    start_attempt(user=people["answering"], cycle=cycle, language="en")
    start_attempt(user=people["joiner_answering"], cycle=cycle, language="en")
    exempt_person(
        person=people["exempt"], cycle=cycle, reason="long_term_leave", ends_on=today + timedelta(days=30), by=hr
    )
    people["left"].is_active = False
    people["left"].save()
    return {"cycle": cycle, "people": people, "boss": boss}


EXPECTED = {"in_scope": 9, "completed": 4, "overdue": 3, "exempt": 1, "left": 1, "percent_complete": 44}


def _number_after(page: str, label: str) -> int:
    match = re.search(r'app-stat__number">(\d+)</span><span class="app-stat__label">' + re.escape(label), page)
    assert match, label
    return int(match.group(1))


def test_every_surface_shows_the_same_figures(client, year, hr):
    cycle, people = year["cycle"], year["people"]
    figures = selectors.dashboard(cycle=cycle)
    totals = figures["totals"]
    assert {key: totals[key] for key in EXPECTED} == EXPECTED, totals

    # The dashboard's headline, the chart's words and the last row of its table.
    client.force_login(hr)
    page = client.get(f"/en/hr/?cycle={cycle.pk}").content.decode()
    assert _number_after(page, "people in scope") == 9
    assert _number_after(page, "completed (44%)") == 4
    assert _number_after(page, "overdue") == 3
    assert "44% complete (4 of 9 people)." in page and "3 people are overdue." in page
    last_week = figures["progress"].weekly()[-1]
    assert (figures["progress"].people, last_week.completed, last_week.overdue) == (9, 4, 3)
    assert "1 person exempt" in page and "1 person who has left" in page

    # The department table adds up to the headline.
    rows = {row["department"].code: row for row in figures["departments"]}
    assert (rows["EDU"]["in_scope"], rows["EDU"]["completed"], rows["EDU"]["exempt"], rows["EDU"]["left"]) == (
        6,
        3,
        1,
        1,
    )
    assert (rows["HSS"]["in_scope"], rows["HSS"]["completed"]) == (3, 1)

    # The staff list: everyone the CSV lists, and the figures of those in scope.
    staff_page = client.get(f"/en/hr/staff/?cycle={cycle.pk}").content.decode()
    assert "11 people listed. Of the 9 people in scope, 4 completed (44%) and 3 overdue." in staff_page
    # "Remind everyone" names the number the preview then shows: the 5 outstanding (3 overdue, 2 joiners).
    assert "who can be reminded today (5 people)" in staff_page
    preview = client.post("/en/hr/staff/remind/", {"cycle": cycle.pk, "scope": "filter"}).content.decode()
    assert "This reminder will go to 5 people." in preview

    # The CSV: one row each, with the same statuses.
    body = b"".join(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv").streaming_content).decode("utf-8-sig")
    statuses = [row["Status"] for row in csv.DictReader(io.StringIO(body))]
    assert len(statuses) == 11
    assert statuses.count("Completed") == 4 and statuses.count("Overdue") == 3
    assert statuses.count("Exempt") == 1 and statuses.count("Left") == 1
    assert statuses.count("In progress") == 1 and statuses.count("Not started") == 1

    # The workbook: the Summary sheet's total row and the people sheet.
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = workbook["Summary"]
    headings = [cell.value for cell in summary[1]]
    total = next(row for row in summary.iter_rows(values_only=True) if row[1] == "All departments")
    by_heading = dict(zip(headings, total, strict=False))
    assert by_heading["In scope"] == 9 and by_heading["Completed"] == 4 and by_heading["Overdue"] == 3
    assert by_heading["Exempt (not counted)"] == 1 and by_heading["Left (not counted)"] == 1
    assert round(by_heading["Complete"] * 100) == 44
    assert workbook["All staff"].max_row == 1 + 11

    # My team: the exempt person is listed but not counted, and the overdue show their real days overdue.
    client.force_login(year["boss"])
    team = client.get("/en/my-team/").content.decode()
    assert "complete: 1 of 3 people" in team and "Not counted in these figures: 1 person exempt." in team
    assert re.search(r'data-label="Days overdue">3</td>', team)

    # The reminders page lists only people who are outstanding, and the worker sends exactly that list.
    plan = plan_for_day(cycle=cycle)
    planned = {item.person.pk for item in plan.reminders}
    outstanding = {people[key].pk for key in ("passed", "answering", "waiting", "joiner_answering", "joiner_waiting")}
    assert planned and planned <= outstanding
    send_for_day(cycle=cycle)
    sent = set(OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).values_list("recipient_id", flat=True))
    assert sent == planned
