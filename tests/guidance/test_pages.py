import html as html_lib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from guidance.models import GuidanceVersion, Principle, Section
from guidance.services import publish_version, start_draft

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR) / "guidance" / "content" / "source" / "social-media-guidance-en.txt"


def visible_text(page: str) -> str:
    main = page[page.index("<main") : page.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


def source_sentences() -> list[str]:
    """The source's sentences, list items and headings. A page break can split one across blocks: each piece counts."""
    text = SOURCE.read_text(encoding="utf-8").replace("\uf0b7", " ")
    pieces = []
    for block in re.split(r"\n\s*\n", text):
        flat = re.sub(r"\s+", " ", block).strip()
        if not flat or flat.startswith("http"):
            continue
        pieces.extend(part.strip() for part in re.split(r"(?<=[.;!])\s+(?=[A-Z(])", flat) if part.strip())
    return pieces


def test_every_sentence_of_the_source_is_on_the_english_pages(client, staff, content):
    client.force_login(staff)
    text = visible_text(client.get("/en/guidance/print/").content.decode())
    sentences = source_sentences()
    assert len(sentences) > 35
    missing = []
    for sentence in sentences:
        # The list numbering in the PDF ("1. ", "2. ") is shown as an ordered list's numbers on the page.
        needle = re.sub(r"^\d\.\s+", "", sentence)
        if needle not in text:
            missing.append(sentence)
    assert missing == []


def test_the_civil_service_code_is_linked(client, staff, content):
    client.force_login(staff)
    page = client.get("/en/guidance/propriety-and-ethics/").content.decode()
    assert 'href="https://www.gov.uk/government/publications/civil-service-code"' in page


def test_every_section_and_principle_has_welsh_that_differs_from_english(content):
    for section in Section.objects.filter(version=content):
        assert section.title_cy.strip() and section.title_cy != section.title_en
        assert section.body_cy.strip() and section.body_cy != section.body_en
    assert Principle.objects.count() == 6
    for principle in Principle.objects.all():
        assert principle.name_cy and principle.name_cy != principle.name_en
        assert principle.summary_cy and principle.summary_cy != principle.summary_en


def test_welsh_pages_have_welsh_urls_and_titles(client, welsh_staff, content):
    client.force_login(welsh_staff)
    response = client.get("/cy/canllawiau/egwyddorion/priodoldeb/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Priodoldeb – Canllawiau cyfryngau cymdeithasol</title>" in page
    assert "Egwyddor 1 o 6" in page


def test_contents_lists_every_section_with_previous_and_next(client, staff, content):
    client.force_login(staff)
    contents = client.get("/en/guidance/").content.decode()
    for section in Section.objects.filter(version=content):
        assert section.title_en in contents
    page = client.get("/en/guidance/principles/accuracy/").content.decode()
    assert 'rel="prev"' in page and "Common Sense" in page
    assert 'rel="next"' in page and "Permanent" in page


def test_principles_page_has_an_anchor_for_each_principle(client, staff, content):
    client.force_login(staff)
    page = client.get("/en/guidance/principles/").content.decode()
    for slug in ["propriety", "common-sense", "accuracy", "permanent", "doubts", "security"]:
        assert f'id="{slug}"' in page
        assert f'href="/en/guidance/principles/{slug}/"' in page


def test_a_section_address_in_the_other_language_redirects_to_this_language(client, staff, content):
    client.force_login(staff)
    assert client.get("/cy/canllawiau/introduction/")["Location"] == "/cy/canllawiau/cyflwyniad/"
    assert client.get("/en/guidance/security/")["Location"] == "/en/guidance/principles/security/"


def test_markdown_is_rendered_sanitised(client, editor, content):
    draft = start_draft()
    section = draft.sections.first()
    section.body_en = "Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    section.save()
    client.force_login(editor)
    page = client.get(f"/en/guidance/version/{draft.number}/{section.slug_en}/").content.decode()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "<strong>bold</strong>" in page


def test_old_versions_stay_readable_and_unchanged_after_a_new_one(client, staff, content):
    client.force_login(staff)
    before = client.get("/en/guidance/version/1/introduction/").content.decode()
    draft = start_draft()
    intro = draft.sections.get(slug_en="introduction")
    intro.body_en = "Completely new introduction."
    intro.body_cy = "Cyflwyniad cwbl newydd."
    intro.save()
    draft.change_summary_en, draft.change_summary_cy = "A new introduction.", "Cyflwyniad newydd."
    draft.save()
    publish_version(version=draft)
    after = client.get("/en/guidance/version/1/introduction/").content.decode()
    # Only the note on which version is current changes; the words of version 1 stay as they were.
    assert "It is the current guidance." in before and "Read the current guidance" in after
    assert visible_text(before).replace("It is the current guidance.", "Read the current guidance") == visible_text(
        after
    )
    assert "Completely new introduction." in client.get("/en/guidance/introduction/").content.decode()
    assert GuidanceVersion.objects.get(number=1).content_sha256 == content.content_sha256


def test_published_sections_cannot_be_changed(content):
    from django.core.exceptions import ValidationError

    section = content.sections.first()
    section.body_en = "Rewritten"
    with pytest.raises(ValidationError):
        section.save()


def test_staff_cannot_see_drafts_or_the_admin(client, staff, content):
    draft = start_draft()
    client.force_login(staff)
    assert client.get(f"/en/guidance/version/{draft.number}/").status_code == 404
    assert client.get("/en/admin/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/en/admin/", "/cy/admin/", "/en/admin/login/", "/en/admin/guidance/guidanceversion/"]
)
def test_the_admin_answers_people_without_access_with_the_portals_403_in_their_language(client, staff, path):
    client.force_login(staff)
    with translation.override("en"):  # put back whatever language the request leaves active
        response = client.get(path)
    assert response.status_code == 403
    page = response.content.decode()
    welsh = path.startswith("/cy/")
    assert ("Nid oes gennych ganiatâd" if welsh else "You do not have permission to see this page") in page
    assert "Django" not in page and 'name="password"' not in page


def test_nobody_sees_the_admins_own_sign_in_page(client, editor):
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/en/sign-in/")
    client.force_login(editor)
    assert client.get("/en/admin/").status_code == 200


def test_editors_can_preview_drafts(client, editor, content):
    draft = start_draft()
    client.force_login(editor)
    page = client.get(f"/en/guidance/version/{draft.number}/").content.decode()
    assert "Draft preview" in page


def test_parity_gate_refuses_a_version_with_missing_welsh(content):
    from django.core.exceptions import ValidationError

    draft = start_draft()
    section = draft.sections.get(slug_en="accuracy")
    section.body_cy = ""
    section.save()
    other = draft.sections.get(slug_en="doubts")
    other.title_cy = other.title_en
    other.save()
    with pytest.raises(ValidationError) as refused:
        publish_version(version=draft)
    messages = " ".join(refused.value.messages)
    assert "Accuracy" in messages and "text (Welsh) is empty" in messages
    assert "Doubts" in messages and "the same as the English" in messages
    draft.refresh_from_db()
    assert not draft.is_published


def test_loading_the_content_twice_changes_nothing(content):
    from guidance.content import load_guidance

    load_guidance()
    assert GuidanceVersion.objects.count() == 1
    assert Section.objects.count() == 9
