"""Only a quiz answer commits without waiting for the disk (PostgreSQL); a declaration always waits."""

import pytest
from django.db import connection, transaction

from assessments.services import record_answer, start_attempt, submit_attempt

from ..factories import acknowledge_after_reading
from .test_quiz import answer_all

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"),
]


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_an_answer_skips_the_wait_for_its_own_transaction_only(staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    first = attempt.answers.order_by("position").first()
    with transaction.atomic():
        record_answer(user=staff, attempt_id=attempt.pk, position=1, option_id=first.option_order[0])
        assert synchronous_commit() == "off"
    assert synchronous_commit() == "on"
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    with transaction.atomic():
        acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
        assert synchronous_commit() == "on"  # the evidence waits for the disk
