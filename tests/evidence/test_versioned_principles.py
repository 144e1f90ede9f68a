"""A principle's name and summary shown with a published version belong to that version, and its SHA-256 covers them."""

import pytest

from guidance.models import Principle, version_sha256, version_text
from guidance.services import publish_version, start_draft

pytestmark = pytest.mark.django_db


def test_editing_a_principle_leaves_published_versions_as_people_read_them(client, staff, content, cycle):
    client.force_login(staff)
    principle = Principle.objects.get(number=1)
    published_name = principle.name_en
    page = client.get("/en/guidance/principles/").content.decode()
    assert published_name in page

    principle.name_en = "A new name for principle one"
    principle.summary_en = "A new summary for principle one."
    principle.save()

    page = client.get("/en/guidance/principles/").content.decode()
    assert published_name in page
    assert "A new name for principle one" not in page
    assert version_sha256(content) == content.content_sha256


def test_the_next_version_takes_the_new_text_and_its_hash_differs(content):
    principle = Principle.objects.get(number=1)
    principle.name_en = "A new name for principle one"
    principle.name_cy = "Enw newydd i egwyddor un"
    principle.save()
    draft = start_draft()
    draft.change_summary_en = "Principle 1 renamed."
    draft.change_summary_cy = "Egwyddor 1 wedi'i hailenwi."
    draft.save()
    published = publish_version(version=draft)
    section = published.sections.get(principle=principle)
    assert section.principle_name_en == "A new name for principle one"
    assert "Enw newydd i egwyddor un" in version_text(published)
    assert published.content_sha256 != content.content_sha256
    old_section = content.sections.get(principle=principle)
    assert old_section.principle_name_en != "A new name for principle one"


def test_the_hash_covers_the_principle_text(content):
    section = content.sections.filter(principle__isnull=False).first()
    assert section.principle_summary_en and section.principle_summary_en in version_text(content)
    assert section.principle_name_cy in version_text(content)
