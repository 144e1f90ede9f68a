"""The Welsh review, at the level of the services (whatever screen an editor uses): a section whose English changed
while its Welsh did not must have its Welsh checked before the draft is published, and that check lapses as soon as
the English changes again, in its title as much as in its text."""

import pytest
from django.core.exceptions import ValidationError

from guidance.review import welsh_reviews_due
from guidance.services import mark_welsh_reviewed, publish_version, start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(content):
    version = start_draft()
    version.change_summary_en, version.change_summary_cy = "Security reworded.", "Aileiriwyd Diogelwch."
    version.save()
    return version


def security(draft):
    return draft.sections.get(slug_en="security")


def due(draft) -> dict[str, list[str]]:
    return {review.section.slug_en: review.fields for review in welsh_reviews_due(draft)}


@pytest.mark.parametrize("field", ["title_en", "body_en"])
def test_changing_only_the_english_asks_for_a_welsh_review_before_publishing(draft, field):
    section = security(draft)
    setattr(section, field, getattr(section, field) + " (reworded)")
    section.save()
    assert due(draft) == {"security": [field.removesuffix("_en")]}
    with pytest.raises(ValidationError, match="the English changed since version 1 but the Welsh did not"):
        publish_version(version=draft)
    mark_welsh_reviewed(section=section)
    assert due(draft) == {}
    assert publish_version(version=draft).is_published


@pytest.mark.parametrize("field", ["title_en", "body_en"])
def test_the_review_lapses_when_the_english_changes_again(draft, field):
    section = security(draft)
    section.body_en += " Use a password manager."
    section.save()
    mark_welsh_reviewed(section=section)
    assert due(draft) == {}
    section.refresh_from_db()
    setattr(section, field, getattr(section, field) + " Again.")
    section.save()
    assert "security" in due(draft)
    with pytest.raises(ValidationError):
        publish_version(version=draft)


def test_changing_the_english_and_the_welsh_together_needs_no_review(draft):
    section = security(draft)
    section.title_en, section.title_cy = "Keeping secure", "Cadw'n ddiogel"
    section.save()
    assert due(draft) == {}


def test_reverting_the_english_to_the_published_words_needs_no_review(draft):
    section = security(draft)
    published = section.body_en
    section.body_en = published + " (reworded)"
    section.save()
    assert due(draft) == {"security": ["body"]}
    section.body_en = published
    section.save()
    assert due(draft) == {}
