"""Single sign-on end to end: a real OpenID Connect provider process on loopback (npm oidc-provider, RS256 ID tokens,
PKCE required), the portal on pytest-django's live server, and an HTTP client that follows every redirect the way a
browser does: authorise → sign in at the provider → callback → token → userinfo → signed in to the portal."""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth.models import Group

from ..factories import UserFactory
from ..sso.provider import running_provider

# Who the provider knows: the portal's directory decides who gets in.
ACCOUNTS = {
    "ffion": {"email": "Ffion.Jones@gov.wales", "name": "Ffion Jones"},
    "dewi": {"email": "dewi.evans@gov.wales", "name": "Dewi Evans"},
    "stranger": {"email": "contractor@example.com", "name": "A Contractor"},
    "leaver": {"email": "leaver@gov.wales", "name": "Former Colleague"},
    "admin": {"email": "service.admin@gov.wales", "name": "Service Account"},
    # Claims the portal must not trust: an address the provider has not verified, and an address that is not a string.
    "unverified": {"email": "dewi.evans@gov.wales", "name": "Not Dewi", "email_verified": False},
    "garbled": {"email": ["ffion.jones@gov.wales"], "name": "Not Ffion"},
}


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider(redirect_uri=f"{live_server.url}/oidc/callback/", accounts=ACCOUNTS) as running:
        yield running


@pytest.fixture
def portal(live_server, provider, settings, transactional_db, content, cycle):
    for name, value in provider.portal_settings().items():
        setattr(settings, name, value)
    UserFactory(username="ffion", email="ffion.jones@gov.wales", first_name="Ffion", preferred_language="en")
    UserFactory(username="dewi", email="dewi.evans@gov.wales", first_name="Dewi", preferred_language="cy")
    UserFactory(username="leaver", email="leaver@gov.wales", is_active=False)
    UserFactory(username="service", email="service.admin@gov.wales", staff_number=None)
    return live_server.url


def form_action(page):
    match = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert match, page.text[:500]
    return urljoin(page.url, html.unescape(match.group(1)))


def sso_button(page):
    match = re.search(r'href="([^"]*/oidc/authenticate/[^"]*)"', page.text)
    assert match, "the sign-in page has no single sign-on button"
    return urljoin(page.url, html.unescape(match.group(1)))


def sign_in_through_provider(browser, portal, login, start="/en/sign-in/"):
    """Open a portal page, press the single sign-on button, sign in at the provider; return the page landed on."""
    sign_in_page = browser.get(f"{portal}{start}", timeout=20)
    at_provider = browser.get(sso_button(sign_in_page), timeout=20)
    assert at_provider.url.startswith("http://127.0.0.1:"), at_provider.url
    assert 'name="login"' in at_provider.text
    return browser.post(
        form_action(at_provider), data={"prompt": "login", "login": login, "password": "any"}, timeout=20
    )


def sign_in_with_password(browser, url, username="ffion"):
    browser.get(url, timeout=20)
    return browser.post(
        url,
        data={
            "username": username,
            "password": "correct-horse-battery",
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken"),
        },
        headers={"Referer": url},
        timeout=20,
    )


def your_data_page(browser, portal):
    page = browser.get(f"{portal}/en/your-data/", timeout=20, allow_redirects=False)
    return page.text if page.status_code == 200 else None


def test_a_person_in_the_directory_signs_in_through_the_provider(portal):
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, "ffion")
    assert landed.status_code == 200
    assert landed.url == f"{portal}/en/"
    callback = next(step for step in landed.history if "/oidc/callback/" in step.url)
    assert "code=" in callback.url
    assert "ffion.jones@gov.wales" in your_data_page(browser, portal)


def test_single_sign_on_lands_in_the_persons_language_on_the_page_they_asked_for(portal):
    browser = requests.Session()
    asked_for = browser.get(f"{portal}/en/guidance/", timeout=20)  # anonymous: sent to sign in, with next
    assert "/sign-in/" in asked_for.url
    sign_in_path = asked_for.url.removeprefix(portal)
    landed = sign_in_through_provider(browser, portal, "dewi", start=sign_in_path)
    assert landed.status_code == 200
    assert landed.url == f"{portal}/cy/canllawiau/"  # Dewi reads in Welsh, so the same page in Welsh


