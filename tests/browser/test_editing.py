"""An editor's routine change, in a real browser (which sends a textarea's line breaks as CRLF and a checkbox as it
is rendered): start a draft, change only the English of a section, tick "Welsh reviewed", publish, and staff read
the new text. In the English admin and in the Welsh one."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

REVIEW_PROBLEM = {
    "en": "Section 1 “Introduction”: the English changed since version 1 but the Welsh did not.",
    "cy": "Adran 1 “Cyflwyniad”:",
}
ADMIN = {"en": "/en/admin/guidance/guidanceversion/", "cy": "/cy/admin/guidance/guidanceversion/"}


def save_and_continue(page):
    with page.expect_navigation():
        page.click("input[name=_continue]")


def reviewed_box(page):
    return page.locator("#id_sections-0-welsh_reviewed")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_editor_publishes_a_change_to_the_english_only(page, browser, live_server, seeded, language):
    from guidance.models import GuidanceVersion, Section
    from guidance.review import english_fingerprint

    # Waits on page loads, never on a time window: the bound is only how long a busy machine may take to answer.
    page.set_default_timeout(60_000)
    sign_in(page, live_server.url, "editor", language=language)
    page.goto(live_server.url + ADMIN[language])
    with page.expect_navigation():
        page.click("button.addlink")  # "Start a new draft"
    draft = GuidanceVersion.objects.get(number=2)
    intro = draft.sections.get(order=1)
    assert "welsh_reviewed" not in page.content() or not reviewed_box(page).is_visible()  # nothing to review yet

    # Only the English changes: a new paragraph, typed with line breaks the browser sends as CRLF.
    new_english = intro.body_en + "\n\nThis guidance also covers messaging apps such as WhatsApp."
    page.fill("#id_sections-0-body_en", new_english)
    page.fill("#id_change_summary_en", "The introduction now mentions messaging apps.")
    page.fill("#id_change_summary_cy", "Mae'r cyflwyniad bellach yn sôn am apiau negeseuon.")
    save_and_continue(page)
    stored = Section.objects.get(pk=intro.pk)
    assert stored.body_en == new_english and "\r" not in stored.body_en
    assert REVIEW_PROBLEM[language] in page.inner_text(".errornote")
    assert reviewed_box(page).is_visible() and not reviewed_box(page).is_checked()

    # A Welsh speaker checks the Welsh still says the same and ticks the box.
    reviewed_box(page).check()
    save_and_continue(page)
    stored = Section.objects.get(pk=intro.pk)
    assert stored.welsh_reviewed_sha256 == english_fingerprint(stored)
    assert REVIEW_PROBLEM[language] not in page.content()
    assert not reviewed_box(page).is_checked()  # never rendered ticked: a save as it stands re-stamps nothing

    # The English changes again and the form is saved as the browser shows it: the review lapses.
    page.fill("#id_sections-0-body_en", new_english + " And Signal.")
    save_and_continue(page)
    assert REVIEW_PROBLEM[language] in page.content()
    reviewed_box(page).check()
    save_and_continue(page)
    assert REVIEW_PROBLEM[language] not in page.content()

    page.goto(f"{live_server.url}{ADMIN[language]}{draft.pk}/publish/")
    page.check("#consequence_understood")  # what publishing will do, read and accepted
    with page.expect_navigation():
        page.click("input.app-admin-publish")
    assert GuidanceVersion.objects.get(pk=draft.pk).is_published

    reader = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    reader.set_default_timeout(60_000)
    sign_in(reader, live_server.url, "staff")
    reader.goto(live_server.url + "/en/guidance/introduction/")
    assert "This guidance also covers messaging apps such as WhatsApp. And Signal." in reader.inner_text("main")
    reader.context.close()
