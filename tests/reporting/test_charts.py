"""The dashboard's charts: their figures against the database, their findings in words, and SVG the CSP allows."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import translation

from assessments.models import Acknowledgement, AttemptQuestion
from assessments.status import counted_people
from reporting import figures
from reporting.progress import completion_over_time
from tests.factories import CycleFactory, DepartmentFactory, UserFactory

from .conftest import complete, declare

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def hr_officer(db):
    return UserFactory(username="hr.charts", roles=["HR"], staff_number=None)  # not in scope: no staff number


@pytest.fixture
def year(content, today):
    """This year's cycle opened 40 days ago and was due 10 days ago; last year's ran the same days a year before.

    Eight people. This year: one declared 35 days ago, one 20 days ago, one 5 days ago (after the due date).
    Last year: four had declared by this point of the cycle (days 5, 10, 20 and 39) and one more later (day 50).
    """
    current = CycleFactory(
        name="2026–27", opens_on=today - timedelta(days=40), due_on=today - timedelta(days=10), is_current=True
    )
    previous = CycleFactory(
        name="2025–26",
        opens_on=current.opens_on - timedelta(days=365),
        due_on=current.due_on - timedelta(days=365),
        is_current=False,
    )
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    people = [UserFactory(department=education) for _index in range(6)]
    people += [UserFactory(department=DepartmentFactory(code="TINY")) for _index in range(2)]
    for person, days_ago in zip(people, (35, 20, 5), strict=False):
        declare(person, current, content, on=today - timedelta(days=days_ago))
    for person, day in zip([people[0], people[1], people[3], people[4], people[5]], (5, 10, 20, 39, 50), strict=True):
        declare(person, previous, content, on=previous.opens_on + timedelta(days=day))
    return {"current": current, "previous": previous, "people": people}


def progress_for(year, today):
    cycle = year["current"]
    return completion_over_time(cycle=cycle, people=counted_people(cycle=cycle), previous=year["previous"], today=today)


def test_completion_over_time_matches_the_declarations_day_by_day(year, today):
    progress = progress_for(year, today)
    current, previous = year["current"], year["previous"]
    assert progress.people == 8
    assert progress.shown == 41  # the opening day to today
    assert progress.days == 41  # the due date has passed, so the axis ends today
    for index in range(progress.shown):
        day = current.opens_on + timedelta(days=index)
        completed = (
            Acknowledgement.objects.filter(cycle=current, created_at__date__lte=day).values("user").distinct().count()
        )
        assert progress.completed[index] == completed, day
        assert progress.overdue[index] == (8 - completed if day > current.due_on else 0), day
        last_year_day = previous.opens_on + timedelta(days=index)
        last_year = Acknowledgement.objects.filter(cycle=previous, created_at__date__lte=last_year_day).count()
        assert progress.last_year[index] == last_year, day
    assert progress.today.completed == 3 and progress.today.overdue == 5 and progress.today.last_year_completed == 4


def test_the_finding_says_where_the_cycle_stands_against_last_year(year, today):
    with translation.override("en"):
        finding = figures.progress_finding(progress_for(year, today))
    assert finding == "38% complete (3 of 8 people). 12 points behind this time last year (50%). 5 people are overdue."


def test_the_weekly_table_ends_today(year, today):
    rows = progress_for(year, today).weekly()
    assert [row.day for row in rows] == [
        year["current"].opens_on + timedelta(days=d) for d in (0, 7, 14, 21, 28, 35, 40)
    ]
    assert [row.completed for row in rows] == [0, 1, 1, 2, 2, 3, 3]


def test_a_manager_sees_only_their_team_in_the_small_chart(client, year, content, today):
    manager = UserFactory(username="team.lead", staff_number=None)
    for person in year["people"][2:4]:  # one declared 5 days ago, one has not
        person.line_manager = manager
        person.save()
    client.force_login(manager)
    page = client.get("/en/my-team/").content.decode()
    assert "50% complete (1 of 2 people)." in page
    assert "1 person is overdue." in page
    assert 'id="chart-team"' in page


def dashboard_svgs(page: str) -> dict[str, ET.Element]:
    found = {}
    for markup in re.findall(r"<svg\b.*?</svg>", page, flags=re.S):
        element = ET.fromstring(markup)
        found[element.get("id")] = element
    return found


def test_dashboard_charts_are_drawn_from_the_figures(client, hr_officer, year, content):
    cycle = year["current"]
    big = DepartmentFactory(code="BIG", name_en="Big department", name_cy="Adran fawr")
    for index in range(5):
        complete(UserFactory(department=big), cycle, content, correct=6 if index < 4 else 2)
    client.force_login(hr_officer)
    page = client.get(f"/en/hr/?cycle={cycle.pk}").content.decode()
    svgs = dashboard_svgs(page)
    # Five people answered the questions (the Big department), so the principles chart is drawn too.
    assert set(svgs) == {"chart-progress", "chart-departments", "chart-principles"}
    departments = svgs["chart-departments"]
    labels = [text.text for text in departments.iter(f"{SVG}text")]
    # Sorted from most to least complete; the two-person department is not drawn.
    assert labels[:4] == ["Big department", "80%", "Education", "50%"]
    assert "TINY" not in " ".join(labels) and "Department" not in " ".join(labels)
    finding = (
        "Most complete: Big department (80%). Least complete: Education (50%). "
        "1 department with fewer than 5 people is not shown."
    )
    assert finding in page
    assert departments.find(f"{SVG}desc").text == finding
    widths = [float(rect.get("width")) for rect in departments.iter(f"{SVG}rect") if rect.get("fill") == "#1d70b8"]
    assert widths[0] / widths[1] == pytest.approx(80 / 50)


def test_principles_chart_shows_the_share_of_people_who_missed_each(client, hr_officer, year, content):
    cycle = year["current"]
    for correct in (6, 5, 4, 3, 2, 6):
        complete(UserFactory(department=DepartmentFactory(code="EDU")), cycle, content, correct=correct)
    client.force_login(hr_officer)
    page = client.get(f"/en/hr/?cycle={cycle.pk}").content.decode()
    bars = svg_bars(dashboard_svgs(page)["chart-principles"])
    first = AttemptQuestion.objects.filter(attempt__cycle=cycle, attempt__is_first=True)
    expected = {}
    for number in range(1, 7):
        answers = first.filter(question__principle__number=number)
        people = answers.values("attempt__user").distinct().count()
        missed = answers.filter(is_correct=False).values("attempt__user").distinct().count()
        if people >= 5:
            expected[number] = round(missed * 100 / people)
    assert {int(label.split(".")[0]): value for label, value in bars.items()} == expected
    assert list(bars.values()) == sorted(bars.values(), reverse=True)


def svg_bars(svg: ET.Element) -> dict[str, int]:
    """Each bar is drawn as its name then its value; the last three texts are the axis (0%, 50%, 100%)."""
    texts = [text.text for text in svg.iter(f"{SVG}text")][:-3]
    return {name: int(value.rstrip("%")) for name, value in zip(texts[0::2], texts[1::2], strict=True)}


def test_chart_svg_needs_nothing_from_the_content_security_policy(client, hr_officer, year, content):
    evil = DepartmentFactory(code="EVIL", name_en='<script>alert("x")</script> & <b style="x">', name_cy="Drwg")
    for _index in range(5):
        complete(UserFactory(department=evil), year["current"], content)
    client.force_login(hr_officer)
    response = client.get(f"/en/hr/?cycle={year['current'].pk}")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy and "script-src 'self'" in policy
    page = response.content.decode()
    svgs = dashboard_svgs(page)
    assert len(svgs) == 3
    for svg in svgs.values():
        assert svg.get("role") == "img"
        title, description = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.text and description.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
        for element in svg.iter():
            tag = element.tag.removeprefix(SVG)
            assert tag not in ("script", "style", "foreignObject", "image", "a", "use"), tag
            for attribute in element.attrib:
                assert attribute != "style" and not attribute.lower().startswith("on"), (tag, attribute)
                assert "href" not in attribute, (tag, attribute)
    # The department's name is text in the SVG, never markup.
    labels = [text.text for text in svgs["chart-departments"].iter(f"{SVG}text")]
    assert '<script>alert("x")</script> & <b style="x">' in labels
    assert "<script>alert" not in page


def test_charts_and_findings_are_in_welsh(client, hr_officer, year, content):
    client.force_login(hr_officer)
    page = client.get(f"/cy/ad/?cycle={year['current'].pk}").content.decode()
    assert "38% wedi cwblhau (3 o 8 o bobl)." in page
    assert "12 o bwyntiau y tu ôl i'r un adeg y llynedd (50%)." in page
    assert "Mae 5 o bobl yn hwyr." in page
    svg = dashboard_svgs(page)["chart-progress"]
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Wedi cwblhau" in labels and "Yn hwyr" in labels and "Y llynedd" in labels


def test_no_chart_when_nobody_is_in_scope(client, hr_officer, content, today):
    cycle = CycleFactory(name="2030–31", opens_on=today, due_on=today + timedelta(days=30))
    client.force_login(hr_officer)
    page = client.get(f"/en/hr/?cycle={cycle.pk}").content.decode()
    assert "Nobody has completed yet" in page
    assert 'id="chart-progress"' not in page


def test_after_a_version_everyone_must_confirm_again_people_count_from_confirming_it(year, today):
    from .test_status import publish

    new = publish(major=True)
    first = year["people"][0]  # declared the earlier version 35 days ago
    declare(first, year["current"], new, on=today - timedelta(days=3))
    progress = progress_for(year, today)
    assert progress.today.completed == 1  # the two who declared only the earlier version have not completed
    assert progress.completed[-5:] == [0, 1, 1, 1, 1]  # from the day they confirmed the new version, not before
