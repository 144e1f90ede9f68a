"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the pages of line managers, HR and editors, in English and Welsh; reflow at
320 px on the widest of them."""

import pytest

from .conftest import check, screenshot, sign_in
from .test_accessibility import LANGUAGES, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_manager_and_hr_pages(page, live_server, seeded, language):
    base = live_server.url
    sign_in(page, base, "rheolwr", language=language)
    page.goto(url(base, language, "/en/my-team/", "/cy/fy-nhim/"))
    check(page, "my-team", language)
    page.context.clear_cookies()
    sign_in(page, base, "hr", language=language)
    page.goto(url(base, language, "/en/hr/", "/cy/ad/"))
    check(page, "hr-dashboard", language)
    page.goto(url(base, language, "/en/hr/staff/", "/cy/ad/staff/"))
    check(page, "hr-staff", language)


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    page.click("button[name=upload]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_import_pages(page, live_server, seeded, language):
    from ..directory.helpers import ENTRA_EXPORT, GOOD

    base = live_server.url
    sign_in(page, base, "hr", language=language)
    start = url(base, language, "/en/hr/import/", "/cy/ad/mewnforio/")
    page.goto(start)
    check(page, "hr-import", language)
    _upload(page, "staff.csv", GOOD.replace("Ffion", "Ffîon").encode("cp1252"))
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "hr-import-not-utf8", language)
    # "&" for "and": a name close to the portal's EDU, so the preview asks which department it means.
    _upload(
        page,
        "users.csv",
        ENTRA_EXPORT.read_bytes().replace(b"Education and Welsh Language", b"Education & Welsh Language"),
    )
    check(page, "hr-import-columns", language)
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert page.locator("#department-decisions").is_visible() and page.locator("input[type=radio]").count() == 2
    check(page, "hr-import-preview", language)
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()  # the new departments are not yet accepted
    check(page, "hr-import-confirm-errors", language)
    page.goto(start)
    _upload(
        page,
        "staff.csv",
        GOOD.replace(",en,yes", ",fr,yes").replace("Health,Iechyd,1001", "Health,Iechyd,9999").encode(),
    )
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#department-decisions").is_visible()  # EDU's name in the file is not the portal's
    check(page, "hr-import-errors", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_hr_dashboard_and_staff_list_fit_320px_with_a_dozen_departments(page, live_server, workforce, language):
    base = live_server.url
    sign_in(page, base, "hr", language=language)
    page.goto(url(base, language, "/en/hr/", "/cy/ad/"))
    assert page.locator("#completion-by-department tbody tr").count() >= 10
    assert page.locator("#department-rates").count() == 1  # the wide principle-by-department grid is there
    check(page, "hr-dashboard-departments", language)
    page.set_viewport_size({"width": 320, "height": 800})
    # The completion table stacks: one block per department, each figure named.
    row = page.locator("#completion-by-department tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    assert row.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content") != "none"
    # The grid scrolls inside its own region, which has a name and is reachable with the keyboard.
    region = page.locator(".app-table-wrapper[role=region]:has(#department-rates)")
    assert region.get_attribute("tabindex") == "0"
    label = page.locator("#" + region.get_attribute("aria-labelledby")).inner_text()
    assert label.strip()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid is wider than the phone and scrolls"
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "region":
            break
    assert page.evaluate("document.activeElement.contains(document.querySelector('#department-rates'))")
    page.keyboard.press("ArrowRight")
    screenshot(page, f"{language}-hr-dashboard-320")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(url(base, language, "/en/hr/staff/", "/cy/ad/staff/"))
    check(page, "hr-staff-departments", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hr_sub_navigation_marks_the_page_and_the_language_switch_stays_on_one_line(
    page, live_server, seeded, language
):
    base = live_server.url
    sign_in(page, base, "hr", language=language)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url(base, language, "/en/hr/staff/", "/cy/ad/staff/"))
    current = page.locator("nav.app-subnav [aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href").startswith(
        "/en/hr/staff/" if language == "en" else "/cy/ad/staff/"
    )
    assert current.evaluate("link => getComputedStyle(link).fontWeight") in ("700", "bold")
    items = page.locator(".govuk-language-navigation__list-item")
    tops = {round(box["y"]) for box in (items.nth(index).bounding_box() for index in range(items.count()))}
    assert len(tops) == 1, "the language switch wraps"
    switch = page.locator(".govuk-language-navigation").bounding_box()
    assert switch["height"] < 40, "the language switch sits on one line of its own"


@pytest.mark.parametrize("language", LANGUAGES)
def test_accessibility_statement_and_privacy_notice_signed_out_and_in(page, live_server, seeded, language):
    base = live_server.url
    for name, english, welsh in [
        ("accessibility-statement", "/en/accessibility/", "/cy/hygyrchedd/"),
        ("privacy-notice", "/en/privacy/", "/cy/preifatrwydd/"),
    ]:
        page.goto(url(base, language, english, welsh))
        assert page.locator("h1").count() == 1
        check(page, f"{name}-signed-out", language)
    sign_in(page, base, "staff", language=language)
    page.click("footer a[href$='/preifatrwydd/'], footer a[href$='/privacy/']")
    page.wait_for_load_state()
    check(page, "privacy-notice", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_hr_exemption_pages(page, live_server, seeded, language):
    base = live_server.url
    sign_in(page, base, "hr", language=language)
    page.goto(url(base, language, "/en/hr/exemptions/new/", "/cy/ad/esemptiadau/newydd/"))
    check(page, "hr-exemption-form", language)
    page.click("button[name=exempt]")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "hr-exemption-form-errors", language)
    page.fill("#id_staff_number", seeded["people"]["staff"].staff_number)
    page.check("#id_reason_1")
    page.fill("#id_ends_on_0", "31")
    page.fill("#id_ends_on_1", "12")
    page.fill("#id_ends_on_2", str(seeded["cycle"].due_on.year + 1))
    page.click("button[name=exempt]")
    page.wait_for_load_state()
    assert page.locator(".govuk-notification-banner, .govuk-notification-banner--success").count()
    check(page, "hr-exemptions", language)
    page.click("a[href*='/end/'], a[href*='/dod-i-ben/']")  # "End now" asks first
    page.wait_for_load_state()
    check(page, "hr-exemption-end", language)
    page.click("button.govuk-button--warning")
    page.wait_for_load_state()
    assert page.locator("form[action*='/undo/'], form[action*='/dadwneud/']").count() == 1
    check(page, "hr-exemptions-ended", language)
    page.goto(url(base, language, "/en/hr/reminders/", "/cy/ad/nodiadau-atgoffa/"))
    check(page, "hr-reminders-today", language)
    manager = seeded["people"]["manager"]
    page.goto(
        url(base, language, f"/en/hr/staff/{manager.pk}/reminders/", f"/cy/ad/staff/{manager.pk}/nodiadau-atgoffa/")
    )
    check(page, "hr-reminder-history", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_hr_close_cycle_pages(page, live_server, seeded, language):
    """Closing last year's cycle: its confirmation page, then the closed cycle's dashboard, staff list, reminders
    and exemptions, which say why they offer no actions."""
    from datetime import timedelta

    from ..factories import CycleFactory

    current = seeded["cycle"]
    ended = CycleFactory(
        name="2019–20",
        opens_on=current.opens_on - timedelta(days=365),
        due_on=current.due_on - timedelta(days=365),
        is_current=False,
    )
    base = live_server.url
    sign_in(page, base, "hr", language=language)
    page.goto(url(base, language, f"/en/hr/?cycle={ended.pk}", f"/cy/ad/?cycle={ended.pk}"))
    page.click(f"a[href$='/{ended.pk}/{'close' if language == 'en' else 'cau'}/']")
    page.wait_for_load_state()
    check(page, "hr-close-cycle", language)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#cycle-state").is_visible()
    check(page, "hr-dashboard-closed", language)
    for name, english, welsh in [
        ("hr-staff-closed", "/en/hr/staff/", "/cy/ad/staff/"),
        ("hr-reminders-closed", "/en/hr/reminders/", "/cy/ad/nodiadau-atgoffa/"),
        ("hr-exemptions-closed", "/en/hr/exemptions/", "/cy/ad/esemptiadau/"),
    ]:
        page.goto(url(base, language, f"{english}?cycle={ended.pk}", f"{welsh}?cycle={ended.pk}"))
        assert page.locator("#cycle-state").is_visible()
        check(page, name, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_question_statistics_page(page, live_server, seeded, language):
    from assessments.models import Question

    from ..reporting.test_statistics import attempt_with

    question = Question.objects.filter(is_active=True).order_by("key").first()
    right = question.options.get(is_correct=True).order
    wrong = list(question.options.filter(is_correct=False).values_list("order", flat=True))
    for number in (right, right, wrong[0], wrong[0], wrong[0], wrong[1]):  # a wrong option beats the right one
        attempt_with(seeded["cycle"], [(question, number)], language="cy" if number == wrong[1] else "en")
    base = live_server.url
    sign_in(page, base, "editor", language=language)
    page.goto(url(base, language, "/en/editors/question-statistics/", "/cy/golygyddion/ystadegau-cwestiynau/"))
    assert page.locator("#flagged").is_visible()
    check(page, "editor-question-statistics", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_background_work_pages(page, live_server, seeded, language, settings):
    """A large download: the page that asks for it, then its progress in each state; an import's outcome and failure.
    axe runs with the page's own refresh turned off, as a person may: a reload in the middle of a scan would end it."""
    from django.utils import timezone

    from outbox import background
    from outbox.models import BackgroundJob
    from outbox.worker import run_once

    settings.BACKGROUND_EXPORT_PEOPLE = 0
    base = live_server.url
    hr = seeded["people"]["hr"]
    sign_in(page, base, "hr", language=language)
    page.goto(url(base, language, "/en/hr/", "/cy/ad/"))
    page.click("main a[href*='format=xlsx']:not([href*='outstanding'])")
    page.wait_for_load_state()
    check(page, "hr-download-prepare", language)
    page.click("#prepare")
    page.wait_for_load_state()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    progress = page.url

    def job_page(job) -> str:
        return progress.rsplit("/", 2)[0] + f"/{job.pk}/"

    page.goto(progress + "?refresh=off")
    assert page.locator("#state").is_visible()
    check(page, "job-queued", language)
    running = background.start_job(kind=BackgroundJob.Kind.STAFF_CSV, by=hr, params={"cycle": 0}, language=language)
    background._progress_recorder(background._claim(running.pk))(3, 8)
    page.goto(job_page(running) + "?refresh=off")
    assert page.locator("progress").is_visible()
    check(page, "job-running", language)
    run_once()
    page.goto(progress)
    assert page.locator("#download").is_visible() and page.locator('meta[http-equiv="refresh"]').count() == 0
    check(page, "job-done", language)
    BackgroundJob.objects.filter(pk=running.pk).update(locked_until=timezone.now())
    background.fail_abandoned(now=timezone.now() + timezone.timedelta(seconds=1))
    page.goto(job_page(running))
    assert page.locator("#failed").is_visible()
    check(page, "job-failed", language)
    imported = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.STAFF_IMPORT, requested_by=hr, language=language, status=BackgroundJob.Status.DONE,
        outcome={"new": 120, "changed": 3, "deactivated": 2},
    )  # fmt: skip
    page.goto(job_page(imported))
    assert page.locator("#outcome").is_visible()
    check(page, "job-import-done", language)
    refused = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.STAFF_IMPORT, requested_by=hr, language=language, status=BackgroundJob.Status.FAILED,
        outcome={"messages": ["Row 3: the line manager 9999 is not in the file or the directory."]},
    )  # fmt: skip
    page.goto(job_page(refused))
    assert page.locator("#failed").is_visible()
    check(page, "job-import-failed", language)
