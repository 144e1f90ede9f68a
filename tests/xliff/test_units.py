"""What each unit of a translation file tells the translator and where its Welsh goes: where it appears (in the
notes), the Welsh as last published beside it (alt-trans), the order they read in, and which texts count as changed
since the last published version."""

import xml.etree.ElementTree as ET

import pytest

from assessments.models import Question
from guidance.models import Principle
from guidance.services import mark_welsh_reviewed, publish_version, start_draft
from legal.services import load_legal_pages, update_legal_page
from tests.factories import PrincipleFactory, QuestionFactory, SectionFactory, VersionFactory
from xliff.services import apply_import, export_for_translation, stage_import

from . import test_round_trip
from .test_round_trip import NS, edit, set_target, units_of

draft = test_round_trip.draft  # the fixture: draft version 2, the Security section's English rewritten

pytestmark = pytest.mark.django_db


def note(unit) -> str:
    return unit.find("x:note", NS).text


def notes(unit) -> list[tuple[str | None, str]]:
    return [(found.get("from"), found.text) for found in unit.findall("x:note", NS)]


def previous_welsh(unit) -> str | None:
    found = unit.find("x:alt-trans/x:target", NS)
    return None if found is None else found.text


def test_each_unit_says_where_it_appears(draft, editor):
    load_legal_pages()
    question = Question.objects.filter(is_active=True, principle__number=3).order_by("pk").first()
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    units = units_of(content)
    assert note(units["version/2/change_summary"]) == "Guidance version 2: what changed"
    assert note(units["principle/1/name"]) == "Principle 1 “Propriety”: name"
    assert note(units["principle/6/summary"]) == "Principle 6 “Security”: summary"
    assert note(units[f"question/{question.key}/prompt"]) == (
        f"Scenario question “{question.key}” (principle 3): scenario"
    )
    assert note(units["legal/privacy/body"]) == "Privacy notice: text"
    correct = question.options.get(is_correct=True)
    wrong = question.options.filter(is_correct=False).first()
    assert note(units[f"option/{question.key}/{correct.order}/feedback"]) == (
        f"Scenario question “{question.key}”, answer {correct.order} (correct): feedback"
    )
    assert note(units[f"option/{question.key}/{wrong.order}/text"]) == (
        f"Scenario question “{question.key}”, answer {wrong.order}: answer"
    )
    # For the translator, in both languages, marked as the portal's note (tools show these apart from their own).
    assert notes(units["principle/1/name"]) == [
        ("developer", "Principle 1 “Propriety”: name"),
        ("developer", "Egwyddor 1 “Propriety”: enw"),
    ]


def test_the_file_says_its_languages_and_where_the_welsh_beside_a_unit_comes_from(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    file = ET.fromstring(content).find("x:file", NS)
    assert (file.get("source-language"), file.get("target-language")) == ("en", "cy")
    security = units_of(content)[f"section/{draft.sections.get(slug_en='security').pk}/body"]
    alternative = security.find("x:alt-trans", NS)
    assert alternative.get("origin") == "last published version"
    assert alternative.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"


def test_the_welsh_of_a_principle_goes_where_its_unit_says(draft, editor):
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    security = draft.sections.get(slug_en="security")

    def translate(root):
        set_target(root, "principle/2/summary", "Crynodeb newydd o Synnwyr Cyffredin.")
        set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")
        set_target(root, f"section/{security.pk}/body", security.body_cy.replace("gyfrinair cryf", "gyfrinair hir"))

    staged = stage_import(filename="cy.xlf", content=edit(content, translate), by=editor)
    assert staged.problems == []
    apply_import(staged=staged, by=editor)
    assert Principle.objects.get(number=2).summary_cy == "Crynodeb newydd o Synnwyr Cyffredin."


def test_the_welsh_as_last_published_stands_beside_changed_text_and_nothing_beside_new_text(draft, editor):
    principle = Principle.objects.get(number=2)
    published_welsh = principle.summary_cy
    principle.summary_en += " Think twice."
    principle.summary_cy += " Meddyliwch ddwywaith."
    principle.save()
    new_section = SectionFactory(version=draft, order=99, body_en="Brand new text.", body_cy="")
    security = draft.sections.get(slug_en="security")
    published_security = draft.sections.model.objects.get(version__number=1, slug_en="security")
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    units = units_of(content)
    assert previous_welsh(units["principle/2/summary"]) == published_welsh  # not the Welsh as edited since
    assert previous_welsh(units[f"section/{security.pk}/body"]) == published_security.body_cy
    assert previous_welsh(units[f"section/{new_section.pk}/body"]) is None
    assert previous_welsh(units["version/2/change_summary"]) is None


def test_questions_are_listed_under_their_principle_in_order(draft, editor):
    added = QuestionFactory(principle=PrincipleFactory(number=1))  # written last, for the first principle
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    prompts = [unit for unit in units_of(content) if unit.startswith("question/")]
    by_principle = [Question.objects.get(key=unit.split("/")[1]).principle.number for unit in prompts]
    assert by_principle == sorted(by_principle)
    assert prompts.index(f"question/{added.key}/prompt") < by_principle.index(2)


def test_answers_follow_their_question_in_order(draft, editor):
    # An editor reorders a question's answers: the file follows their order, not the order they were written in.
    question = Question.objects.filter(is_active=True).order_by("pk").first()
    options = list(question.options.order_by("order"))
    for option, order in zip(options, reversed([option.order for option in options]), strict=True):
        option.order = order
        option.save()
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    answers = [unit.split("/")[1:3] for unit in units_of(content) if unit.startswith("option/") and "/text" in unit]
    questions = [key for key, _order in answers]
    runs = [key for index, key in enumerate(questions) if index == 0 or questions[index - 1] != key]
    assert len(runs) == len(set(runs))  # each question's answers together, not interleaved with another's
    for key in set(questions):
        orders = [int(order) for other, order in answers if other == key]
        assert orders == sorted(orders) and len(orders) >= 3


def test_text_edited_before_the_last_publication_is_not_sent_again(draft, editor):
    # Each written, then edited in both languages, while version 2 was a draft.
    principle = PrincipleFactory(number=7, name_en="Kindness", name_cy="Caredigrwydd")
    principle.summary_en, principle.summary_cy = "Be kind online.", "Byddwch yn garedig ar-lein."
    principle.save()
    question = QuestionFactory(principle=principle)
    question.prompt_en, question.prompt_cy = "A kind reply?", "Ateb caredig?"
    question.save()
    page = load_legal_pages()[0]
    update_legal_page(
        page=page, title_en=page.title_en + " (2)", title_cy=page.title_cy + " (2)", body_en=page.body_en,
        body_cy=page.body_cy,
    )  # fmt: skip
    mark_welsh_reviewed(section=draft.sections.get(slug_en="security"))
    draft.change_summary_cy = "Mae Diogelwch yn gofyn am gyfrineiriau hir."
    draft.save()
    publish_version(version=draft)
    _export, content = export_for_translation(version=start_draft(), everything=False, by=editor)
    assert not [unit for unit in units_of(content) if unit.split("/")[0] in {"principle", "question", "legal"}]


def test_a_first_draft_with_nothing_published_sends_every_text(editor, db):
    first = VersionFactory(number=1, change_summary_en="First version.", change_summary_cy="")
    section = SectionFactory(version=first, title_cy="", body_cy="")
    PrincipleFactory(number=1)
    _export, content = export_for_translation(version=first, everything=False, by=editor)
    assert {"version/1/change_summary", f"section/{section.pk}/title", f"section/{section.pk}/body"} <= set(
        units_of(content)
    )
