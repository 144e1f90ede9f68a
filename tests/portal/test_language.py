import re
from html import unescape

import pytest
from django.test import Client

from assessments.models import AttemptQuestion, Option
from assessments.services import start_attempt

pytestmark = pytest.mark.django_db


def switch_form(html: str) -> tuple[str, dict]:
    """The signed-in language switch: its form's action and the fields a browser would send without JavaScript."""
    form = re.search(r'<form method="post" action="([^"]+)" class="app-inline-form">(.*?)</form>', html, flags=re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return unescape(form.group(1)), {name: unescape(value) for name, value in fields.items()}


def switch(client, html: str, **extra):
    action, fields = switch_form(html)
    return client.post(action, {**fields, **extra})


def switch_link(html: str) -> str:
    match = re.search(r'class="govuk-language-navigation__link" href="([^"]+)"', html)
    return unescape(match.group(1))


def test_every_page_has_the_right_lang_attribute(client, staff, content, cycle):
    client.force_login(staff)
    assert '<html lang="en"' in client.get("/en/guidance/").content.decode()
    assert '<html lang="cy"' in client.get("/cy/canllawiau/").content.decode()


def test_switch_names_each_language_in_that_language(client, staff, content, cycle):
    client.force_login(staff)
    html = client.get("/en/guidance/").content.decode()
    assert re.search(
        r'<button type="submit" class="govuk-language-navigation__link app-link-button" lang="cy">Cymraeg', html
    )
    html = client.get("/cy/canllawiau/").content.decode()
    assert re.search(r'lang="en">English<span class="govuk-visually-hidden" lang="en"> Change the language', html)


def test_switch_lands_on_the_same_section_in_the_other_language(client, staff, content, cycle):
    client.force_login(staff)
    html = client.get("/en/guidance/introduction/").content.decode()
    action, fields = switch_form(html)
    page = client.post(action, fields, follow=True)
    assert page.redirect_chain[-1][0] == "/cy/canllawiau/cyflwyniad/"
    assert page.status_code == 200 and "Cyflwyniad" in page.content.decode()


def test_switch_keeps_the_query_string(client, hr, content, cycle):
    client.force_login(hr)
    html = client.get("/en/hr/staff/?status=completed&q=Evans").content.decode()
    assert switch(client, html)["Location"] == "/cy/ad/staff/?status=completed&q=Evans"


def test_switch_is_saved_as_the_persons_preference(client, staff, content):
    client.force_login(staff)
    client.post("/language/cy/", {"next": "/en/guidance/"})
    staff.refresh_from_db()
    assert staff.preferred_language == "cy"
    assert client.get("/")["Location"] == "/cy/"


def test_no_other_site_can_change_someones_language(staff, content):
    """A link or an image on another site is a GET: it changes nothing. A forged POST has no CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    assert browser.get("/language/cy/?next=/en/guidance/").status_code == 405
    assert browser.post("/language/cy/", {"next": "/en/guidance/"}).status_code == 403
    staff.refresh_from_db()
    assert staff.preferred_language == "en"
    assert "portal_language" not in browser.cookies


def test_switch_refuses_to_send_people_to_another_site(client, staff):
    client.force_login(staff)
    assert client.post("/language/cy/", {"next": "https://evil.example/"})["Location"] == "/cy/"
    assert client.post("/language/cy/", {"next": "//evil.example/"})["Location"] == "/cy/"
    assert client.post("/language/xx/", {"next": "/en/"}).status_code == 404


def test_signed_out_the_switch_is_a_link_that_writes_nothing(client):
    html = client.get("/en/sign-in/?next=/en/guidance/").content.decode()
    assert "app-inline-form" not in html.split('class="govuk-language-navigation"')[1].split("</nav>")[0]
    link = switch_link(html)
    assert link.startswith("/cy/mewngofnodi/") and "next=" in link
    response = client.get(link)
    assert response.status_code == 200 and '<html lang="cy"' in response.content.decode()
    assert "portal_language" not in response.cookies


def test_a_picked_answer_survives_a_language_switch(client, staff, cycle, small_bank):
    """Picking an answer and then switching language, without JavaScript: the same question in Welsh, still picked,
    and nothing saved."""
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    client.force_login(staff)
    question_url = f"/en/quiz/{attempt.pk}/question/1/"
    html = client.get(question_url).content.decode()
    # The switch button submits the question's form (form=/formaction=), so the browser sends the picked radio too.
    button = re.search(r"<button[^>]*govuk-language-navigation__link[^>]*>", html).group(0)
    assert 'form="question-form"' in button and 'formaction="/language/cy/"' in button
    assert 'id="question-form"' in html
    drawn = AttemptQuestion.objects.get(attempt=attempt, position=1)
    picked = Option.objects.filter(question=drawn.question).order_by("-order").first()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        "/language/cy/", {"csrfmiddlewaretoken": csrf, "answer": picked.pk, "next": unescape(question_url)}
    )
    assert response["Location"] == f"/cy/cwis/{attempt.pk}/cwestiwn/1/?answer={picked.pk}"
    welsh = client.get(response["Location"]).content.decode()
    assert '<html lang="cy"' in welsh
    assert re.search(rf'value="{picked.pk}"[^>]*checked', welsh)
    drawn.refresh_from_db()
    assert drawn.chosen_option is None  # nothing is saved until the person continues


def test_a_carried_answer_that_is_not_one_of_the_options_is_ignored(client, staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    client.force_login(staff)
    for bad in ["999999", "abc", "-1", ""]:
        page = client.get(f"/en/quiz/{attempt.pk}/question/1/?answer={bad}")
        assert page.status_code == 200 and "checked" not in page.content.decode()
