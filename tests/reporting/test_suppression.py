"""Small groups are suppressed in the selector: a group of fewer than five people carries no count or percentage at
all, in the "All departments" table and in the table by department, so no page, chart or download can show one."""

import pytest

from reporting import selectors

from ..factories import DepartmentFactory, UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


def first_attempts(content, cycle, *, people: int, code: str = "SMALL"):
    department = DepartmentFactory(code=code, name_en=f"Unit {code}", name_cy=f"Uned {code}")
    group = [UserFactory(department=department) for _index in range(people)]
    for index, person in enumerate(group):
        complete(person, cycle, content, correct=6 if index % 2 else 3)
    return group


def assert_suppressed(rates, *, people: int):
    assert len(rates) == 6
    for rate in rates:
        assert rate.suppressed
        assert rate.people == people
        assert (rate.correct, rate.answered, rate.missed) == (None, None, None)
        assert (rate.percent_correct, rate.percent_missed) == (None, None)


def test_a_group_of_four_carries_no_figures_in_either_table(content, cycle):
    first_attempts(content, cycle, people=4)
    figures = selectors.dashboard(cycle=cycle)
    assert_suppressed(figures["rates"], people=4)  # "All departments": only four people answered at all
    (small,) = [row for row in figures["department_rates"] if row["department"].code == "SMALL"]
    assert_suppressed(small["rates"], people=4)


def test_a_group_of_four_is_suppressed_by_department_when_everyone_together_is_shown(content, cycle):
    first_attempts(content, cycle, people=4, code="SMALL")
    first_attempts(content, cycle, people=5, code="LARGE")
    figures = selectors.dashboard(cycle=cycle)
    overall = figures["rates"]
    assert all(not rate.suppressed and rate.people == 9 for rate in overall)
    assert all(rate.percent_correct is not None and rate.missed is not None for rate in overall)
    rows = {row["department"].code: row["rates"] for row in figures["department_rates"]}
    assert_suppressed(rows["SMALL"], people=4)
    assert all(not rate.suppressed and rate.people == 5 for rate in rows["LARGE"])


def test_a_group_of_four_shows_no_percentage_on_the_dashboard(
    client, hr, content, cycle, django_capture_on_commit_callbacks
):
    first_attempts(content, cycle, people=4)
    client.force_login(hr)
    page = client.get("/en/hr/").content.decode()
    assert 'id="principle-rates"' not in page and 'id="department-rates"' not in page
    with django_capture_on_commit_callbacks(execute=True):  # the new attempts refresh the cached figures
        first_attempts(content, cycle, people=1, code="ONE")  # five people in all: the whole portal's row is shown
    page = client.get("/en/hr/").content.decode()
    assert 'id="principle-rates"' in page
    assert 'id="department-rates"' not in page  # but still no department of five or more