def test_a_next_address_off_the_portal_is_ignored(portal):
    browser = requests.Session()
    at_provider = browser.get(f"{portal}/oidc/authenticate/?next=https://evil.example/", timeout=20)
    landed = browser.post(
        form_action(at_provider), data={"prompt": "login", "login": "ffion", "password": "any"}, timeout=20
    )
    assert landed.url == f"{portal}/en/"


@pytest.mark.parametrize(
    ("login", "email"),
    [
        ("stranger", "contractor@example.com"),  # not in the directory
        ("leaver", "leaver@gov.wales"),  # in the directory but inactive
        ("admin", "service.admin@gov.wales"),  # an account with no staff record
    ],
)
def test_people_the_directory_does_not_know_are_refused_with_a_clear_page(portal, login, email):
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, login)
    assert landed.status_code == 403
    assert landed.url == f"{portal}/en/sign-in/refused/"
    assert "You cannot sign in to this service" in landed.text
    assert f"You signed in as {email}." in landed.text
    assert your_data_page(browser, portal) is None


def test_the_refusal_is_in_welsh_for_someone_reading_in_welsh(portal):
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, "stranger", start="/cy/mewngofnodi/")
    assert landed.status_code == 403
    assert landed.url == f"{portal}/cy/mewngofnodi/gwrthodwyd/"
    assert 'lang="cy"' in landed.text
    assert "Ni allwch fewngofnodi" in landed.text


def test_cancelling_at_the_provider_returns_to_sign_in_with_a_message(portal):
    browser = requests.Session()
    sign_in_page = browser.get(f"{portal}/en/sign-in/", timeout=20)
    at_provider = browser.get(sso_button(sign_in_page), timeout=20)
    abort = re.search(r'href="([^"]*/abort)"', at_provider.text).group(1)
    landed = browser.get(urljoin(at_provider.url, html.unescape(abort)), timeout=20)
    assert landed.status_code == 200
    assert landed.url == f"{portal}/en/sign-in/"
    assert "did not finish" in landed.text
    assert your_data_page(browser, portal) is None


def test_a_replayed_or_forged_callback_signs_no_one_in(portal):
    first = requests.Session()
    landed = sign_in_through_provider(first, portal, "ffion")
    callback = next(step for step in landed.history if "/oidc/callback/" in step.url).url

    # The same code and state again, in another browser and in the original one: refused, never a 500.
    for browser in (requests.Session(), first):
        if browser is first:
            browser.post(f"{portal}/en/sign-out/", data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken")})
        replayed = browser.get(callback, timeout=20)
        assert replayed.status_code == 200
        assert replayed.url.endswith("/sign-in/")
        assert "did not finish" in replayed.text
        assert your_data_page(browser, portal) is None

    forged = requests.Session()
    forged.get(sso_button(forged.get(f"{portal}/en/sign-in/", timeout=20)), timeout=20)  # a real state in session
    page = forged.get(f"{portal}/oidc/callback/?code=made-up&state=made-up", timeout=20)
    assert page.status_code == 200 and "did not finish" in page.text


@pytest.mark.parametrize("login", ["unverified", "garbled"])
def test_claims_the_portal_cannot_trust_sign_no_one_in(portal, login):
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, login)
    assert landed.status_code == 200
    assert landed.url == f"{portal}/en/sign-in/"
    assert "did not finish" in landed.text
    assert your_data_page(browser, portal) is None


def test_an_id_token_from_another_issuer_signs_no_one_in(portal, settings):
    settings.OIDC_OP_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, "ffion")
    assert "did not finish" in landed.text
    assert your_data_page(browser, portal) is None


def test_someone_made_inactive_is_signed_out_at_their_next_request(portal):
    from portal.models import User

    browser = requests.Session()
    sign_in_through_provider(browser, portal, "ffion")
    assert your_data_page(browser, portal) is not None
    User.objects.filter(username="ffion").update(is_active=False)
    assert your_data_page(browser, portal) is None


