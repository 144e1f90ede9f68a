"""The XLIFF round trip: export a draft, translate it outside the portal (here: a plain XML tool edits the file),
import it back. Every refusal leaves everything as it was."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from assessments.models import Question
from guidance.models import Section
from guidance.services import start_draft
from legal.models import LegalPage
from legal.services import load_legal_pages
from xliff.models import TranslationImport
from xliff.services import apply_import, export_for_translation, stage_import

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NS = {"x": "urn:oasis:names:tc:xliff:document:1.1"}
ET.register_namespace("", NS["x"])


@pytest.fixture
def draft(content):
    """Draft version 2 with the Security principle's English rewritten (its Welsh not yet)."""
    version = start_draft()
    security = version.sections.get(slug_en="security")
    security.body_en = security.body_en.replace("a strong password", "a long, unique password")
    security.save()
    version.change_summary_en = "Security asks for long, unique passwords."
    version.save()
    return version


def units_of(content: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(content)
    return {unit.get("id"): unit for unit in root.iter(f"{{{NS['x']}}}trans-unit")}


def edit(content: bytes, change) -> bytes:
    """Edit an exported file the way a translation tool would, with nothing but an XML library."""
    tree = ET.ElementTree(ET.fromstring(content))
    change(tree.getroot())
    output = io.BytesIO()
    tree.write(output, encoding="utf-8", xml_declaration=True)
    return output.getvalue()


def set_target(root, unit_id, text):
    unit = next(unit for unit in root.iter(f"{{{NS['x']}}}trans-unit") if unit.get("id") == unit_id)
    target = unit.find("x:target", NS)
    if target is None:
        target = ET.SubElement(unit, f"{{{NS['x']}}}target")
    target.text = text


def test_export_has_only_new_and_changed_text_with_its_context(draft, editor):
    export, content = export_for_translation(version=draft, everything=False, by=editor)
    units = units_of(content)
    security = draft.sections.get(slug_en="security")
    assert set(units) == {"version/2/change_summary", f"section/{security.pk}/body"}
    body = units[f"section/{security.pk}/body"]
    assert "a long, unique password" in body.find("x:source", NS).text
    assert body.find("x:target", NS).get("state") == "needs-review-translation"
    notes = [note.text for note in body.findall("x:note", NS)]
    # Where it appears, for a translator reading either language (the page's language does not matter).
    assert notes == [
        "Guidance version 2, section 9 “Security”: text",
        "Fersiwn 2 o'r canllawiau, adran 9 “Security”: testun",
    ]
    previous = body.find("x:alt-trans/x:target", NS).text
    assert previous == draft.sections.get(slug_en="security").body_cy  # the Welsh staff read now
    root = ET.fromstring(content)
    file_node = root.find("x:file", NS)
    assert file_node.get("source-language") == "en" and file_node.get("target-language") == "cy"
    assert file_node.get("original") == export.file_id
    assert set(export.units) == set(units)


def test_export_of_everything_covers_sections_principles_questions_options_and_legal_pages(draft, editor):
    load_legal_pages()
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    units = units_of(content)
    prefixes = {unit_id.split("/")[0] for unit_id in units}
    assert prefixes == {"version", "section", "principle", "question", "option", "legal"}
    assert len([u for u in units if u.startswith("question/")]) == Question.objects.filter(is_active=True).count()
    assert "legal/privacy/body" in units and "principle/6/summary" in units


def test_a_translated_file_round_trips_with_history(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    security = draft.sections.get(slug_en="security")
    new_welsh = security.body_cy.replace("gyfrinair cryf", "gyfrinair hir, unigryw")
    translated = edit(
        content,
        lambda root: (
            set_target(root, f"section/{security.pk}/body", new_welsh),
            set_target(root, "version/2/change_summary", "Mae Diogelwch yn gofyn am gyfrineiriau hir, unigryw."),
        ),
    )
    staged = stage_import(filename="cy.xlf", content=translated, by=editor)
    assert staged.status == TranslationImport.Status.PREVIEW and staged.problems == []
    assert set(staged.changed_units) == {f"section/{security.pk}/body", "version/2/change_summary"}
    assert Section.objects.get(pk=security.pk).body_cy == security.body_cy  # nothing written before applying
    apply_import(staged=staged, by=editor)
    security.refresh_from_db()
    draft.refresh_from_db()
    assert security.body_cy == new_welsh
    assert draft.change_summary_cy == "Mae Diogelwch yn gofyn am gyfrineiriau hir, unigryw."
    latest = security.history.first()
    assert latest.history_user == editor and latest.history_change_reason == "Welsh from the translation file cy.xlf"
    staged.refresh_from_db()
    assert staged.status == TranslationImport.Status.APPLIED and staged.applied_at
    from guidance.review import welsh_reviews_due

    assert welsh_reviews_due(draft) == []  # the translator's Welsh counts as reviewed


def refused(draft, editor, change, *, everything=False):
    before = {s.pk: (s.title_cy, s.body_cy) for s in Section.objects.all()}
    legal_before = list(LegalPage.objects.values_list("body_cy", flat=True))
    _export, content = export_for_translation(version=draft, everything=everything, by=editor)
    staged = stage_import(filename="cy.xlf", content=edit(content, change) if callable(change) else change, by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert {s.pk: (s.title_cy, s.body_cy) for s in Section.objects.all()} == before
    assert list(LegalPage.objects.values_list("body_cy", flat=True)) == legal_before
    with pytest.raises(Exception):  # noqa: B017 - refused files are never applied
        apply_import(staged=staged, by=editor)
    return " ".join(staged.problems)


def test_a_broken_placeholder_is_refused(draft, editor):
    load_legal_pages()
    privacy = LegalPage.objects.get(kind="privacy")
    assert "{retention}" in privacy.body_en
    problems = refused(
        draft,
        editor,
        lambda root: set_target(root, "legal/privacy/body", privacy.body_cy.replace("{retention}", "{cadw}")),
        everything=True,
    )
    assert "must keep the placeholders {retention} exactly as they are" in problems


def test_a_changed_link_address_is_refused(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    broken = intro.body_cy.replace("https://llyw.cymru/node/27857", "https://example.org/")
    problems = refused(
        draft, editor, lambda root: set_target(root, f"section/{intro.pk}/body", broken), everything=True
    )
    assert "must keep every link" in problems and "Introduction" in problems


def test_a_lost_heading_or_list_item_is_refused(draft, editor):
    ethics = draft.sections.get(slug_en="propriety-and-ethics")
    flattened = ethics.body_cy.replace("## ", "")
    problems = refused(
        draft, editor, lambda root: set_target(root, f"section/{ethics.pk}/body", flattened), everything=True
    )
    assert "the same number of headings as the English (4)" in problems


def test_a_dropped_unit_is_refused(draft, editor):
    security = draft.sections.get(slug_en="security")

    def drop(root):
        body = root.find("x:file/x:body", NS)
        body.remove(next(unit for unit in body if unit.get("id") == f"section/{security.pk}/body"))

    problems = refused(draft, editor, drop)
    assert f"the unit is missing from the file (id “section/{security.pk}/body”)" in problems


def test_an_empty_translation_is_refused(draft, editor):
    problems = refused(draft, editor, lambda root: set_target(root, "version/2/change_summary", "  "))
    assert "what changed: the Welsh is empty" in problems


def test_editing_the_english_in_the_file_is_refused(draft, editor):
    def reword(root):
        unit = next(u for u in root.iter(f"{{{NS['x']}}}trans-unit") if u.get("id") == "version/2/change_summary")
        unit.find("x:source", NS).text = "Something else."
        set_target(root, "version/2/change_summary", "Rhywbeth arall.")

    assert "the English in the file was changed; only the Welsh may be" in refused(draft, editor, reword)


def test_a_file_that_is_not_xliff_gets_a_message(draft, editor):
    assert "This is not an XLIFF file that can be read" in refused(draft, editor, b"name,welsh\nx,y\n")
    assert "This is not an XLIFF file that can be read" in refused(draft, editor, b"<xliff>no file in it</xliff>")
    other = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"><file original="x" source-language="en" target-language="cy" datatype="plaintext"><body/></file></xliff>'  # noqa: E501
    assert "was not exported from the portal" in refused(draft, editor, other)


def test_english_changed_in_the_portal_after_the_upload_stops_the_apply(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    security = draft.sections.get(slug_en="security")
    staged = stage_import(
        filename="cy.xlf",
        content=edit(
            content,
            lambda root: (
                set_target(
                    root, f"section/{security.pk}/body", security.body_cy.replace("gyfrinair cryf", "gyfrinair hir")
                ),
                set_target(root, "version/2/change_summary", "Cyfrineiriau hir."),
            ),
        ),
        by=editor,
    )
    assert staged.status == TranslationImport.Status.PREVIEW, staged.problems
    security.body_en += " And never share it."
    security.save()
    with pytest.raises(Exception, match="has changed in the portal since this file was exported"):
        apply_import(staged=staged, by=editor)
    draft.refresh_from_db()
    assert draft.change_summary_cy == ""  # all or nothing: the good unit was not written either


def test_the_editor_exports_uploads_previews_and_applies_in_the_admin(client, editor, draft):
    client.force_login(editor)
    page = client.get(f"/en/admin/guidance/guidanceversion/{draft.pk}/change/").content.decode()
    assert f'href="/en/admin/xliff/translationimport/version/{draft.pk}/"' in page
    assert client.get(f"/en/admin/xliff/translationimport/version/{draft.pk}/").status_code == 200
    download = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/export/", {"everything": "0"})
    assert download["Content-Disposition"].startswith(
        'attachment; filename="social-media-guidance-v2-new-and-changed-en-cy-'
    )
    translated = edit(download.content, lambda root: set_target(root, "version/2/change_summary", "Cyfrineiriau hir."))
    upload = io.BytesIO(translated)
    upload.name = "wedi-cyfieithu.xlf"
    response = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/import/", {"file": upload})
    staged = TranslationImport.objects.get()
    assert response["Location"] == f"/en/admin/xliff/translationimport/{staged.pk}/preview/"
    preview = client.get(response["Location"]).content.decode()
    assert "Applying this file changes the Welsh of 1 text." in preview
    assert "Cyfrineiriau hir." in preview and "Security asks for long, unique passwords." in preview
    done = client.post(response["Location"])
    assert done["Location"] == f"/en/admin/guidance/guidanceversion/{draft.pk}/change/"
    draft.refresh_from_db()
    assert draft.change_summary_cy == "Cyfrineiriau hir."
    empty = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/import/", {})
    assert empty.status_code == 400 and "Choose the translated XLIFF file" in empty.content.decode()


def test_only_editors_can_export_or_import(client, staff, hr, editor, draft):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    translated = edit(content, lambda root: set_target(root, "version/2/change_summary", "Cyfrineiriau hir."))
    staged = stage_import(filename="cy.xlf", content=translated, by=editor)
    for person in (staff, hr, UserFactory(is_staff=True)):
        client.force_login(person)
        response = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/export/", {"everything": "1"})
        assert response.status_code in (302, 403), person
        assert "xliff" not in response.get("Content-Type", "")
        upload = io.BytesIO(translated)
        upload.name = "cy.xlf"
        response = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/import/", {"file": upload})
        assert response.status_code in (302, 403), person
        assert TranslationImport.objects.count() == 1  # nothing staged
        assert client.post(f"/en/admin/xliff/translationimport/{staged.pk}/preview/").status_code in (302, 403)
        draft.refresh_from_db()
        assert draft.change_summary_cy == ""  # nothing applied


def test_a_file_in_another_encoding_or_with_a_nul_byte_is_refused_without_a_500(client, editor, draft):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    latin1 = content.decode("utf-8").replace("</source>", " café</source>", 1).encode("latin-1", errors="replace")
    message = "The file must be saved as UTF-8"
    assert message in refused(draft, editor, latin1)  # says UTF-8, is not
    assert message in refused(draft, editor, content.replace(b"</source>", b"\x00</source>", 1))
    client.force_login(editor)
    upload = io.BytesIO(content.replace(b"</source>", b"\x00</source>", 1))
    upload.name = "cy.xlf"
    response = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/import/", {"file": upload})
    assert response.status_code == 302
    assert message in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_translation_that_keeps_its_placeholders_and_links_passes_and_one_that_loses_them_does_not():
    from xliff.files import ReturnedUnit, problems_with
    from xliff.units import Unit

    english = "Keep records for {retention}. See [the policy](https://gov.wales/policy)."
    unit = Unit("legal/x", "Privacy", english, "", "", True, None, "body")
    kept = "Cadw cofnodion am {retention}. Gweler [y polisi](https://gov.wales/policy)."
    assert problems_with(unit, ReturnedUnit("legal/x", english, kept)) == []
    lost = "Cadw cofnodion. Gweler [y polisi](https://gov.wales/policy)."
    with translation.override("en"):
        assert problems_with(unit, ReturnedUnit("legal/x", english, lost)) == [
            "Privacy: the Welsh must keep the placeholders {retention} exactly as they are"
        ]
        two = Unit("legal/y", "Cookies", "Kept for {days} days, or {retention}.", "", "", True, None, "body")
        assert problems_with(two, ReturnedUnit("legal/y", two.english, "Cedwir am {dyddiau} o ddyddiau.")) == [
            "Cookies: the Welsh must keep the placeholders {days}, {retention} exactly as they are"
        ]
        none = Unit("legal/z", "Terms", "Kept for a year.", "", "", True, None, "body")
        assert problems_with(none, ReturnedUnit("legal/z", none.english, "Cedwir am {blwyddyn}.")) == [
            "Terms: the Welsh must keep the placeholders – exactly as they are"
        ]
        # Left in English by mistake: refused; a text with no words (a year, a code) may stay as it is.
        assert problems_with(unit, ReturnedUnit("legal/x", english, english)) == [
            "Privacy: the Welsh is the same as the English"
        ]
        year = Unit("legal/w", "Year", "2026-27", "", "", True, None, "body")
        assert problems_with(year, ReturnedUnit("legal/w", "2026-27", "2026-27")) == []
