import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from reporting import selectors

from ..factories import DepartmentFactory, UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


def totals(cycle):
    return selectors.dashboard(cycle=cycle)["totals"]


def test_totals_count_each_status(workforce, cycle):
    totals = selectors.dashboard(cycle=cycle)["totals"]
    assert totals["in_scope"] == 8
    assert totals["completed"] == 3
    assert totals["passed"] == 1
    assert totals["in_progress"] == 2  # one open attempt, one failed attempt
    assert totals["not_started"] == 2
    assert totals["outstanding"] == 5
    assert totals["overdue"] == 0


def test_inactive_people_are_out_of_scope(workforce, cycle):
    workforce[7].is_active = False
    workforce[7].save()
    assert totals(cycle)["in_scope"] == 7


def test_completion_by_department(workforce, cycle):
    rows = {row["department"].code: row for row in selectors.completion_by_department(cycle=cycle)}
    assert rows["EDU"]["completed"] == 3 and rows["EDU"]["in_scope"] == 6 and rows["EDU"]["percent_complete"] == 50
    assert rows["HSS"]["completed"] == 0 and rows["HSS"]["percent_complete"] == 0


def test_principle_rates_suppress_groups_under_five(workforce, cycle):
    rates = selectors.first_attempt_rates(cycle=cycle)
    assert all(not rate.suppressed for rate in rates)  # 5 people made a first attempt
    health = [row for row in selectors.rates_by_department(cycle=cycle) if row["department"].code == "HSS"][0]
    assert all(rate.suppressed for rate in health["rates"])  # one person only


def test_dashboard_page_shows_figures_and_hides_small_groups(client, hr, workforce, cycle):
    client.force_login(hr)
    page = client.get("/en/hr/").content.decode()
    assert "Completion dashboard" in page
    assert "Education" in page and "50%" in page
    # Each department has fewer than 5 people with a first attempt: held back in one line, not rows of dashes.
    assert "2 departments have fewer than 5 people with a first attempt, so they are not shown by department." in page
    assert 'id="principle-rates"' in page and 'id="department-rates"' not in page
    assert "Too few people to show" not in page


def test_the_principles_table_lists_the_principles_in_their_order(client, hr, content, cycle):
    from assessments.models import Option
    from assessments.services import record_answer, start_attempt, submit_attempt

    department = DepartmentFactory()
    for _index in range(5):  # everyone misses principle 6 only: "missed most" order would put it first
        person = UserFactory(department=department)
        attempt = start_attempt(user=person, cycle=cycle, language="en")
        for answer in attempt.answers.select_related("question__principle"):
            right = answer.question.principle.number != 6
            option = Option.objects.filter(question=answer.question, is_correct=right).first()
            record_answer(user=person, attempt_id=attempt.pk, position=answer.position, option_id=option.pk)
        submit_attempt(user=person, attempt_id=attempt.pk, language="en")
    client.force_login(hr)
    page = client.get("/en/hr/").content.decode()
    table = page[page.index('id="principle-rates"') :]
    table = table[: table.index("</table>")]
    numbers = [int(number) for number in re.findall(r'role="rowheader">(\d)\. ', table)]
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert [rate.percent_correct for rate in selectors.first_attempt_rates(cycle=cycle)] == [100] * 5 + [0]


def test_thin_data_gives_one_quiet_line_instead_of_the_tables(client, hr, content, cycle):
    department = DepartmentFactory()
    for _index in range(4):  # one short of the smallest group shown
        complete(UserFactory(department=department), cycle, content)
    client.force_login(hr)
    page = client.get("/en/hr/").content.decode()
    assert page.count("Not enough people have answered the questions yet") == 1
    assert 'id="principle-rates"' not in page and 'id="department-rates"' not in page
    assert "Too few people to show" not in page and "–<span" not in page


def _dashboard_queries(client, hr):
    client.force_login(hr)
    client.get("/en/hr/")  # the first page after signing in also fills the session
    selectors.forget_dashboard()  # measure the page as it is built, not the cached figures
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/hr/").status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_staff(client, hr, content, cycle):
    department = DepartmentFactory()
    for _index in range(10):
        complete(UserFactory(department=department), cycle, content)
    small = _dashboard_queries(client, hr)
    for _index in range(190):
        UserFactory(department=DepartmentFactory() if _index % 10 == 0 else department)
    for person in list(department.staff.all())[10:20]:
        complete(person, cycle, content, correct=3)
    large = _dashboard_queries(client, hr)
    assert small == large
    assert large <= 10


