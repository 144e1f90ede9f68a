"""The publish gate on "What changed": missing in Welsh, or the same as the English, is refused; problems name the
section in the editor's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from guidance.models import GuidanceVersion
from guidance.services import publish_problems, publish_version, start_draft

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("welsh", ["", "   ", "\n"])
def test_an_empty_welsh_change_summary_is_refused(content, welsh):
    draft = start_draft()
    draft.change_summary_en = "Security now covers two-step verification."
    draft.change_summary_cy = welsh
    draft.save()
    with pytest.raises(ValidationError) as refused:
        publish_version(version=draft)
    assert refused.value.messages[-1] == "What changed (Welsh) is empty"
    assert GuidanceVersion.objects.get(pk=draft.pk).status == GuidanceVersion.Status.DRAFT
    draft.change_summary_cy = "Mae diogelwch bellach yn cynnwys dilysu dau gam."
    draft.save()
    assert publish_version(version=draft).is_published


@pytest.mark.parametrize(
    "welsh", ["Security now covers two-step verification.", "  Security now covers two-step verification.\n"]
)
def test_a_welsh_change_summary_equal_to_the_english_is_refused(content, welsh):
    draft = start_draft()
    draft.change_summary_en = "Security now covers two-step verification."
    draft.change_summary_cy = welsh
    draft.save()
    with pytest.raises(ValidationError) as refused:
        publish_version(version=draft)
    assert refused.value.messages == ["What changed (Welsh) is the same as the English: write it in Welsh"]
    assert GuidanceVersion.objects.get(pk=draft.pk).status == GuidanceVersion.Status.DRAFT


def test_a_welsh_editor_reads_the_welsh_section_title_in_each_problem(content):
    draft = start_draft()
    draft.change_summary_en, draft.change_summary_cy = "Clarified accuracy.", "Eglurhad am gywirdeb."
    draft.save()
    accuracy = draft.sections.get(slug_en="accuracy")
    accuracy.body_cy = ""
    accuracy.save()
    with translation.override("cy"):
        problems = publish_problems(draft)
    assert len(problems) == 1
    assert problems[0].startswith("Adran 6 “Cywirdeb”: mae ") and "Accuracy" not in problems[0]
