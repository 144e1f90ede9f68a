import re

import pytest

pytestmark = pytest.mark.django_db


def switch_link(html: str) -> str:
    match = re.search(r'class="govuk-language-navigation__link" href="([^"]+)"', html)
    return match.group(1).replace("&amp;", "&")


def test_every_page_has_the_right_lang_attribute(client, staff, content, cycle):
    client.force_login(staff)
    assert '<html lang="en"' in client.get("/en/guidance/").content.decode()
    assert '<html lang="cy"' in client.get("/cy/canllawiau/").content.decode()


def test_switch_links_carry_lang_and_hreflang(client, staff, content, cycle):
    client.force_login(staff)
    html = client.get("/en/guidance/").content.decode()
    assert 'lang="cy" hreflang="cy">Cymraeg' in html
    html = client.get("/cy/canllawiau/").content.decode()
    assert 'lang="en" hreflang="en">English' in html


def test_switch_lands_on_the_same_section_in_the_other_language(client, staff, content, cycle):
    client.force_login(staff)
    html = client.get("/en/guidance/introduction/").content.decode()
    response = client.get(switch_link(html), follow=True)
    assert response.redirect_chain[-1][0] == "/cy/canllawiau/cyflwyniad/"
    assert response.status_code == 200
    assert "<h1" in response.content.decode() and "Cyflwyniad" in response.content.decode()


def test_switch_keeps_the_query_string(client, hr, content, cycle):
    client.force_login(hr)
    html = client.get("/en/hr/staff/?status=completed&q=Evans").content.decode()
    response = client.get(switch_link(html))
    assert response["Location"] == "/cy/ad/staff/?status=completed&q=Evans"


def test_switch_is_saved_as_the_persons_preference(client, staff, content):
    client.force_login(staff)
    client.get("/language/cy/?next=/en/guidance/")
    staff.refresh_from_db()
    assert staff.preferred_language == "cy"
    assert client.get("/")["Location"] == "/cy/"


def test_switch_refuses_to_send_people_to_another_site(client, staff):
    client.force_login(staff)
    assert client.get("/language/cy/?next=https://evil.example/")["Location"] == "/cy/"
    assert client.get("/language/cy/?next=//evil.example/")["Location"] == "/cy/"
    assert client.get("/language/xx/?next=/en/").status_code == 404


def test_sign_in_page_switch_works_for_anonymous_visitors(client):
    html = client.get("/en/sign-in/").content.decode()
    response = client.get(switch_link(html))
    assert response["Location"].startswith("/cy/mewngofnodi/")
