"""Welsh review: a section whose English changed since the last published version, while its Welsh did not, needs a
Welsh speaker to check the Welsh still says the same. It is flagged (and the draft cannot be published) until an
editor marks the Welsh reviewed for that exact English; changing the English again flags it again."""

import hashlib
from dataclasses import dataclass

from .comparison import pair_sections, previous_published
from .models import GuidanceVersion, Section

FIELDS = ("title", "body")


def english_fingerprint(section: Section) -> str:
    return hashlib.sha256(f"{section.title_en}\x1e{section.body_en}".encode()).hexdigest()


@dataclass
class WelshReview:
    section: Section
    published: Section  # the same section in the last published version
    fields: list[str]  # "title", "body": the English changed, the Welsh did not


def english_changed_welsh_not(section: Section, published: Section | None) -> list[str]:
    if published is None:  # a new section: the parity gate already asks for its Welsh
        return []
    return [
        name
        for name in FIELDS
        if getattr(section, f"{name}_en") != getattr(published, f"{name}_en")
        and getattr(section, f"{name}_cy") == getattr(published, f"{name}_cy")
    ]


def needs_welsh_review(section: Section, published: Section | None) -> bool:
    return bool(english_changed_welsh_not(section, published)) and (
        section.welsh_reviewed_sha256 != english_fingerprint(section)
    )


def published_counterparts(version: GuidanceVersion) -> dict[int, Section | None]:
    """For each section of a draft, the same section in the last published version before it (or None)."""
    published = previous_published(version)
    old = list(published.sections.order_by("order")) if published else []
    return {
        new.pk: old_section for old_section, new in pair_sections(old, list(version.sections.order_by("order"))) if new
    }


def review_stamp(section: Section, *, reviewed_now: bool) -> str:
    """What a draft section's Welsh review records after a save: the English as it is now when a Welsh speaker has
    just reviewed it; an earlier review only while the English is still what was reviewed; otherwise nothing, so the
    section is flagged again."""
    fingerprint = english_fingerprint(section)
    if reviewed_now or section.welsh_reviewed_sha256 == fingerprint:
        return fingerprint
    return ""


def welsh_reviews_due(version: GuidanceVersion) -> list[WelshReview]:
    if version.is_published:
        return []
    counterparts = published_counterparts(version)
    reviews = []
    for section in version.sections.order_by("order"):
        published = counterparts.get(section.pk)
        if published is not None and needs_welsh_review(section, published):  # a new section has nothing to review
            reviews.append(WelshReview(section, published, english_changed_welsh_not(section, published)))
    return reviews
