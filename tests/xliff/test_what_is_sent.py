"""What a translation file carries and what a returned one may do: principles, questions and legal pages edited since
the last published version go out as changed; a returned file may only write Welsh into the units it was sent, once
each."""

import copy
import xml.etree.ElementTree as ET

import pytest

from assessments.models import Option, Question
from guidance.models import Principle
from guidance.review import welsh_reviews_due
from legal.models import LegalPage
from legal.services import load_legal_pages
from xliff.models import TranslationImport
from xliff.services import apply_import, export_for_translation, stage_import

from . import test_round_trip
from .test_round_trip import NS, edit, set_target, units_of

draft = test_round_trip.draft  # the fixture: draft version 2, the Security section's English rewritten

pytestmark = pytest.mark.django_db
UNIT = f"{{{NS['x']}}}trans-unit"


def translate_all(root, draft) -> None:
    """Welsh for every unit of the new-and-changed file (what changed, the Security section's text)."""
    for unit in list(root.iter(UNIT)):
        if unit.get("id").startswith("section/"):
            set_target(root, unit.get("id"), draft.sections.get(pk=unit.get("id").split("/")[1]).body_cy + " Hir.")
    set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")


def save(obj, **english):
    for name, value in english.items():
        setattr(obj, name, value)
    obj.save()


def test_principles_questions_and_legal_pages_edited_since_publishing_go_out_as_changed(draft, editor):
    load_legal_pages()
    _export, before = export_for_translation(version=draft, everything=False, by=editor)
    assert not any(unit.split("/")[0] in {"principle", "question", "option", "legal"} for unit in units_of(before))

    principle = Principle.objects.get(number=2)
    save(principle, summary_en=principle.summary_en + " Think twice.")
    question = Question.objects.filter(is_active=True).order_by("pk").first()
    save(question, prompt_en=question.prompt_en + " Quickly.")
    option = Option.objects.filter(question=question).order_by("order").last()
    save(option, feedback_en=option.feedback_en + " Always.")
    page = LegalPage.objects.get(kind="privacy")
    save(page, title_en="Privacy notice (updated)")

    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    units = units_of(content)
    assert {
        "principle/2/summary",
        f"question/{question.key}/prompt",
        f"option/{question.key}/{option.order}/feedback",
        "legal/privacy/title",
    } <= set(units)
    # Only what changed: the principle's name, the other options and the privacy page's text stay out. (The shipped
    # options are loaded without history, so the edited option's answer goes too: its English before is not known.)
    assert "principle/2/name" not in units and "legal/privacy/body" not in units
    assert {unit for unit in units if unit.startswith(f"option/{question.key}/")} <= {
        f"option/{question.key}/{option.order}/feedback",
        f"option/{question.key}/{option.order}/text",
    }


def test_a_returned_file_cannot_write_welsh_into_a_unit_it_was_not_sent(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    principle = Principle.objects.get(number=1)

    def add_unit(root):
        translate_all(root, draft)
        body = root.find("x:file/x:body", NS)
        extra = ET.SubElement(body, UNIT, {"id": "principle/1/name"})
        ET.SubElement(extra, f"{{{NS['x']}}}source").text = principle.name_en
        set_target(root, "principle/1/name", "Enw wedi'i newid")

    staged = stage_import(filename="cy.xlf", content=edit(content, add_unit), by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert "Unit “principle/1/name” was not in the file the portal exported" in staged.problems
    assert Principle.objects.get(number=1).name_cy == principle.name_cy


def test_a_unit_in_the_file_twice_is_refused_not_the_last_one_winning(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)

    def twice(root):
        translate_all(root, draft)
        body = root.find("x:file/x:body", NS)
        second = copy.deepcopy(next(unit for unit in body if unit.get("id") == "version/2/change_summary"))
        second.find("x:target", NS).text = "Rhywbeth arall."
        body.append(second)

    staged = stage_import(filename="cy.xlf", content=edit(content, twice), by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert "Unit “version/2/change_summary” is in the file twice" in staged.problems
    draft.refresh_from_db()
    assert draft.change_summary_cy == ""


def test_a_unit_whose_section_was_removed_from_the_draft_is_refused_by_name(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    security = draft.sections.get(slug_en="security")
    section_id = security.pk
    security.delete()  # an editor took the section out of the draft after the file went to the translators
    staged = stage_import(
        filename="cy.xlf", content=edit(content, lambda root: translate_all_but(root, section_id)), by=editor
    )
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems == [f"Unit “section/{section_id}/body” is no longer in draft version 2"]
    draft.refresh_from_db()
    assert draft.change_summary_cy == ""


def translate_all_but(root, section_id) -> None:
    set_target(root, f"section/{section_id}/body", "Testun nad yw yn y drafft mwyach.")
    set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")


def test_the_english_changed_in_the_file_or_in_the_portal_is_refused_with_where_it_is(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)

    def reword(root):
        translate_all(root, draft)
        unit = next(u for u in root.iter(UNIT) if u.get("id") == "version/2/change_summary")
        unit.find("x:source", NS).text = "Something else."

    staged = stage_import(filename="cy.xlf", content=edit(content, reword), by=editor)
    assert staged.problems == [
        "Guidance version 2: what changed: the English in the file was changed; only the Welsh may be"
    ]
    draft.change_summary_en = "Security asks for long passwords that are yours alone."
    draft.save()
    staged = stage_import(filename="cy.xlf", content=edit(content, lambda root: translate_all(root, draft)), by=editor)
    assert staged.problems == [
        "Guidance version 2: what changed: the English has changed in the portal since this file was exported; "
        "export it again"
    ]


@pytest.mark.parametrize(
    "file_id",
    [
        "other-tool-export-{pk}",  # ends with the number of a real export, but not the portal's name
        "portal-translation-export-²",  # a digit to Python's isdigit, not to int()
        "portal-translation-export-{pk}0000000000000000000000",  # beyond any database key
        "portal-translation-export-",
    ],
)
def test_a_file_id_the_portal_did_not_write_is_refused_with_a_message_not_an_error(draft, editor, file_id):
    export, content = export_for_translation(version=draft, everything=False, by=editor)
    file_id = file_id.format(pk=export.pk)

    def rename(root):
        translate_all(root, draft)
        root.find("x:file", NS).set("original", file_id)

    staged = stage_import(filename="cy.xlf", content=edit(content, rename), by=editor)
    assert staged.problems == [f"This file was not exported from the portal (its file id is “{file_id}”)."]


def test_a_unit_a_tool_marks_new_is_not_taken_as_the_translators_review(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    security = draft.sections.get(slug_en="security")

    def untouched_but_new(root):
        set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")
        unit = next(u for u in root.iter(UNIT) if u.get("id") == f"section/{security.pk}/body")
        unit.find("x:target", NS).set("state", "new")  # some tools mark a segment they have not touched "new"

    apply_import(staged=stage_import(filename="cy.xlf", content=edit(content, untouched_but_new), by=editor), by=editor)
    assert [review.section.pk for review in welsh_reviews_due(draft)] == [security.pk]
