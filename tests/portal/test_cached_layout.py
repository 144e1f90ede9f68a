"""The layout's menu, header and footer are kept rendered per process (the "local" cache): what people see must
still follow their language, the page they are on and their roles, and each form keeps its own CSRF token."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def menu(html: str) -> str:
    return html[html.index('id="navigation"') : html.index("app-sign-out")]


def test_the_menu_follows_the_language_and_the_page(client, staff, cycle, content):
    client.force_login(staff)
    english = client.get("/en/guidance/").content.decode()
    welsh = client.get("/cy/canllawiau/").content.decode()
    home = client.get("/cy/").content.decode()
    assert "Scenario questions" in menu(english) and "Cwestiynau senario" not in menu(english)
    assert "Cwestiynau senario" in menu(welsh) and "Scenario questions" not in menu(welsh)
    assert re.search(r'href="/cy/canllawiau/" aria-current="page"', menu(welsh))
    assert re.search(r'href="/cy/" aria-current="page"', menu(home))
    assert 'href="/cy/canllawiau/" aria-current' not in menu(home)
    assert "Skip to main content" in english and "Skip to main content" not in welsh


def test_each_person_sees_the_links_of_their_own_roles(staff, hr, cycle, content):
    as_staff, as_hr = Client(), Client()
    as_staff.force_login(staff)
    as_hr.force_login(hr)
    for _round in range(2):  # whichever was drawn first
        assert "HR dashboard" not in menu(as_staff.get("/en/guidance/").content.decode())
        assert "HR dashboard" in menu(as_hr.get("/en/guidance/").content.decode())


def test_each_person_signs_out_with_their_own_token(staff, hr, cycle, content):
    for person in (staff, hr):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        page = browser.get("/en/guidance/").content.decode()
        token = re.search(r'action="/en/sign-out/".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S).group(1)
        response = browser.post("/en/sign-out/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302, f"{person} could not sign out"
        assert browser.get("/en/guidance/").status_code == 302  # signed out: sent to sign in


def test_the_language_switch_names_the_page_it_is_on(client, staff, cycle, content):
    client.force_login(staff)
    for path in ("/en/guidance/", "/en/guidance/introduction/", "/en/"):
        html = client.get(path).content.decode()
        switch = html[html.index("govuk-language-navigation") :]
        assert f"next={path.replace('/', '%2F')}" in switch or f'value="{path}"' in switch, path
