"""Reading a returned file as translation tools write it (en-GB to cy-GB, UTF-16, leading blank lines), and the
message an editor gets for one that cannot be read: wrong languages, more than one export in it, another encoding,
a unit without its Welsh. A file that declares entities never has them read into the copy the portal keeps."""

import pytest

from xliff.models import TranslationImport
from xliff.services import export_for_translation, stage_import

from . import test_round_trip
from .test_round_trip import NS, edit, set_target

draft = test_round_trip.draft  # the fixture: draft version 2, the Security section's English rewritten

pytestmark = pytest.mark.django_db
NOT_UTF8 = (
    "The file must be saved as UTF-8, as the portal exported it. Save it again from the translation tool as UTF-8."
)


@pytest.fixture
def exported(draft, editor) -> bytes:
    """The new-and-changed file, translated: what a translator sends back."""
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    security = draft.sections.get(slug_en="security")

    def translate(root):
        set_target(root, f"section/{security.pk}/body", security.body_cy.replace("gyfrinair cryf", "gyfrinair hir"))
        set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")

    return edit(content, translate)


def problems(content: bytes, editor) -> list[str]:
    return stage_import(filename="cy.xlf", content=content, by=editor).problems


def with_languages(content: bytes, source: str, target: str) -> bytes:
    def relabel(root):
        file = root.find("x:file", NS)
        file.set("source-language", source)
        file.set("target-language", target)

    return edit(content, relabel)


def test_a_file_labelled_with_regional_language_codes_is_read(exported, editor):
    assert problems(with_languages(exported, "en-GB", "cy-GB"), editor) == []


@pytest.mark.parametrize(("source", "target"), [("en", "fr"), ("de", "cy"), ("cy", "en")])
def test_a_file_between_other_languages_is_refused(exported, editor, source, target):
    assert problems(with_languages(exported, source, target), editor) == [
        "The file must translate from English (en) to Welsh (cy)."
    ]


def test_a_file_holding_two_exports_is_refused(exported, editor):
    def second_file(root):
        import copy

        file = root.find("x:file", NS)
        other = copy.deepcopy(file)
        other.set("original", "portal-translation-export-999")
        root.append(other)

    assert problems(edit(exported, second_file), editor) == ["The file must hold the one export it was made from."]


def test_a_file_without_a_file_element_is_refused_with_what_is_missing(editor, content):
    assert problems(b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"/>', editor) == [
        "This is not an XLIFF file that can be read: it has no <file> element"
    ]


def test_a_unit_without_its_welsh_is_refused_as_empty(exported, editor, draft):
    def drop_target(root):
        unit = next(u for u in root.iter(f"{{{NS['x']}}}trans-unit") if u.get("id") == "version/2/change_summary")
        unit.remove(unit.find("x:target", NS))

    assert problems(edit(exported, drop_target), editor) == ["Guidance version 2: what changed: the Welsh is empty"]


def test_a_utf16_file_without_a_byte_order_mark_is_read_too(exported, editor):
    assert problems(exported.decode().encode("utf-16-be"), editor) == []


@pytest.mark.parametrize(
    "encoded",
    [
        lambda text: b"\n  " + text.replace(b"Cyfrineiriau", "Cyfrin\xe9".encode("latin-1")),
        lambda text: text.decode().encode("utf-16-be")[:1000],  # cut short: not XML, and not UTF-8 either
    ],
    ids=["latin-1 bytes after a blank line", "utf-16 cut short"],
)
def test_a_file_in_another_encoding_that_cannot_be_read_gets_the_encoding_message(exported, editor, encoded):
    staged = stage_import(filename="cy.xlf", content=encoded(exported), by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems == [NOT_UTF8]


@pytest.mark.parametrize(
    "entity", ['SYSTEM "file://{secret}"', '"SECRET-FROM-THE-SERVER"'], ids=["external", "internal"]
)
def test_an_entity_a_utf16_file_declares_is_never_read_into_the_kept_copy(exported, editor, tmp_path, entity):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-THE-SERVER")
    body = exported.split(b"?>", 1)[1].replace(b"Cyfrineiriau hir.", b"&x;")
    declared = (
        f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE xliff [<!ENTITY x {entity.format(secret=secret)}>]>\n'
        + body.decode()
    ).encode("utf-16")
    staged = stage_import(filename="cy.xlf", content=declared, by=editor)
    assert staged.problems[0].startswith("The file declares a document type (<!DOCTYPE xliff>).")
    assert "SECRET-FROM-THE-SERVER" not in staged.content.split("]>", 1)[1]
    assert "&x;" in staged.content
