"""The SHA-256 an acknowledgement stores is taken over the exact text of both languages: a fixed, known value for a
known text, and a different one whenever any word of either language changes."""

import pytest

from assessments.services import start_attempt, submit_attempt
from guidance.models import GuidanceVersion, Section, version_sha256
from guidance.services import publish_version

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db

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
# Worked out once from the text above and written down: if this changes, every stored acknowledgement's
# fingerprint stops matching its version, so the way text is hashed must never change by accident.
KNOWN_SHA256 = "5adc43f623a9451a1c05c80bc042e90823431ebebbdb82f6402ad5b305acfcc7"
TEXT_FIELDS = ("title_en", "title_cy", "body_en", "body_cy")


def known_version(number: int = 9, sections=SECTIONS) -> GuidanceVersion:
    version = GuidanceVersion.objects.create(
        number=number, change_summary_en="Shorter.", change_summary_cy="Byrrach.", status=GuidanceVersion.Status.DRAFT
    )
    Section.objects.bulk_create(Section(version=version, **fields) for fields in sections)
    return version


def test_a_known_text_has_a_known_fingerprint():
    assert version_sha256(known_version()) == KNOWN_SHA256


def test_publishing_and_confirming_store_that_fingerprint(cycle, small_bank):
    version = publish_version(version=known_version())
    assert version.content_sha256 == KNOWN_SHA256
    person = UserFactory()
    attempt = start_attempt(user=person, cycle=cycle, language="cy")
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language="cy")
    record, _created = acknowledge_after_reading(user=person, cycle=cycle, version=version, language="cy")
    assert record.content_sha256 == KNOWN_SHA256


def _every_word():
    for index, section in enumerate(SECTIONS):
        for field in TEXT_FIELDS:
            for position, _word in enumerate(section[field].split()):
                yield index, field, position


@pytest.mark.parametrize(("index", "field", "position"), list(_every_word()))
def test_changing_any_word_of_either_language_changes_the_fingerprint(index, field, position):
    version = known_version()
    unchanged = version_sha256(version)
    words = SECTIONS[index][field].split()
    words[position] = words[position] + "x"
    Section.objects.filter(version=version, order=SECTIONS[index]["order"]).update(**{field: " ".join(words)})
    assert version_sha256(version) != unchanged
