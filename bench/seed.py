"""Builds the benchmark's databases: by default 6,000 staff in 40 departments, 3 cycles, about 80% completion."""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessments.content import load_questions
from assessments.models import Acknowledgement, Attempt, AttemptQuestion, Option, Question, new_reference
from cycles.models import Cycle
from directory.models import Department
from guidance.content import load_guidance
from portal.models import User

PASSWORD = make_password("bench-password")


@transaction.atomic
def seed(
    *, staff: int = 6000, departments: int = 40, cycles: int = 3, completion: float = 0.8, seed_value: int = 7
) -> dict:
    rng = random.Random(seed_value)
    version = load_guidance()
    load_questions()
    if User.objects.filter(username__startswith="bench").exists():
        return counts()
    depts = Department.objects.bulk_create(
        Department(code=f"B{n:02d}", name_en=f"Directorate {n}", name_cy=f"Cyfarwyddiaeth {n}")
        for n in range(departments)
    )
    users = User.objects.bulk_create(
        (
            User(
                username=f"bench{n:05d}",
                staff_number=f"B{n:05d}",
                first_name=f"Person{n}",
                last_name=f"Staff{n % 997}",
                email=f"bench{n:05d}@example.gov.wales",
                department=depts[n % departments],
                preferred_language="cy" if n % 5 == 0 else "en",
                password=PASSWORD,
            )
            for n in range(staff)
        ),
        batch_size=5000,
    )
    today = timezone.localdate()
    cycle_rows = []
    for back in range(cycles - 1, -1, -1):
        start = date(today.year - back - (0 if today.month >= 4 else 1), 4, 1)
        cycle_rows.append(
            Cycle.objects.create(
                name=f"{start.year}–{str(start.year + 1)[-2:]}",
                opens_on=start,
                due_on=start + timedelta(days=364),
                is_current=back == 0,
            )
        )
    questions = {}
    for question in Question.objects.filter(is_active=True):
        questions.setdefault(question.principle_id, []).append(question)
    options = {}
    for option in Option.objects.all():
        options.setdefault(option.question_id, []).append(option)
    for cycle in cycle_rows:
        for first in range(0, len(users), CHUNK):  # in chunks, so 60,000 people fit in memory
            _seed_cycle(rng, cycle, users[first : first + CHUNK], version, questions, options, completion)
    return counts()


CHUNK = 2000


def _seed_cycle(rng, cycle, users, version, questions, options, completion) -> None:
    """Attempts (one or two), their answers and, for about `completion` of the people, an acknowledgement."""
    attempts, answers_for, acknowledgements = [], [], []
    for user in users:
        completes = rng.random() < completion
        tries = 1 if not completes else rng.choice([1, 1, 2])
        for attempt_number in range(tries):
            passed = completes and attempt_number == tries - 1
            attempt = Attempt(
                user=user,
                cycle=cycle,
                status=Attempt.Status.SUBMITTED,
                language=user.preferred_language,
                started_at=timezone.now(),
                submitted_at=timezone.now(),
                score=6 if passed else rng.randint(1, 4),
                total=6,
                passed=passed,
                is_first=attempt_number == 0,
            )
            attempts.append(attempt)
            drawn = [rng.choice(group) for group in questions.values()]
            answers_for.append((attempt, drawn, passed))
        if completes:
            acknowledgements.append((user, attempts[-1]))
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    rows = []
    for attempt, drawn, passed in answers_for:
        for position, question in enumerate(drawn, start=1):
            choices = options[question.pk]
            chosen = next(o for o in choices if o.is_correct) if passed or rng.random() < 0.6 else rng.choice(choices)
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    question=question,
                    position=position,
                    option_order=[o.pk for o in choices],
                    chosen_option=chosen,
                    is_correct=chosen.is_correct,
                    answered_at=timezone.now(),
                )
            )
    AttemptQuestion.objects.bulk_create(rows, batch_size=5000)
    Acknowledgement.objects.bulk_create(
        (
            Acknowledgement(
                user=user,
                cycle=cycle,
                guidance_version=version,
                attempt=attempt,
                reference=new_reference(),
                language=user.preferred_language,
                content_sha256=version.content_sha256,
            )
            for user, attempt in acknowledgements
        ),
        batch_size=2000,
    )


def counts() -> dict:
    return {
        "staff": User.objects.filter(username__startswith="bench").count(),
        "departments": Department.objects.filter(code__startswith="B").count(),
        "cycles": Cycle.objects.count(),
        "attempts": Attempt.objects.count(),
        "acknowledgements": Acknowledgement.objects.count(),
    }


@transaction.atomic
def seed_report_rows(*, rows: int, seed_value: int = 11) -> None:
    """People for the 100,000-row report measurement (in its own database)."""
    rng = random.Random(seed_value)
    version = load_guidance()
    load_questions()
    department = Department.objects.create(code="R", name_en="Reports", name_cy="Adroddiadau")
    cycle = Cycle.objects.create(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2027, 3, 31), is_current=True)
    users = User.objects.bulk_create(
        (
            User(
                username=f"r{n:06d}",
                staff_number=f"R{n:06d}",
                first_name=f"=Name{n}" if n % 1000 == 0 else f"Name{n}",
                last_name=f"Surname{n}",
                email=f"r{n:06d}@example.gov.wales",
                department=department,
                password="!",
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )
    attempts = Attempt.objects.bulk_create(
        (
            Attempt(
                user=user,
                cycle=cycle,
                status="submitted",
                score=6,
                total=6,
                passed=True,
                is_first=True,
                submitted_at=timezone.now(),
            )
            for user in users
            if rng.random() < 0.8
        ),
        batch_size=5000,
    )
    Acknowledgement.objects.bulk_create(
        (
            Acknowledgement(
                user_id=attempt.user_id,
                cycle=cycle,
                guidance_version=version,
                attempt=attempt,
                reference=new_reference(),
                language="en",
                content_sha256=version.content_sha256,
            )
            for attempt in attempts
        ),
        batch_size=5000,
    )
