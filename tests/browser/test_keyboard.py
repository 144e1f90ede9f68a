"""With a keyboard alone: every link, button and field on each kind of page is reached by Tab, in order, with a
visible focus indicator; and the sign-in, declaration and HR filter journeys are done without a mouse."""

import pytest

from .conftest import PASSWORD, answer_quiz, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])"

# The focus indicator GOV.UK Frontend draws: an outline, a box shadow, or (radios and checkboxes, whose input is
# hidden under a drawn box) a box shadow on the label's ::before.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const own = getComputedStyle(element);
  if (own.outlineStyle !== 'none' || own.boxShadow !== 'none') return true;
  const label = element.labels && element.labels[0];
  return Boolean(label) && getComputedStyle(label, '::before').boxShadow !== 'none';
}"""


def tab_through(page, name: str) -> None:
    """Tab from the top of the page until focus leaves it: each reachable element once, each with visible focus."""
    expected = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
             .filter(e => !e.disabled && e.checkVisibility()).length""",
        FOCUSABLE,
    )
    # Start on the first of them (the skip link), as the first Tab on a page does, then Tab until focus wraps.
    page.evaluate(
        """(selector) => { const first = Array.from(document.querySelectorAll(selector))
             .find(e => !e.disabled && e.checkVisibility()); first.focus(); }""",
        FOCUSABLE,
    )
    reached = 0
    for _step in range(expected + 5):
        marked = page.evaluate(
            """() => { const e = document.activeElement;
                 if (!e || e === document.body || e.dataset.keyboardReached) return false;
                 e.dataset.keyboardReached = '1'; return true; }"""
        )
        if not marked:
            break
        reached += 1
        described = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_STYLE), f"{name}: no visible focus on {described}"
        page.keyboard.press("Tab")
    missed = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
             .filter(e => !e.disabled && e.checkVisibility() && !e.dataset.keyboardReached)
             .map(e => e.outerHTML.slice(0, 100))""",
        FOCUSABLE,
    )
    assert reached == expected, f"{name}: Tab reached {reached} of {expected}; not reached: {missed}"


def test_every_page_kind_can_be_worked_through_with_tab(page, live_server, seeded):
    base = live_server.url
    page.goto(base + "/en/sign-in/")
    tab_through(page, "sign-in")
    sign_in(page, base, "staff")
    for path in ("/en/", "/en/guidance/", "/en/guidance/propriety-and-ethics/", "/en/quiz/", "/en/your-record/",
                 "/cy/canllawiau/egwyddorion/diogelwch/"):  # fmt: skip
        page.goto(base + path)
        tab_through(page, path)
    page.context.clear_cookies()
    sign_in(page, base, "hr")
    for path in ("/en/hr/", "/en/hr/staff/", "/en/hr/import/", "/en/hr/exemptions/", "/en/hr/reminders/"):
        page.goto(base + path)
        tab_through(page, path)


def test_sign_in_and_the_declaration_with_the_keyboard_alone(page, live_server, seeded):
    base = live_server.url
    page.goto(base + "/en/sign-in/")
    page.focus("#id_username")
    page.keyboard.type("staff")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("/en")
    page.goto(base + "/en/quiz/")
    page.click("#start")
    page.wait_for_load_state()
    answer_quiz(page, right=6)
    page.click("button[type=submit]:not(.app-link-button)")
    page.wait_for_load_state()
    page.goto(base + "/en/guidance/print/")  # a declaration follows reading
    page.goto(base + "/en/declaration/")
    page.focus("#confirm")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-panel--confirmation").is_visible()


def test_hr_filter_the_staff_list_with_the_keyboard_alone(page, live_server, seeded):
    base = live_server.url
    sign_in(page, base, "hr")
    page.goto(base + "/en/hr/staff/")
    page.focus("select[name=status]")
    page.keyboard.press("ArrowDown")  # the first status after "All"
    chosen = page.eval_on_selector("select[name=status]", "s => s.value")
    assert chosen
    page.focus("form[method=get] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"status={chosen}" in page.url
