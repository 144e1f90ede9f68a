"""A declaration follows reading: the first confirmation in a cycle needs each principle's page (or the print-all
page) opened in that cycle; confirming again after a new version needs "What changed" or each changed page. The rule
is enforced by the ``acknowledge`` service, and the home page and the declaration page read the same rule."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments.models import Acknowledgement
from assessments.selectors import task_list
from assessments.services import acknowledge, start_attempt, submit_attempt
from guidance.models import SectionRead

from ..factories import CycleFactory, acknowledge_after_reading
from ..guidance.test_changes import security_rewritten
from .test_quiz import answer_all

pytestmark = pytest.mark.django_db

PRINCIPLES = ["propriety", "common-sense", "accuracy", "permanent", "doubts", "security"]


def pass_questions(person, cycle):
    attempt = start_attempt(user=person, cycle=cycle, language=person.preferred_language)
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language=person.preferred_language)


@pytest.fixture
def passed(staff, cycle, content):
    pass_questions(staff, cycle)
    return staff


def refusal(**arguments) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        acknowledge(**arguments, language="en")
    return " ".join(refused.value.messages)


def page(client, path) -> str:
    return html.unescape(client.get(path).content.decode())


def test_the_service_refuses_a_declaration_before_the_principles_are_read(passed, cycle, content):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        acknowledge(user=passed, cycle=cycle, version=content, language="en")
    assert refused.value.messages == [
        "Read these pages of the guidance before you confirm: "
        "Propriety, Common Sense, Accuracy, Permanent, Doubts, Security"
    ]
    assert not Acknowledgement.objects.exists()


def test_each_principles_page_opened_in_this_cycle_is_enough(client, passed, cycle, content):
    client.force_login(passed)
    for slug in PRINCIPLES[:-1]:
        client.get(f"/en/guidance/principles/{slug}/")
    assert (
        refusal(user=passed, cycle=cycle, version=content)
        == "Read these pages of the guidance before you confirm: Security"
    )
    client.get("/en/guidance/principles/security/")
    record, created = acknowledge(user=passed, cycle=cycle, version=content, language="en")
    assert created
    opened_first = SectionRead.objects.filter(user=passed, cycle=cycle, first_read_at__lte=record.created_at)
    assert opened_first.filter(section__principle__isnull=False).count() == 6  # the record of what was read first


def test_the_print_all_page_is_enough(client, passed, cycle, content):
    client.force_login(passed)
    client.get("/en/guidance/print/")
    _record, created = acknowledge(user=passed, cycle=cycle, version=content, language="en")
    assert created


def test_reading_in_last_years_cycle_does_not_count_this_year(client, staff, cycle, content):
    client.force_login(staff)
    client.get("/en/guidance/print/")
    cycle.is_current = False
    cycle.save()
    this_year = CycleFactory(is_current=True)
    pass_questions(staff, this_year)
    with translation.override("en"), pytest.raises(ValidationError, match="before you confirm"):
        acknowledge(user=staff, cycle=this_year, version=content, language="en")


def test_the_declaration_page_lists_what_is_still_to_read_and_the_home_page_agrees(client, passed, cycle, content):
    client.force_login(passed)
    client.get("/en/guidance/principles/propriety/")
    declaration = page(client, "/en/declaration/")
    assert "Before you can confirm" in declaration
    assert '<a class="govuk-link" href="/en/guidance/principles/security/">Security</a>' in declaration
    assert 'href="/en/guidance/principles/propriety/"' not in declaration  # read already
    assert 'href="/en/guidance/print/"' in declaration
    assert 'id="confirm"' not in declaration
    home = page(client, "/en/")
    assert 'id="task-reading-status">\n          <strong class="govuk-tag">In progress' in home
    response = client.post("/en/declaration/")  # a form kept from before is refused by the service too
    assert "Read these pages of the guidance before you confirm" in html.unescape(response.content.decode())
    assert not Acknowledgement.objects.exists()

    client.get("/en/guidance/print/")
    assert 'id="confirm"' in page(client, "/en/declaration/")
    assert 'id="task-reading-status">\n          Completed' in page(client, "/en/")
    assert client.post("/en/declaration/").status_code == 302
    assert Acknowledgement.objects.filter(user=passed).count() == 1


def test_the_declaration_page_lists_what_is_still_to_read_in_welsh(client, welsh_staff, cycle, content):
    pass_questions(welsh_staff, cycle)
    client.force_login(welsh_staff)
    declaration = page(client, "/cy/datganiad/")
    assert "Cyn y gallwch gadarnhau" in declaration
    assert 'href="/cy/canllawiau/egwyddorion/diogelwch/">Diogelwch</a>' in declaration
    assert 'href="/cy/canllawiau/argraffu/"' in declaration


@pytest.fixture
def confirmed_then_major_version(client, staff, cycle, content):
    pass_questions(staff, cycle)
    acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    version = security_rewritten(major=True)
    client.force_login(staff)
    return version


def test_confirming_again_needs_what_changed(client, staff, cycle, confirmed_then_major_version):
    version = confirmed_then_major_version
    assert task_list(user=staff, cycle=cycle, language="en").reading == "not_started"
    assert (
        refusal(user=staff, cycle=cycle, version=version)
        == "Read these pages of the guidance before you confirm: Security"
    )
    declaration = page(client, "/en/declaration/")
    assert "You have not opened these changed pages yet" in declaration
    assert 'href="/en/guidance/what-changed/"' in declaration
    client.get("/en/guidance/what-changed/")
    assert task_list(user=staff, cycle=cycle, language="en").reading == "completed"
    _record, created = acknowledge(user=staff, cycle=cycle, version=version, language="en")
    assert created


def test_confirming_again_needs_only_the_changed_page(client, staff, cycle, confirmed_then_major_version):
    client.get("/en/guidance/principles/security/")
    _record, created = acknowledge(user=staff, cycle=cycle, version=confirmed_then_major_version, language="en")
    assert created


def test_a_minor_version_does_not_send_readers_back_to_pages_that_did_not_change(client, passed, cycle, content):
    client.force_login(passed)
    client.get("/en/guidance/print/")  # all of version 1 read, not yet confirmed
    version = security_rewritten(major=False)
    assert (
        refusal(user=passed, cycle=cycle, version=version)
        == "Read these pages of the guidance before you confirm: Security"
    )
    client.get("/en/guidance/principles/security/")
    assert acknowledge(user=passed, cycle=cycle, version=version, language="en")[1]


def test_your_data_lists_each_page_opened_with_its_cycle(client, passed, cycle, content):
    client.force_login(passed)
    client.get("/en/guidance/principles/security/")
    data = page(client, "/en/your-data/")
    assert f"Version 1: Security ({cycle.name}, " in data
