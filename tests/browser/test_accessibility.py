"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the pages staff see, and sign-in, in English and Welsh; reflow at 320 px; focus.
The pages of line managers, HR and editors are in test_accessibility_hr.py."""

import pytest

from ..factories import acknowledge_after_reading
from .conftest import answer_quiz, check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "cy"]


def url(base, language, english, welsh):
    return base + (english if language == "en" else welsh)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_pages(page, live_server, seeded, language):
    page.goto(url(live_server.url, language, "/en/sign-in/", "/cy/mewngofnodi/"))
    check(page, "sign-in", language)
    page.click("#id_submit")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "sign-in-errors", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_paused_pages(page, live_server, seeded, language, settings):
    """The pages for one username locked out (axes) and for an address paused after password spraying."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    sign_in_path = url(live_server.url, language, "/en/sign-in/", "/cy/mewngofnodi/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(sign_in_path)
        page.fill("#id_username", "staff")
        page.fill("#id_password", "not-the-password")
        page.click("#id_submit")
        page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    check(page, "sign-in-locked-out", language)
    AccessAttempt.objects.create(
        username="someone.else",
        ip_address="127.0.0.1",
        user_agent="spraying",
        failures_since_start=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    page.goto(sign_in_path)
    page.fill("#id_username", "hr")
    page.fill("#id_password", "not-the-password")
    page.click("#id_submit")
    page.wait_for_load_state()
    paused = page.locator("main").inner_text()
    assert ("too many" in paused.lower()) if language == "en" else ("gormod" in paused.lower()), paused
    check(page, "sign-in-address-paused", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages(page, live_server, seeded, language):
    base = live_server.url
    sign_in(page, base, "staff", language=language)
    page.goto(url(base, language, "/en/", "/cy/"))
    check(page, "home", language)
    for name, english, welsh in [
        ("guidance-contents", "/en/guidance/", "/cy/canllawiau/"),
        ("guidance-section", "/en/guidance/propriety-and-ethics/", "/cy/canllawiau/priodoldeb-a-moeseg/"),
        ("guidance-principles", "/en/guidance/principles/", "/cy/canllawiau/egwyddorion/"),
        ("guidance-principle", "/en/guidance/principles/security/", "/cy/canllawiau/egwyddorion/diogelwch/"),
        ("guidance-print", "/en/guidance/print/", "/cy/canllawiau/argraffu/"),
        ("404", "/en/no-such-page/", "/cy/dim-tudalen/"),
        ("403", "/en/hr/", "/cy/ad/"),
    ]:
        page.goto(url(base, language, english, welsh))
        check(page, name, language)
    page.goto(url(base, language, "/en/quiz/", "/cy/cwis/"))
    check(page, "quiz-start", language)
    page.click("#start")
    page.wait_for_load_state()
    check(page, "quiz-question", language)
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "quiz-question-error", language)
    answer_quiz(page, right=2)
    check(page, "quiz-check-answers", language)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    check(page, "quiz-results-not-passed", language)
    page.click("form[action] button.govuk-button")
    page.wait_for_load_state()
    answer_quiz(page, right=6)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    check(page, "quiz-results-passed", language)
    page.goto(url(base, language, "/en/declaration/", "/cy/datganiad/"))
    check(page, "declaration", language)
    page.click("#confirm")
    page.wait_for_load_state()
    assert page.locator(".govuk-panel--confirmation").is_visible()
    check(page, "confirmation", language)
    page.goto(url(base, language, "/en/your-record/", "/cy/eich-cofnod/"))
    check(page, "your-record", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_changed_pages(page, live_server, seeded, language):
    """After a major version: staff's home page and "What changed", and the editor's publish confirmation."""
    from assessments.services import start_attempt, submit_attempt
    from guidance.services import publish_version, start_draft

    from ..assessments.test_quiz import answer_all

    person = seeded["people"]["staff" if language == "en" else "staff_cy"]
    attempt = start_attempt(user=person, cycle=seeded["cycle"], language=language)
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language=language)
    acknowledge_after_reading(user=person, cycle=seeded["cycle"], version=seeded["version"], language=language)
    draft = start_draft()
    security = draft.sections.get(slug_en="security")
    security.body_en = security.body_en.replace("a strong password", "a long, unique password")
    security.body_cy = security.body_cy.replace("gyfrinair cryf", "gyfrinair hir, unigryw")
    security.save()
    draft.requires_reacknowledgement = True
    draft.change_summary_en, draft.change_summary_cy = "Longer passwords.", "Cyfrineiriau hirach."
    draft.save()
    base = live_server.url
    sign_in(page, base, "editor", language=language)
    page.goto(f"{base}/{language}/admin/guidance/guidanceversion/{draft.pk}/publish/")
    check(page, "admin-publish-confirmation", language)
    publish_version(version=draft)
    page.context.clear_cookies()
    sign_in(page, base, person.username, language=language)
    page.goto(url(base, language, "/en/", "/cy/"))
    check(page, "home-confirm-again", language)
    page.goto(url(base, language, "/en/declaration/", "/cy/datganiad/"))
    assert page.locator("#still-to-read").is_visible() and not page.locator("#confirm").count()
    check(page, "declaration-still-to-read", language)
    page.goto(url(base, language, "/en/guidance/what-changed/", "/cy/canllawiau/beth-sydd-wedi-newid/"))
    check(page, "guidance-what-changed", language)
    page.goto(url(base, language, "/en/declaration/", "/cy/datganiad/"))
    assert page.locator("#confirm").is_visible()  # "What changed" showed every changed page
    page.goto(url(base, language, "/en/guidance/", "/cy/canllawiau/"))
    check(page, "guidance-contents-changed", language)


def test_focus_is_visible_and_the_quiz_works_with_the_keyboard_alone(page, live_server, seeded):
    base = live_server.url
    sign_in(page, base, "staff")
    page.goto(base + "/en/quiz/")
    page.focus("#start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    from assessments.models import Attempt

    attempt = Attempt.objects.get(user__username="staff")
    for _position in range(1, attempt.total + 1):
        page.focus("input[name=answer]")
        page.keyboard.press("Space")
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.boxShadow; }"
        )
        assert outline != "none none", "the focused radio has no visible focus style"
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.name")
        assert focused == "continue"
        button_focus = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.boxShadow + ' ' + s.backgroundColor; }"
        )
        assert button_focus.strip()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "check-your-answers" in page.url
    page.focus("main button.govuk-button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/results/" in page.url
    attempt.refresh_from_db()
    assert attempt.is_submitted
