"""A version whose "What changed" is missing in Welsh is refused, with the English filled and nothing else wrong."""

import pytest
from django.core.exceptions import ValidationError

from guidance.models import GuidanceVersion
from guidance.services import publish_version, start_draft

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
