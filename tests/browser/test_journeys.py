"""End-to-end journeys of staff in real Chromium, as people would walk them (HR and editors: test_journeys_hr_editors.py)."""

import re

import pytest
from django.core import mail

from outbox.worker import run_once as run_worker_once

from .conftest import answer_quiz, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words that only English pages would show. Proper names, the language switch's "English" and Welsh idioms that
# borrow an English word ("oddi ar y record", off the record) are allowed.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|question|questions|guidance|continue|submit|back|answer|home|sign|read|confirm|"
    r"record|results|scored|passed|try again|declaration|there is a problem)\b",
    re.IGNORECASE,
)
ALLOWED = [
    "English",
    "Change the language to English",
    "GOV.UK",
    "oddi ar y record",
    "Facebook",
    "WhatsApp",
    "LinkedIn",
    "Instagram",
]


def assert_all_welsh(page, where):
    text = page.inner_text("body")
    for allowed in sorted(ALLOWED, key=len, reverse=True):
        text = text.replace(allowed, "")
    english = sorted({match.group(0) for match in ENGLISH_WORDS.finditer(text)})
    assert english == [], f"English on the Welsh page {where}: {english}"


def test_welsh_journey_fail_retry_pass_confirm_receipt(page, live_server, seeded):
    base = live_server.url
    page.goto(base + "/")
    page.fill("#id_username", "staff.cy")
    page.fill("#id_password", "correct-horse-battery")
    page.click("#id_submit")
    page.wait_for_load_state()
    assert page.url == base + "/cy/"
    assert_all_welsh(page, "hafan")
    screenshot(page, "journey-cy-01-home")
    page.click("text=Darllen y canllawiau")
    assert_all_welsh(page, "cynnwys")
    page.click(".app-contents-list a >> nth=0")
    while page.locator("a[rel=next]").count():
        assert_all_welsh(page, page.url)
        page.click("a[rel=next]")
        page.wait_for_load_state()
    screenshot(page, "journey-cy-02-guidance")
    page.goto(base + "/cy/cwis/")
    assert_all_welsh(page, "cwis")
    page.click("#start")
    page.wait_for_load_state()
    assert_all_welsh(page, "cwestiwn")
    answer_quiz(page, right=1)
    assert_all_welsh(page, "gwirio")
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    assert "Rydych wedi sgorio 1 allan o 6" in page.inner_text("main")
    assert_all_welsh(page, "canlyniadau (heb basio)")
    screenshot(page, "journey-cy-03-not-passed")
    page.click("main form button.govuk-button")
    page.wait_for_load_state()
    answer_quiz(page, right=6)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    assert "Rydych wedi sgorio 6 allan o 6" in page.inner_text("main")
    assert_all_welsh(page, "canlyniadau (wedi pasio)")
    page.click("main a.govuk-button")
    page.wait_for_load_state()
    assert_all_welsh(page, "datganiad")
    screenshot(page, "journey-cy-04-declaration")
    page.click("#confirm")
    page.wait_for_load_state()
    assert page.locator(".govuk-panel--confirmation").is_visible()
    assert_all_welsh(page, "cadarnhad")
    screenshot(page, "journey-cy-05-confirmation")
    reference = page.inner_text(".govuk-panel__body strong")
    assert re.fullmatch(r"SMG-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert "Byddwn yn anfon derbynneb drwy e-bost i" in page.inner_text("#receipt-status")
    run_worker_once()
    receipts = [message for message in mail.outbox if reference in message.subject]
    assert len(receipts) == 1
    assert receipts[0].subject.startswith("Eich datganiad")
    page.reload()
    assert "Rydym wedi anfon derbynneb i" in page.inner_text("#receipt-status")
    page.goto(base + "/cy/")
    assert_all_welsh(page, "hafan (wedi gorffen)")


def test_english_journey_without_javascript(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "staff")
    page.goto(base + "/en/guidance/")
    page.click("text=Introduction")
    assert "Introduction" in page.inner_text("h1")
    page.goto(base + "/en/quiz/")
    page.click("#start")
    page.wait_for_load_state()
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert "Select an answer" in page.inner_text(".govuk-error-summary")
    answer_quiz(page, right=3)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    assert "You did not pass" in page.inner_text("main")
    page.click("main form button.govuk-button")
    page.wait_for_load_state()
    answer_quiz(page, right=5)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    assert "You scored 5 out of 6" in page.inner_text("main")
    page.click("text=Continue to the declaration")
    page.wait_for_load_state()
    # Only the introduction was read: the declaration lists the principles still to read, and the print-all page.
    assert "Before you can confirm" in page.inner_text("main")
    page.click("text=the whole guidance on one page")
    page.wait_for_load_state()
    page.goto(base + "/en/declaration/")
    page.click("#confirm")
    page.wait_for_load_state()
    assert "Declaration complete" in page.inner_text("h1")
    screenshot(page, "journey-en-nojs-confirmation")
    run_worker_once()
    # The worker also runs the reminder schedule (others here may be reminded); this person gets just the receipt.
    theirs = [message for message in mail.outbox if message.to == [seeded["people"]["staff"].email]]
    assert len(theirs) == 1
    assert theirs[0].subject.startswith("Your declaration")
    context.close()


def test_the_guidance_leads_on_to_the_questions_and_prints_cleanly(page, live_server, seeded):
    base = live_server.url
    sign_in(page, base, "staff")
    page.goto(base + "/en/guidance/principles/security/")
    link = page.locator("a[rel=next]")
    assert "Answer the scenario questions" in link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.url == base + "/en/quiz/"
    assert "Answer the scenario questions" in page.inner_text("h1")
    page.goto(base + "/en/guidance/print/")
    page.emulate_media(media="print")
    code = "https://www.gov.uk/government/publications/civil-service-code"
    printed = page.evaluate(
        """address => [...document.querySelectorAll('main a')].filter(a => a.href === address).map(a =>
            (a.textContent.trim() === address ? 1 : 0) + (getComputedStyle(a, '::after').content.includes(address) ? 1 : 0)
        ).reduce((total, count) => total + count, 0)""",
        code,
    )
    assert printed == 1, f"the Civil Service Code's address is printed {printed} times"
    # Numbers hang in the list's padding: room for "10." in the print font.
    room = page.evaluate(
        """[...document.querySelectorAll('main .app-prose ol')].map(list =>
            parseFloat(getComputedStyle(list).paddingLeft) / parseFloat(getComputedStyle(list).fontSize))"""
    )
    assert room and min(room) >= 2, room
    screenshot(page, "journey-en-print")
