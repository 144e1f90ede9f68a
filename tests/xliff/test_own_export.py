"""The portal accepts its own translation file back unchanged: links may use the Welsh counterpart an editor listed
(gov.uk ↔ llyw.cymru), units just brought back are not sent out again as needing review, line endings a tool
changed do not matter, and a file that declares a DTD or entities is refused with a message."""

import io
import xml.etree.ElementTree as ET

import pytest

from guidance.models import Section
from guidance.review import english_fingerprint, welsh_reviews_due
from guidance.services import start_draft
from legal.services import load_legal_pages
from xliff.models import LinkPair, TranslationImport
from xliff.services import apply_import, export_for_translation, stage_import

from .test_round_trip import NS, edit, set_target, units_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(content):
    """Draft version 2 as an editor leaves it before exporting: the Introduction's English reworded (the Welsh not),
    "What changed" written in both languages."""
    load_legal_pages()
    version = start_draft()
    intro = version.sections.get(slug_en="introduction")
    intro.body_en = intro.body_en.replace("to reach out to the public", "to reach the public")
    assert intro.body_en != version.sections.get(slug_en="introduction").body_en
    intro.save()
    version.change_summary_en = "The introduction is plainer."
    version.change_summary_cy = "Mae'r cyflwyniad yn gliriach."
    version.save()
    return version


def states(content: bytes) -> dict[str, str]:
    return {unit_id: unit.find("x:target", NS).get("state") for unit_id, unit in units_of(content).items()}


def confirm(root, *unit_ids):
    """What a translator's tool does when they confirm a unit's Welsh: its state becomes "translated"."""
    for unit in root.iter(f"{{{NS['x']}}}trans-unit"):
        if unit.get("id") in unit_ids:
            unit.find("x:target", NS).set("state", "translated")


