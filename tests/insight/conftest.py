from datetime import date, datetime, time

import pytest
from django.utils import timezone

from assessments.models import Acknowledgement, Attempt


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def declare(person, cycle, version, *, on: date) -> Acknowledgement:
    """A passed attempt and a declaration made on a given day (the services always use the current time)."""
    attempt = Attempt.objects.create(
        user=person,
        cycle=cycle,
        status=Attempt.Status.SUBMITTED,
        language=person.preferred_language,
        started_at=at(on, 9),
        submitted_at=at(on, 9),
        score=6,
        total=6,
        passed=True,
        is_first=not Attempt.objects.filter(user=person, cycle=cycle).exists(),
    )
    return Acknowledgement.objects.create(
        user=person,
        cycle=cycle,
        guidance_version=version,
        attempt=attempt,
        language=person.preferred_language,
        content_sha256=version.content_sha256,
        created_at=at(on),
    )


@pytest.fixture
def today():
    return timezone.localdate()
