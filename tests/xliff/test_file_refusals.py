"""What an editor is told when a returned file cannot be used as a whole: every problem of every unit, in the order of
the file, each saying where in the guidance it is; a file for a draft published since; units dropped from the file."""

import pytest

from guidance.services import mark_welsh_reviewed, publish_version
from xliff.models import TranslationImport
from xliff.services import export_for_translation, stage_import

from . import test_round_trip
from .test_round_trip import NS, edit, set_target

draft = test_round_trip.draft  # the fixture: draft version 2, the Security section's English rewritten

pytestmark = pytest.mark.django_db
UNIT = f"{{{NS['x']}}}trans-unit"


def security_body(draft) -> str:
    return f"section/{draft.sections.get(slug_en='security').pk}/body"


def test_every_problem_in_the_file_is_listed_not_only_the_first_or_the_last(draft, editor):
    _export, content = export_for_translation(version=draft, everything=True, by=editor)
    intro = draft.sections.get(slug_en="introduction")

    def three_problems(root):
        unit = next(u for u in root.iter(UNIT) if u.get("id") == "version/2/change_summary")
        unit.find("x:source", NS).text = "Reworded in the file."
        set_target(root, f"section/{intro.pk}/title", " ")
        set_target(root, security_body(draft), "")

    staged = stage_import(filename="cy.xlf", content=edit(content, three_problems), by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems == [
        "Guidance version 2: what changed: the English in the file was changed; only the Welsh may be",
        "Guidance version 2, section 1 “Introduction”: title: the Welsh is empty",
        "Guidance version 2, section 9 “Security”: text: the Welsh is empty",
    ]


def test_a_file_for_a_draft_published_since_it_was_exported_is_refused(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    mark_welsh_reviewed(section=draft.sections.get(slug_en="security"))
    draft.change_summary_cy = "Mae Diogelwch yn gofyn am gyfrineiriau hir, unigryw."
    draft.save()
    publish_version(version=draft)
    staged = stage_import(filename="cy.xlf", content=content, by=editor)
    assert staged.status == TranslationImport.Status.REFUSED
    assert staged.problems == ["Version 2 has been published since this file was exported. Export from the new draft."]


def test_a_unit_dropped_from_the_file_is_named_by_where_it_is_or_by_its_id_once_gone_from_the_draft(draft, editor):
    _export, content = export_for_translation(version=draft, everything=False, by=editor)
    body_id = security_body(draft)

    def drop_security(root):
        body = root.find("x:file/x:body", NS)
        body.remove(next(unit for unit in body if unit.get("id") == body_id))
        set_target(root, "version/2/change_summary", "Cyfrineiriau hir.")

    dropped = edit(content, drop_security)
    assert stage_import(filename="cy.xlf", content=dropped, by=editor).problems == [
        f"Guidance version 2, section 9 “Security”: text: the unit is missing from the file (id “{body_id}”)"
    ]
    draft.sections.get(slug_en="security").delete()
    assert stage_import(filename="cy.xlf", content=dropped, by=editor).problems == [
        f"{body_id}: the unit is missing from the file (id “{body_id}”)"
    ]
