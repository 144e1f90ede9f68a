"""The guidance leads somewhere: its last page goes on to the questions, and earlier versions are listed."""

import re

import pytest
from django.utils import timezone, translation

from assessments.services import start_attempt, submit_attempt
from guidance.models import GuidanceVersion
from guidance.rendering import render_markdown
from guidance.services import publish_version, start_draft

from ..assessments.test_quiz import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request for a Welsh page leaves Welsh active in this thread; later tests expect it put back."""
    with translation.override("en"):
        yield


def test_the_last_principle_leads_on_to_the_scenario_questions(client, staff, cycle, content):
    client.force_login(staff)
    page = client.get("/en/guidance/principles/security/").content.decode()
    link = re.search(r'<a [^>]*href="/en/quiz/"[^>]*rel="next"[^>]*>(.*?)</a>', page, re.DOTALL)
    assert link, "principle 6 has a Next link to the questions"
    assert "Answer the scenario questions" in link.group(1)
    assert "you have done this" not in page
    welsh = client.get("/cy/canllawiau/egwyddorion/diogelwch/").content.decode()
    assert re.search(r'href="/cy/cwis/"[^>]*rel="next"', welsh)
    # Pages before the last lead to the next page of the guidance, not to the questions.
    assert 'href="/en/quiz/" rel="next"' not in client.get("/en/guidance/principles/doubts/").content.decode()


def test_after_passing_the_last_page_says_it_is_done(client, staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    client.force_login(staff)
    page = client.get("/en/guidance/principles/security/").content.decode()
    assert "Answer the scenario questions – you have done this" in page
    welsh = client.get("/cy/canllawiau/egwyddorion/diogelwch/").content.decode()
    assert "rydych wedi gwneud hyn" in welsh


def test_the_cached_page_does_not_carry_one_persons_progress_to_another(client, staff, cycle, content):
    from ..factories import UserFactory

    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    client.force_login(staff)
    assert "you have done this" in client.get("/en/guidance/principles/security/").content.decode()
    client.force_login(UserFactory())
    assert "you have done this" not in client.get("/en/guidance/principles/security/").content.decode()


def test_an_old_versions_last_page_does_not_lead_to_this_years_questions(client, staff, cycle, content):
    client.force_login(staff)
    page = client.get("/en/guidance/version/1/security/").content.decode()
    assert "/en/quiz/" not in page.split('aria-label="Guidance pages"')[1].split("</nav>")[0]


def _publish_version_two():
    draft = start_draft()
    intro = draft.sections.get(slug_en="introduction")
    intro.body_en, intro.body_cy = "A new introduction.", "Cyflwyniad newydd."
    intro.save()
    draft.change_summary_en, draft.change_summary_cy = "A shorter introduction.", "Cyflwyniad byrrach."
    draft.save()
    return publish_version(version=draft)


def test_the_contents_page_lists_previous_versions_with_dates_and_what_changed(client, staff, content):
    from evidence.unlock import evidence_unlocked

    with evidence_unlocked():  # test data: version 1 as if it had been published with a summary
        GuidanceVersion.objects.filter(pk=content.pk).update(change_summary_en="First version.")
    _publish_version_two()
    client.force_login(staff)
    page = client.get("/en/guidance/").content.decode()
    assert "Previous versions" in page
    listed = page[page.index('id="previous-versions"') :]
    listed = listed[: listed.index("</ul>")]
    published = timezone.localtime(GuidanceVersion.objects.get(number=1).published_at)
    assert 'href="/en/guidance/version/1/"' in listed and "Version 1" in listed
    assert f"published {published.day} " in listed
    assert "First version." in listed
    assert "Version 2" not in listed  # the version being read is not a previous one
    welsh = client.get("/cy/canllawiau/").content.decode()
    assert "Fersiynau blaenorol" in welsh and 'href="/cy/canllawiau/fersiwn/1/"' in welsh


def test_with_one_version_there_is_no_previous_versions_list(client, staff, content):
    client.force_login(staff)
    assert "Previous versions" not in client.get("/en/guidance/").content.decode()


def test_a_link_whose_text_is_its_address_prints_that_address_once():
    html = render_markdown(
        "Read the [Civil Service Code](https://example.gov/code) on GOV.UK. "
        "The web address is [https://example.gov/code](https://example.gov/code). See [more](https://example.gov/more)."
    )
    assert html.count('class="app-url-shown"') == 2  # both links to the address written out in the text
    assert '<a href="https://example.gov/more" rel' in html  # other links still print their address after them


def test_the_print_page_marks_the_civil_service_code_address_as_shown(client, staff, content):
    client.force_login(staff)
    page = client.get("/en/guidance/print/").content.decode()
    code_links = re.findall(r'<a href="https://www.gov.uk/government/publications/civil-service-code"[^>]*>', page)
    assert code_links and all("app-url-shown" in link for link in code_links)


def test_passing_in_this_session_shows_at_once_on_the_last_page(client, staff, cycle, content):
    """The last page remembers "not yet" for a minute, but passing through the quiz pages forgets it."""
    client.force_login(staff)
    assert "you have done this" not in client.get("/en/guidance/principles/security/").content.decode()
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    assert client.post(f"/en/quiz/{attempt.pk}/check-your-answers/").status_code == 302
    assert "you have done this" in client.get("/en/guidance/principles/security/").content.decode()


def test_the_last_page_asks_the_database_once_a_minute(client, staff, cycle, content, django_assert_num_queries):
    client.force_login(staff)
    path = "/en/guidance/principles/security/"
    client.get(path)
    client.get(path)  # the session saved with the memo; from here a visit is the user, the version and nothing else
    with django_assert_num_queries(2):
        client.get(path)
