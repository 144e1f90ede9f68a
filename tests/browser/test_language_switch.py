"""The language switch in Chromium with JavaScript off: a form for signed-in people that keeps a picked answer."""

import pytest

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_switching_language_mid_question_keeps_the_picked_answer_without_javascript(
    no_script_page, live_server, seeded
):
    from assessments.models import Attempt, Option

    page = no_script_page
    base = live_server.url
    page.goto(base + "/en/sign-in/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("#id_submit")
    page.goto(base + "/en/quiz/")
    page.click("#start")
    page.wait_for_load_state()
    attempt = Attempt.objects.get(user__username="staff", status="in_progress")
    drawn = attempt.answers.get(position=1)
    picked = Option.objects.filter(question=drawn.question).order_by("-order").first()
    page.check(f"input[name=answer][value='{picked.pk}']")
    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert f"/cy/cwis/{attempt.pk}/cwestiwn/1/" in page.url
    assert page.is_checked(f"input[name=answer][value='{picked.pk}']")
    drawn.refresh_from_db()
    assert drawn.chosen_option is None  # picked, not yet answered
    page.get_by_role("button", name="Parhau").click()
    page.wait_for_load_state()
    drawn.refresh_from_db()
    assert drawn.chosen_option_id == picked.pk
    assert f"/cy/cwis/{attempt.pk}/cwestiwn/2/" in page.url
    # And back to English from a page with nothing picked: the preference follows.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    from portal.models import User

    assert User.objects.get(username="staff").preferred_language == "en"
