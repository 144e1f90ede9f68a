"""Single sign-on in Chromium: the sign-in page with its button, the provider's screen, and the refusal page, in both
languages and checked with axe-core. The provider is the real one from tests/sso, on loopback."""

import pytest

from ..sso.provider import running_provider
from .conftest import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {
    "sian": {"email": "Staff.Cy@example.gov.wales", "name": "Siân Llywelyn"},  # `seeded` has her as staff.cy
    "stranger": {"email": "contractor@example.com", "name": "A Contractor"},
}
SIGN_IN = {"en": "/en/sign-in/", "cy": "/cy/mewngofnodi/"}
BUTTON = {"en": "Sign in with your Welsh Government account", "cy": "Mewngofnodi gyda'ch cyfrif Llywodraeth Cymru"}


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider(redirect_uri=f"{live_server.url}/oidc/callback/", accounts=ACCOUNTS) as running:
        yield running


@pytest.fixture
def single_sign_on(provider, settings):
    for name, value in provider.portal_settings().items():
        setattr(settings, name, value)
    return provider


def sign_in_with_provider(page, base_url, provider, login, language):
    page.goto(base_url + SIGN_IN[language])
    page.get_by_role("button", name=BUTTON[language]).click()
    page.wait_for_url(f"{provider.issuer}/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_welsh_speaker_signs_in_with_their_government_account(page, live_server, seeded, single_sign_on):
    page.goto(live_server.url + SIGN_IN["cy"])
    check(page, "sign-in-single-sign-on", "cy")
    sign_in_with_provider(page, live_server.url, single_sign_on, "sian", "en")
    assert page.url == f"{live_server.url}/cy/"  # her own language, whichever page she started from
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("button", name="Allgofnodi").is_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_someone_outside_the_directory_sees_an_accessible_refusal(page, live_server, seeded, single_sign_on, language):
    sign_in_with_provider(page, live_server.url, single_sign_on, "stranger", language)
    assert page.locator("html").get_attribute("lang") == language
    assert "contractor@example.com" in page.locator("main").inner_text()
    check(page, "single-sign-on-refused", language)
    # The language toggle keeps them on the refusal page.
    other = "cy" if language == "en" else "en"
    page.click(f"a.govuk-language-navigation__link[hreflang={other}]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    assert "contractor@example.com" in page.locator("main").inner_text()