def test_staff_list_filters_and_paginates(client, hr, workforce, cycle):
    client.force_login(hr)
    page = client.get("/en/hr/staff/?status=completed").content.decode()
    assert "3 people" in page
    page = client.get("/en/hr/staff/?department=HSS").content.decode()
    assert "2 people" in page
    person = workforce[0]
    page = client.get(f"/en/hr/staff/?q={person.staff_number}").content.decode()
    assert "1 person" in page and person.last_name in page
    for bad in ["?page=abc", "?page=-1", "?page=99999", "?status=nonsense", "?department=%00", "?cycle=zzz"]:
        assert client.get("/en/hr/staff/" + bad).status_code == 200


def test_staff_list_query_count_does_not_grow(client, hr, content, cycle):
    department = DepartmentFactory()
    for _index in range(10):
        UserFactory(department=department)
    client.force_login(hr)
    client.get("/en/hr/staff/")
    with CaptureQueriesContext(connection) as small:
        client.get("/en/hr/staff/")
    for _index in range(60):
        UserFactory(department=department)
    with CaptureQueriesContext(connection) as large:
        client.get("/en/hr/staff/")
    assert len(small) == len(large)


def test_my_team_shows_each_reports_status(client, manager, staff, cycle, content):
    client.force_login(manager)
    page = client.get("/en/my-team/").content.decode()
    assert staff.last_name in page
    assert "Not started" in page
    complete(staff, cycle, content)
    assert "Completed" in client.get("/en/my-team/").content.decode()


def _completed_tile(client):
    page = client.get("/en/hr/").content.decode()
    return int(re.search(r'app-stat__number">(\d+)</span><span class="app-stat__label">completed', page).group(1))


def test_a_declaration_shows_on_the_dashboard_at_once(
    client, hr, workforce, cycle, content, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    assert _completed_tile(client) == 3  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        complete(workforce[5], cycle, content)
    assert _completed_tile(client) == 4, "the figures waited for the cache to expire"


def test_someone_made_inactive_leaves_the_figures_at_once(
    client, hr, workforce, cycle, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    before = selectors.dashboard(cycle=cycle)["totals"]["in_scope"]
    with django_capture_on_commit_callbacks(execute=True):
        workforce[7].is_active = False
        workforce[7].save()
    assert selectors.dashboard(cycle=cycle)["totals"]["in_scope"] == before - 1


def test_signing_in_does_not_throw_the_figures_away(client, hr, workforce, cycle, django_capture_on_commit_callbacks):
    built = selectors.dashboard(cycle=cycle)["as_of"]
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(workforce[0])  # saves last_login
        workforce[1].preferred_language = "cy"
        workforce[1].save(update_fields=["preferred_language"])
    assert selectors.dashboard(cycle=cycle)["as_of"] == built


ENGLISH_HEADING = "Which principles people miss most"  # inside the cached part of the page
WELSH_HEADING = "Yr egwyddorion y mae pobl yn eu cael yn anghywir amlaf"


def test_the_cached_page_follows_its_figures_in_each_language(client, hr, workforce, cycle, content):
    """The page is cached with its figures: new figures give a new page, and each language has its own."""
    client.force_login(hr)
    with override("cy"):
        welsh_url = reverse("reporting:dashboard")
    assert "50%" in client.get("/en/hr/").content.decode()  # Education: 3 of 6 completed
    assert WELSH_HEADING in client.get(welsh_url).content.decode()
    complete(workforce[5], cycle, content)  # the one in Education who had not started
    selectors.forget_dashboard()  # as the declaration does once it is committed
    english = client.get("/en/hr/").content.decode()
    assert "67%" in english and ENGLISH_HEADING in english and WELSH_HEADING not in english
    welsh = client.get(welsh_url).content.decode()
    assert "67%" in welsh and WELSH_HEADING in welsh and ENGLISH_HEADING not in welsh


def test_an_import_shows_on_the_dashboard_at_once(hr, workforce, cycle, django_capture_on_commit_callbacks):
    from directory.services import import_staff

    from ..directory.helpers import GOOD

    before = selectors.dashboard(cycle=cycle)["totals"]["in_scope"]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        import_staff(data=GOOD.encode())  # three new people, written in bulk
    assert selectors.dashboard(cycle=cycle)["totals"]["in_scope"] == before + 3
