"""My team: each person's due date, status with what is left, last activity and days overdue; sortable."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from assessments.services import start_attempt, submit_attempt
from cycles.models import Cycle
from guidance.services import publish_version, start_draft

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory
from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request for a Welsh page leaves Welsh active in this thread; later tests expect it put back."""
    with translation.override("en"):
        yield


@pytest.fixture
def team(manager, staff, cycle, content):
    """Five reports: done, passed only, failed once, answering now, nothing yet (and one who has left)."""
    people = {
        "done": staff,
        "passed": UserFactory(last_name="Bevan", line_manager=manager),
        "failed": UserFactory(last_name="Crwys", line_manager=manager),
        "answering": UserFactory(last_name="Dafis", line_manager=manager),
        "nothing": UserFactory(last_name="Ellis", line_manager=manager),
    }
    UserFactory(last_name="Gone", line_manager=manager, is_active=False)
    complete(people["done"], cycle, content)
    for key, correct in (("passed", 6), ("failed", 2)):
        attempt = start_attempt(user=people[key], cycle=cycle, language="en")
        answer_all(attempt, people[key], correct=correct)
        submit_attempt(user=people[key], attempt_id=attempt.pk, language="en")
    start_attempt(user=people["answering"], cycle=cycle, language="en")
    return people


def rows(page: str) -> list[str]:
    body = page[page.index('<tbody class="govuk-table__body"') : page.index("</tbody>")]
    return re.findall(r'<tr class="govuk-table__row" role="row">(.*?)</tr>', body, re.DOTALL)


def row_of(page: str, person) -> str:
    return next(row for row in rows(page) if person.last_name in row)


def test_each_person_has_a_due_date_a_status_with_its_reason_and_last_activity(client, manager, team, cycle):
    client.force_login(manager)
    page = client.get("/en/my-team/").content.decode()
    assert len(rows(page)) == 5 and "Gone" not in page
    due = cycle.due_on
    assert f"{due.day} " in row_of(page, team["nothing"])
    assert "Confirmed" in row_of(page, team["done"])
    assert "Passed the questions, needs to confirm" in row_of(page, team["passed"])
    assert "Did not pass, needs to try again" in row_of(page, team["failed"])
    assert "Answering the questions" in row_of(page, team["answering"])
    assert "Has not started" in row_of(page, team["nothing"]) and "None yet" in row_of(page, team["nothing"])
    today = timezone.localdate()
    assert f"{today.day} " in row_of(page, team["answering"])  # started today


def test_someone_who_must_confirm_a_new_version_is_told_which(client, manager, team, content):
    draft = start_draft()
    draft.requires_reacknowledgement = True
    draft.change_summary_en, draft.change_summary_cy = "Security updated.", "Diogelwch wedi’i ddiweddaru."
    draft.save()
    publish_version(version=draft)
    client.force_login(manager)
    page = client.get("/en/my-team/").content.decode()
    assert "Needs to confirm version 2" in row_of(page, team["done"])
    assert "Passed, not confirmed" in row_of(page, team["done"])


def test_overdue_people_show_how_many_days(client, manager, team, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(
        opens_on=timezone.localdate() - timedelta(days=30), due_on=timezone.localdate() - timedelta(days=4)
    )
    client.force_login(manager)
    page = client.get("/en/my-team/").content.decode()
    nothing = row_of(page, team["nothing"])
    assert "Overdue" in nothing and "Has not started" in nothing
    assert re.search(r'data-label="Days overdue">4</td>', nothing)
    assert re.search(r'data-label="Days overdue">0</td>', row_of(page, team["done"]))
    assert re.search(r'id="team-figures".*?20%.*?complete: 1 of 5 people.*?>4<', page, re.DOTALL)


def test_the_table_sorts_by_each_column_both_ways(client, manager, team):
    client.force_login(manager)
    by_name = [
        re.search(r'role="rowheader">([^<]+)', row).group(1)
        for row in rows(client.get("/en/my-team/?sort=name").content.decode())
    ]
    assert by_name == sorted(by_name, key=lambda name: name.split()[-1].lower())
    backwards = client.get("/en/my-team/?sort=name&order=desc").content.decode()
    assert [re.search(r'role="rowheader">([^<]+)', row).group(1) for row in rows(backwards)] == by_name[::-1]
    assert 'aria-sort="descending"' in backwards and "?sort=name" in backwards
    by_status = client.get("/en/my-team/").content.decode()
    assert team["nothing"].last_name in rows(by_status)[0] and team["done"].last_name in rows(by_status)[-1]
    for key in ("due", "activity", "overdue", "nonsense"):
        assert client.get(f"/en/my-team/?sort={key}&order=sideways").status_code == 200


def test_welsh_my_team(client, manager, team):
    manager.preferred_language = "cy"
    manager.save()
    client.force_login(manager)
    page = client.get("/cy/fy-nhim/").content.decode()
    assert "Wedi cadarnhau" in page and "Heb ddechrau" in page
