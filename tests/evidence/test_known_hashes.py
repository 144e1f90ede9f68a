"""Known answers for the SHA-256 an acknowledgement stores, over a version with a principle's text: the text and digest
below were written down by hand (printf … | sha256sum), not taken from the code under test. The principle's name and
summary in both languages are copied into the version when it is published and are part of what is hashed, so editing
the principle later never changes what people confirmed."""

import hashlib

import pytest

from guidance.models import GuidanceVersion, Principle, Section, version_sha256, version_text
from guidance.services import publish_version

from ..factories import PrincipleFactory

pytestmark = pytest.mark.django_db

PRINCIPLE = {
    "name_en": "Keep your accounts secure",
    "name_cy": "Cadwch eich cyfrifon yn ddiogel",
    "summary_en": "A stolen account speaks for you.",
    "summary_cy": "Mae cyfrif wedi’i ddwyn yn siarad drosoch chi.",
}
SECTIONS = [
    {
        "order": 1,
        "slug_en": "introduction",
        "slug_cy": "cyflwyniad",
        "title_en": "Introduction",
        "title_cy": "Cyflwyniad",
        "body_en": "Think before you post.",
        "body_cy": "Meddyliwch cyn i chi bostio.",
    },
    {
        "order": 2,
        "slug_en": "security",
        "slug_cy": "diogelwch",
        "title_en": "Security",
        "title_cy": "Diogelwch",
        "body_en": "Use two-step verification on every account.",
        "body_cy": "Defnyddiwch ddilysu dau gam ar bob cyfrif.",
    },
]
SEPARATOR = "\n\x1e\n"
KNOWN_TEXT = SEPARATOR.join(
    [
        "version:9",
        "section:1:introduction:cyflwyniad:",
        "Introduction",
        "Cyflwyniad",
        "Think before you post.",
        "Meddyliwch cyn i chi bostio.",
        "section:2:security:diogelwch:3",
        "Security",
        "Diogelwch",
        "Use two-step verification on every account.",
        "Defnyddiwch ddilysu dau gam ar bob cyfrif.",
        "Keep your accounts secure",
        "Cadwch eich cyfrifon yn ddiogel",
        "A stolen account speaks for you.",
        "Mae cyfrif wedi’i ddwyn yn siarad drosoch chi.",
    ]
)
KNOWN_SHA256 = "9cc9b5e461e996efcb4adc074222db715ebfd5441f4c9cc4acdc82f226ac69be"


def published_with_principle(**principle_text) -> GuidanceVersion:
    """Version 9 (two sections, the second about principle 3) published with the principle's text as given."""
    principle = PrincipleFactory(number=3, **{**PRINCIPLE, **principle_text})
    version = GuidanceVersion.objects.create(
        number=9, change_summary_en="Shorter.", change_summary_cy="Byrrach.", status=GuidanceVersion.Status.DRAFT
    )
    Section.objects.bulk_create(
        Section(version=version, principle=principle if fields["order"] == 2 else None, **fields) for fields in SECTIONS
    )
    return publish_version(version=version)


def test_the_known_text_has_the_known_digest():
    # The constants agree with each other: a typo in either would make the tests below meaningless.
    assert hashlib.sha256(KNOWN_TEXT.encode("utf-8")).hexdigest() == KNOWN_SHA256


def test_publishing_hashes_the_principle_text_in_both_languages():
    version = published_with_principle()
    assert version_text(version) == KNOWN_TEXT
    assert version.content_sha256 == KNOWN_SHA256


@pytest.mark.parametrize("field", list(PRINCIPLE))
def test_each_of_the_principle_fields_is_part_of_the_digest(field):
    version = published_with_principle(**{field: PRINCIPLE[field] + " (edited)"})
    assert version.content_sha256 != KNOWN_SHA256
    assert PRINCIPLE[field] + " (edited)" in version_text(version)


def test_editing_the_principle_afterwards_changes_nothing_people_confirmed(client, staff):
    version = published_with_principle()
    Principle.objects.filter(number=3).update(
        name_en="Renamed", name_cy="Ailenwyd", summary_en="A new summary.", summary_cy="Crynodeb newydd."
    )
    version.refresh_from_db()
    assert version_sha256(version) == version.content_sha256 == KNOWN_SHA256
    section = version.sections.get(order=2)
    assert (section.principle_name_cy, section.principle_summary_cy) == (PRINCIPLE["name_cy"], PRINCIPLE["summary_cy"])
    client.force_login(staff)
    welsh = client.get("/cy/canllawiau/egwyddorion/").content.decode()
    assert "Mae cyfrif wedi’i ddwyn yn siarad drosoch chi." in welsh
    assert "Crynodeb newydd." not in welsh and "Ailenwyd" not in welsh
