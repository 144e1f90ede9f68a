"""Loads the guidance as published version 1 from content/guidance_v1.json. Safe to run again: it changes nothing
once version 1 exists, because published text is never rewritten."""

import json
from pathlib import Path

from django.db import transaction

from .models import GuidanceVersion, Principle, Section
from .services import publish_version

CONTENT_FILE = Path(__file__).parent / "content" / "guidance_v1.json"
PRINCIPLE_FIELDS = ("slug_en", "slug_cy", "name_en", "name_cy", "summary_en", "summary_cy")
SECTION_FIELDS = ("order", "slug_en", "slug_cy", "title_en", "title_cy", "body_en", "body_cy")


def read_content(path: Path = CONTENT_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_guidance(path: Path = CONTENT_FILE) -> GuidanceVersion:
    content = read_content(path)
    principles = {}
    for item in content["principles"]:
        principle, _created = Principle.objects.get_or_create(
            number=item["number"], defaults={field: item[field] for field in PRINCIPLE_FIELDS}
        )
        principles[principle.number] = principle
    number = content["version"]["number"]
    existing = GuidanceVersion.objects.filter(number=number).first()
    if existing:
        return existing
    version = GuidanceVersion.objects.create(
        number=number,
        change_summary_en=content["version"]["change_summary_en"],
        change_summary_cy=content["version"]["change_summary_cy"],
    )
    Section.objects.bulk_create(
        Section(
            version=version,
            principle=principles.get(item["principle"]),
            **{field: item[field] for field in SECTION_FIELDS},
        )
        for item in content["sections"]
    )
    return publish_version(version=version)
