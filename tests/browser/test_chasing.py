"""Chasing in Chromium: an HR officer filters to overdue people, previews and sends reminders, in both languages; a
line manager does the same for their team. Every page on the way passes axe-core and fits 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import check, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(workforce, seeded):
    cycle = seeded["cycle"]
    cycle.opens_on = timezone.localdate() - timedelta(days=60)
    cycle.due_on = timezone.localdate() - timedelta(days=2)
    cycle.save()
    return cycle


def chases():
    from outbox.models import OutgoingEmail

    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CHASE)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_hr_filters_to_overdue_previews_and_sends_reminders(page, live_server, seeded, overdue, language):
    from reporting import selectors

    base = live_server.url
    hr = seeded["people"]["hr"]
    hr.preferred_language = language
    hr.save()
    sign_in(page, base, "hr", language=language)
    page.goto(base + ("/en/hr/" if language == "en" else "/cy/ad/"))
    overdue_count = selectors.dashboard(cycle=overdue)["totals"]["overdue"]
    page.click("#where-people-are a[href*='status=overdue']")
    page.wait_for_load_state()
    assert "status=overdue" in page.url
    assert page.locator("#staff tbody tr").count() == min(overdue_count, 50)
    check(page, "hr-staff-overdue", language)
    page.click("button[name=scope][value=filter]")
    page.wait_for_load_state()
    assert page.locator("#preview-en").count() == 1 and page.locator("#preview-cy").count() == 1
    assert page.locator(".app-email-preview[lang=cy]").inner_text().startswith(("Pwnc:", "Subject:"))
    check(page, "hr-chase-preview", language)
    screenshot(page, f"journey-{language}-hr-chase-preview")
    page.click("#send-reminders")
    page.wait_for_load_state()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    sent = chases()
    assert sent.count() > 0 and all(email.sent_by_id == hr.pk for email in sent)
    assert {email.language for email in sent} == {"en", "cy"}
    assert page.locator("#staff tbody a.app-last-reminded").count() == sent.count() or sent.count() > 50
    screenshot(page, f"journey-{language}-hr-chase-sent")
    # The same people again today: nobody can be sent a second one, so the list offers no reminder and says why.
    assert page.locator("button[name=scope]").count() == 0
    assert page.locator("#nobody-to-remind").is_visible()
    page.goto(base + page.locator("#staff tbody a.app-last-reminded").first.get_attribute("href"))
    assert page.locator("main tbody tr").count() == 1  # the cycle's reminder history: this one chase
    check(page, "hr-reminder-history", language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_manager_reminds_their_overdue_people(page, live_server, seeded, overdue, language):
    base = live_server.url
    manager = seeded["people"]["manager"]
    manager.preferred_language = language
    manager.save()
    sign_in(page, base, "rheolwr", language=language)
    page.goto(base + ("/en/my-team/" if language == "en" else "/cy/fy-nhim/"))
    check(page, "my-team-overdue", language)
    staff = seeded["people"]["staff"]
    page.check(f"#person-{staff.pk}")
    page.click("button[name=scope][value=selected]")
    page.wait_for_load_state()
    assert page.locator("#chase-count").is_visible()
    check(page, "team-chase-preview", language)
    page.click("#send-reminders")
    page.wait_for_load_state()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    email = chases().get()
    assert email.recipient_id == staff.pk and email.sent_by_id == manager.pk
    page.click("button[name=scope][value=filter]")  # everyone overdue: only the Welsh colleague is left today
    page.wait_for_load_state()
    page.click("#send-reminders")
    page.wait_for_load_state()
    assert set(chases().values_list("recipient_id", flat=True)) == {staff.pk, seeded["people"]["staff_cy"].pk}
    assert chases().get(recipient=seeded["people"]["staff_cy"]).language == "cy"
    screenshot(page, f"journey-{language}-manager-chase-sent")