def test_a_full_export_comes_back_unchanged_and_is_accepted(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    assert "https://llyw.cymru/node/27857" in intro.body_cy  # the Welsh links to the Welsh Civil Service Code
    assert "https://www.gov.uk/government/publications/civil-service-code" in intro.body_en
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    assert states(content)[f"section/{intro.pk}/body"] == "needs-review-translation"

    staged = stage_import(filename="unchanged.xlf", content=content, by=editor)
    assert staged.problems == [] and staged.status == TranslationImport.Status.PREVIEW
    assert staged.changed_units == []
    apply_import(staged=staged, by=editor)
    # Sent back untouched, the unit still marked for review was not reviewed: it still needs it, here and in the
    # next file.
    assert [review.section.pk for review in welsh_reviews_due(draft)] == [intro.pk]
    _export, again = export_for_translation(version=draft, everything=True, by=editor)
    assert {unit for unit, state in states(again).items() if state == "needs-review-translation"} == {
        f"section/{intro.pk}/body",
        "version/2/change_summary",
    }


def test_units_a_translator_confirmed_are_not_sent_for_review_again(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    reviewed = edit(content, lambda root: confirm(root, f"section/{intro.pk}/body", "version/2/change_summary"))
    apply_import(staged=stage_import(filename="cy.xlf", content=reviewed, by=editor), by=editor)
    assert welsh_reviews_due(draft) == []  # the translator's confirmation counts as the Welsh review
    _export, again = export_for_translation(version=draft, everything=True, by=editor)
    assert "needs-review-translation" not in states(again).values()
    _export, changed_only = export_for_translation(version=draft, everything=False, by=editor)
    assert set(states(changed_only).values()) == {"translated"}


def test_english_gaining_a_paragraph_comes_back_unchanged_but_not_confirmed_as_it_is(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    intro.body_en += "\n\nThis guidance also covers messaging apps."
    intro.save()
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    assert stage_import(filename="cy.xlf", content=content, by=editor).problems == []
    confirmed_as_it_is = edit(content, lambda root: confirm(root, f"section/{intro.pk}/body"))
    problems = stage_import(filename="cy.xlf", content=confirmed_as_it_is, by=editor).problems
    assert problems == [
        "Guidance version 2, section 1 “Introduction”: text: the Welsh must have the same number of paragraphs as the "
        f"English ({intro.body_en.count(chr(10) * 2) + 1})"
    ]


def test_welsh_an_editor_reviewed_in_the_admin_comes_back_unchanged_and_is_accepted(draft, editor):
    """Found trying the portal: English gained a paragraph, a Welsh speaker ticked "Welsh reviewed" (the Welsh still
    says the same in fewer paragraphs), and the full export, sent back untouched, was refused over its paragraphs."""
    intro = draft.sections.get(slug_en="introduction")
    intro.body_en += "\n\nThis guidance also covers messaging apps."
    intro.welsh_reviewed_sha256 = english_fingerprint(intro)
    intro.save()
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    assert states(content)[f"section/{intro.pk}/body"] == "translated"
    staged = stage_import(filename="unchanged.xlf", content=content, by=editor)
    assert staged.problems == [] and staged.changed_units == []
    more = edit(
        content, lambda root: set_target(root, f"section/{intro.pk}/body", intro.body_cy + "\n\nDiolch.\n\nHwyl.")
    )
    assert stage_import(filename="cy.xlf", content=more, by=editor).problems  # Welsh it changes is still checked


def test_english_changed_after_the_import_needs_review_again(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    reviewed = edit(content, lambda root: confirm(root, f"section/{intro.pk}/body", "version/2/change_summary"))
    apply_import(staged=stage_import(filename="cy.xlf", content=reviewed, by=editor), by=editor)
    intro.refresh_from_db()
    intro.body_en = intro.body_en.replace("to reach the public", "to talk with the public")
    intro.save()
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    assert states(content)[f"section/{intro.pk}/body"] == "needs-review-translation"
    assert states(content)["version/2/change_summary"] == "translated"


def test_the_welsh_may_link_to_the_english_address_or_a_listed_counterpart(draft, editor, client):
    accessibility = draft.sections.get(slug_en="introduction")
    english_only = accessibility.body_cy.replace(
        "https://llyw.cymru/node/27857", "https://www.gov.uk/government/publications/civil-service-code"
    )
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    kept = stage_import(
        filename="cy.xlf",
        content=edit(content, lambda root: set_target(root, f"section/{accessibility.pk}/body", english_only)),
        by=editor,
    )
    assert kept.problems == []

    # A Welsh page nobody listed is refused; once an editor lists the pair in the admin, it is accepted.
    welsh_page = "https://www.llyw.cymru/cod-y-gwasanaeth-sifil"
    other = accessibility.body_cy.replace("https://llyw.cymru/node/27857", welsh_page)
    returned = edit(content, lambda root: set_target(root, f"section/{accessibility.pk}/body", other))
    refused = stage_import(filename="cy.xlf", content=returned, by=editor)
    assert refused.status == TranslationImport.Status.REFUSED
    assert "“Link pairs” in the admin" in " ".join(refused.problems)

    client.force_login(editor)
    response = client.post(
        "/en/admin/xliff/linkpair/add/",
        {
            "english_address": "https://www.gov.uk/government/publications/civil-service-code",
            "welsh_address": welsh_page,
        },
    )
    assert response.status_code == 200 and "already exists" in response.content.decode()  # one counterpart each
    LinkPair.objects.filter(welsh_address="https://llyw.cymru/node/27857").update(welsh_address=welsh_page)
    assert stage_import(filename="cy.xlf", content=returned, by=editor).problems == []


def test_an_editor_adds_a_link_pair_in_the_admin(client, editor, content):
    client.force_login(editor)
    assert client.get("/en/admin/xliff/linkpair/").status_code == 200
    response = client.post(
        "/en/admin/xliff/linkpair/add/",
        {"english_address": "https://www.gov.uk/guidance/x", "welsh_address": "https://www.llyw.cymru/canllaw x"},
    )
    assert "with no spaces or brackets" in response.content.decode()
    client.post(
        "/en/admin/xliff/linkpair/add/",
        {"english_address": "https://www.gov.uk/guidance/x", "welsh_address": "https://www.llyw.cymru/canllaw-x"},
    )
    assert LinkPair.objects.get(english_address="https://www.gov.uk/guidance/x").welsh_address.endswith("canllaw-x")


def test_line_endings_a_translation_tool_changed_do_not_matter(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    intro = draft.sections.get(slug_en="introduction")
    # A Windows tool keeps each line break as CR LF, the CR written as a character reference (a bare CR would be
    # folded by any XML parser): the English as well as the Welsh.
    crlf = content.replace(b"\n\n", b"&#13;\n&#13;\n")
    assert crlf.count(b"&#13;") > 4
    staged = stage_import(filename="cy.xlf", content=crlf, by=editor)
    assert staged.problems == [] and staged.changed_units == []
    more = edit(content, lambda root: set_target(root, f"section/{intro.pk}/body", intro.body_cy + "\n\nDiolch."))
    staged = stage_import(filename="cy.xlf", content=more.replace(b"\n\n", b"&#13;\n&#13;\n"), by=editor)
    assert staged.problems == [
        "Guidance version 2, section 1 “Introduction”: text: the Welsh must have the same number of paragraphs as the "
        f"English ({intro.body_en.count(chr(10) * 2) + 1})"
    ]
    apply_import(staged=stage_import(filename="cy.xlf", content=crlf, by=editor), by=editor)
    assert "\r" not in Section.objects.get(pk=intro.pk).body_cy


ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_file_declaring_entities_is_refused_with_a_message(draft, editor, encoding):
    export, content = export_for_translation(version=draft, everything=False, by=editor)
    body = content.split(b"?>", 1)[1].replace(b"Mae'r cyflwyniad yn gliriach.", b"&x;")
    declared = (ENTITY + body).decode()
    if encoding == "utf-16":
        declared = declared.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    staged = stage_import(filename="cy.xlf", content=declared.encode(encoding), by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems == [
        "The file declares a document type (<!DOCTYPE xliff>). A translation file never needs one, and entities it "
        "declares could read other files, so the portal does not accept it: send back the file the portal exported, "
        "with only the Welsh added."
    ]
    draft.refresh_from_db()
    assert draft.change_summary_cy == "Mae'r cyflwyniad yn gliriach."


def test_the_round_trip_in_the_admin_accepts_the_download_as_it_is(client, editor, draft):
    client.force_login(editor)
    download = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/export/", {"everything": "1"})
    upload = io.BytesIO(download.content)
    upload.name = "social-media-guidance.xlf"
    response = client.post(f"/en/admin/xliff/translationimport/version/{draft.pk}/import/", {"file": upload})
    preview = client.get(response["Location"]).content.decode()
    assert "There is a problem" not in preview
    assert client.post(response["Location"])["Location"] == f"/en/admin/guidance/guidanceversion/{draft.pk}/change/"
    assert TranslationImport.objects.get().status == TranslationImport.Status.APPLIED
    ET.fromstring(download.content)  # a well-formed file, read by a plain XML library


def test_a_utf16_file_from_a_translation_tool_is_read_and_applied(draft, editor):
    intro = draft.sections.get(slug_en="introduction")
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    reviewed = edit(content, lambda root: confirm(root, f"section/{intro.pk}/body", "version/2/change_summary"))
    utf16 = reviewed.decode().replace("encoding='utf-8'", "encoding='UTF-16'").encode("utf-16")
    staged = stage_import(filename="cy.xlf", content=utf16, by=editor)
    assert staged.problems == [] and staged.status == TranslationImport.Status.PREVIEW
    apply_import(staged=staged, by=editor)
    assert welsh_reviews_due(draft) == []


def test_a_file_that_is_not_text_is_refused_not_stored_broken(draft, editor):
    staged = stage_import(filename="photo.xlf", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems[0].startswith("This is not an XLIFF file that can be read")


def test_a_file_with_a_bare_document_type_is_refused_too(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    declared = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xliff>\n' + content.split(b"?>", 1)[1]
    staged = stage_import(filename="cy.xlf", content=declared, by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems[0].startswith("The file declares a document type (<!DOCTYPE xliff>).")
