"""axe-core (WCAG 2.2 AA) and reflow at 320 px on the admin pages a content editor uses, in English and Welsh."""

import pytest

from .conftest import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "cy"]


@pytest.fixture
def editor_world(seeded):
    """A draft guidance version, an email in the outbox with a long address, and a translation file brought back."""
    from guidance.services import start_draft
    from outbox.models import OutgoingEmail
    from outbox.services import queue_email
    from xliff.services import export_for_translation, stage_import

    editor = seeded["people"]["editor"]
    draft = start_draft()
    person = seeded["people"]["staff_cy"]
    person.email = "siân.llywelyn-ap-gruffydd.adran.addysg@llyw.cymru.example.gov.wales"
    person.save()
    email = queue_email(
        to=person.email,
        subject="Yn hwyr: cwblhewch y canllawiau cyfryngau cymdeithasol",
        body="https://example.org/" + "a-very-long-address-without-spaces-" * 4,
        kind=OutgoingEmail.Kind.CHASE,
        recipient=person,
    )
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    staged = stage_import(
        filename="social-media-guidance-translated-by-the-translation-service.xlf", content=content, by=editor
    )
    return {**seeded, "draft": draft, "email": email, "staged": staged}


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages(page, live_server, editor_world, language):
    from assessments.models import Question
    from cycles.models import Cycle
    from guidance.models import Principle
    from legal.models import LegalPage
    from xliff.models import LinkPair

    base = f"{live_server.url}/{language}/admin"
    world = editor_world
    principle = Principle.objects.get(number=1)
    question = Question.objects.get(key="propriety-draft-policy-photo")
    version, draft = world["version"], world["draft"]
    sign_in(page, live_server.url, "editor", language=language)
    pages = [
        ("index", "/"),
        ("guidance-app", "/guidance/"),
        ("principles", "/guidance/principle/"),
        ("principle", f"/guidance/principle/{principle.pk}/change/"),
        ("principle-history", f"/guidance/principle/{principle.pk}/history/"),
        ("principle-history-record", f"/guidance/principle/{principle.pk}/history/{principle.history.earliest().pk}/"),
        ("versions", "/guidance/guidanceversion/"),
        ("versions-filtered", "/guidance/guidanceversion/?status__exact=draft"),
        ("version-published", f"/guidance/guidanceversion/{version.pk}/change/"),
        ("version-history", f"/guidance/guidanceversion/{version.pk}/history/"),
        ("version-draft", f"/guidance/guidanceversion/{draft.pk}/change/"),
        ("questions", "/assessments/question/"),
        ("question", f"/assessments/question/{question.pk}/change/"),
        ("question-add", "/assessments/question/add/"),
        ("cycles", "/cycles/cycle/"),
        ("cycle", f"/cycles/cycle/{Cycle.objects.get(is_current=True).pk}/change/"),
        ("cycle-add", "/cycles/cycle/add/"),
        ("legal-pages", "/legal/legalpage/"),
        ("legal-page", f"/legal/legalpage/{LegalPage.objects.get(kind='privacy').pk}/change/"),
        ("outbox", "/outbox/outgoingemail/"),
        ("outgoing-email", f"/outbox/outgoingemail/{world['email'].pk}/change/"),
        ("translation", f"/xliff/translationimport/version/{draft.pk}/"),
        ("translation-imports", "/xliff/translationimport/"),
        ("translation-import", f"/xliff/translationimport/{world['staged'].pk}/change/"),
        ("translation-preview", f"/xliff/translationimport/{world['staged'].pk}/preview/"),
        ("link-pairs", "/xliff/linkpair/"),
        ("link-pair", f"/xliff/linkpair/{LinkPair.objects.first().pk}/change/"),
        ("link-pair-add", "/xliff/linkpair/add/"),
    ]
    for name, path in pages:
        response = page.goto(base + path)
        assert response.status == 200, (name, response.status)
        if name in ("cycle", "cycle-add"):  # the two-list selector is built by script on load: check what it builds
            page.wait_for_selector("span.search-label-icon[role=img]", state="attached")
        check(page, f"admin-{name}", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_fields_carry_their_own_language_and_the_breadcrumbs_are_underlined(page, live_server, editor_world, language):
    base = f"{live_server.url}/{language}/admin"
    sign_in(page, live_server.url, "editor", language=language)
    page.goto(f"{base}/guidance/guidanceversion/{editor_world['draft'].pk}/change/")
    assert page.locator("textarea[name=sections-0-body_cy]").get_attribute("lang") == "cy"
    assert page.locator("textarea[name=sections-0-body_en]").get_attribute("lang") == "en"
    assert page.locator("textarea[name=change_summary_cy]").get_attribute("lang") == "cy"
    page.goto(f"{base}/guidance/guidanceversion/")
    for index in range(page.locator(".breadcrumbs a").count()):
        link = page.locator(".breadcrumbs a").nth(index)
        assert "underline" in link.evaluate("link => getComputedStyle(link).textDecorationLine"), "told apart by colour"
    for index in range(page.locator("#changelist-filter li a").count()):
        box = page.locator("#changelist-filter li a").nth(index).bounding_box()
        assert box["height"] >= 24, "a filter link is smaller than the 24 px target"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_translation_upload_is_announced(page, live_server, editor_world, language):
    sign_in(page, live_server.url, "editor", language=language)
    page.goto(f"{live_server.url}/{language}/admin/xliff/translationimport/version/{editor_world['draft'].pk}/")
    page.click("form[enctype] input[type=submit]")
    page.wait_for_load_state()
    assert page.title().startswith("Error: " if language == "en" else "Gwall: ")
    summary = page.locator("[data-app-error-summary]")
    page.wait_for_function("document.activeElement.hasAttribute('data-app-error-summary')")
    assert summary.locator("a[href='#id_file']").count() == 1
    described_by = page.locator("#id_file").get_attribute("aria-describedby").split()
    message = page.locator(f"#{described_by[0]}").inner_text()
    assert ("Error:" if language == "en" else "Gwall:") in message
    check(page, "admin-translation-upload-error", language)
