from datetime import date, datetime, time

import pytest
from django.utils import timezone

from assessments.models import Acknowledgement, Attempt, AttemptQuestion
from assessments.services import start_attempt, submit_attempt

from ..assessments.test_quiz import answer_all
from ..factories import DepartmentFactory, UserFactory, acknowledge_after_reading


def complete(person, cycle, version, *, correct=6):
    attempt = start_attempt(user=person, cycle=cycle, language=person.preferred_language)
    answer_all(attempt, person, correct=correct)
    submit_attempt(user=person, attempt_id=attempt.pk, language=person.preferred_language)
    if correct >= 5:
        acknowledge_after_reading(user=person, cycle=cycle, version=version, language=person.preferred_language)


@pytest.fixture
def workforce(content, cycle):
    """Two departments: 6 people in EDU (3 completed, 1 passed only, 1 in progress, 1 not started); 2 in HSS."""
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    health = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    people = [UserFactory(department=education) for _index in range(6)] + [
        UserFactory(department=health) for _index in range(2)
    ]
    for person in people[:3]:
        complete(person, cycle, content)
    attempt = start_attempt(user=people[3], cycle=cycle, language="en")
    answer_all(attempt, people[3], correct=6)
    submit_attempt(user=people[3], attempt_id=attempt.pk, language="en")
    start_attempt(user=people[4], cycle=cycle, language="en")
    complete(people[6], cycle, content, correct=2)
    return people


__all__ = ["Attempt", "AttemptQuestion", "complete"]


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