def test_a_refusal_signs_out_whoever_was_signed_in_before(portal):
    browser = requests.Session()
    sign_in_with_password(browser, f"{portal}/en/sign-in/")
    assert your_data_page(browser, portal) is not None
    at_provider = browser.get(f"{portal}/oidc/authenticate/?next=/en/", timeout=20)
    refused = browser.post(
        form_action(at_provider), data={"prompt": "login", "login": "stranger", "password": "any"}, timeout=20
    )
    assert refused.status_code == 403
    assert your_data_page(browser, portal) is None


# The admin has no sign-in page of its own: /en/admin/login/ leads to the portal's, with the admin as the next page.
@pytest.mark.parametrize("sign_in_path", ["/en/sign-in/", "/en/sign-in/?next=/en/admin/&"])
def test_a_password_sign_in_whose_address_carries_code_and_state_is_not_sent_to_the_provider(
    portal, settings, sign_in_path
):
    from portal.models import User

    User.objects.filter(username="ffion").update(is_staff=True)  # so the admin's own sign-in accepts her
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # would fail loudly if it were called
    browser = requests.Session()
    separator = "" if sign_in_path.endswith("&") else "?"
    landed = sign_in_with_password(browser, f"{portal}{sign_in_path}{separator}code=x&state=y")
    assert landed.status_code in (200, 302)
    assert your_data_page(browser, portal) is not None


def test_a_provider_that_does_not_answer_gives_a_message_not_an_error(portal, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens on the discard port
    browser = requests.Session()
    landed = sign_in_through_provider(browser, portal, "ffion")
    assert landed.status_code == 200
    assert "did not finish" in landed.text
    assert your_data_page(browser, portal) is None


def test_refusals_do_not_lock_out_colleagues_at_the_same_address(portal, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        assert sign_in_through_provider(requests.Session(), portal, "stranger").status_code == 403
    assert not AccessAttempt.objects.exists()
    browser = requests.Session()
    assert sign_in_through_provider(browser, portal, "ffion").url == f"{portal}/en/"


def test_roles_come_from_the_portal_not_the_provider(portal):
    from portal.models import User

    User.objects.get(username="ffion").groups.add(Group.objects.get(name="HR"))
    browser = requests.Session()
    sign_in_through_provider(browser, portal, "ffion")
    assert browser.get(f"{portal}/en/hr/", timeout=20, allow_redirects=False).status_code == 200
    other = requests.Session()
    sign_in_through_provider(other, portal, "dewi")
    assert other.get(f"{portal}/cy/ad/", timeout=20, allow_redirects=False).status_code == 403


def test_local_sign_in_still_works_beside_single_sign_on(portal):
    browser = requests.Session()
    page = browser.get(f"{portal}/en/sign-in/", timeout=20)
    assert "Sign in with your Welsh Government account" in page.text
    landed = sign_in_with_password(browser, f"{portal}/en/sign-in/")
    assert landed.url == f"{portal}/en/"


def test_without_a_provider_configured_the_routes_do_not_exist(client, settings):
    settings.OIDC_ENABLED = False
    assert "/oidc/authenticate/" not in client.get("/en/sign-in/").content.decode()
    for url in ("/oidc/authenticate/", "/oidc/callback/?code=x&state=y", "/en/sign-in/refused/"):
        assert client.get(url).status_code == 404


def test_single_sign_on_is_switched_on_by_the_environment(provider):
    """What an administrator sets (README, Security) turns on the backend and the provider's endpoints."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": provider.token_endpoint,
        "OIDC_OP_USER_ENDPOINT": provider.userinfo_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": provider.jwks_uri,
        "OIDC_OP_ISSUER": provider.issuer,
    }
    read = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.OIDC_ENABLED, s.AUTHENTICATION_BACKENDS, s.OIDC_OP_ISSUER, s.OIDC_OP_JWKS_ENDPOINT]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {read}"],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    enabled, backends, issuer, keys = json.loads(result.stdout)
    assert enabled is True
    assert backends == provider.portal_settings()["AUTHENTICATION_BACKENDS"]
    assert (issuer, keys) == (provider.issuer, provider.jwks_uri)
