"""Nothing lost under concurrency (on PostgreSQL, where requests really run side by side)."""

import threading

import pytest
from django.db import connection, connections

from assessments.models import Attempt
from assessments.services import start_attempt, submit_attempt

from .assessments.test_quiz import answer_all
from .factories import CycleFactory, UserFactory

pytestmark = [
    #SKIP
    pytest.mark.django_db(transaction=True),
]


def run_together(count, action):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(action())
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_concurrent_submissions_of_one_attempt_score_it_once(content):
    staff = UserFactory()
    cycle = CycleFactory(is_current=True)
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    results, errors = run_together(20, lambda: submit_attempt(user=staff, attempt_id=attempt.pk, language="en"))
    assert errors == []
    assert {(result.score, result.submitted_at) for result in results} == {(6, results[0].submitted_at)}
    assert Attempt.objects.get(pk=attempt.pk).is_first is True


def test_concurrent_starts_open_one_attempt(content):
    staff = UserFactory()
    cycle = CycleFactory(is_current=True)
    results, errors = run_together(10, lambda: start_attempt(user=staff, cycle=cycle, language="en").pk)
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(user=staff).count() == 1
