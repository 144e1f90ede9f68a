"""The circuit breaker in front of Redis, with real threads (Django gives each thread its own cache client, all behind
one breaker per server): after a failure every caller skips Redis; once the pause is over exactly one caller tries it
(half-open) while the others keep skipping, and its answer closes or re-opens the breaker for everyone."""

import threading

import pytest

from portal.cache import Breaker

THREADS = 16


@pytest.fixture
def clock():
    return [1000.0]


@pytest.fixture
def breaker(clock, settings):
    settings.CACHE_RETRY_SECONDS = 1
    return Breaker(clock=lambda: clock[0])


def at_once(function) -> list:
    """Call `function` from THREADS threads released together; their results."""
    start = threading.Barrier(THREADS)
    results = []

    def call():
        start.wait()
        results.append(function())

    threads = [threading.Thread(target=call) for _index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_closed_breaker_lets_every_thread_through(breaker):
    assert at_once(breaker.allow) == [True] * THREADS


def test_after_a_failure_every_thread_skips_redis_until_the_pause_is_over(breaker, clock):
    breaker.failed()
    assert breaker.is_open
    clock[0] += 0.9
    assert at_once(breaker.allow) == [False] * THREADS


def test_after_the_pause_one_thread_tries_redis_and_the_others_keep_skipping(breaker, clock):
    breaker.failed()
    clock[0] += 1.5
    assert sorted(at_once(breaker.allow)) == [False] * (THREADS - 1) + [True]
    # It is still hung: the one that tried fails, and everyone skips for another pause.
    breaker.failed()
    assert at_once(breaker.allow) == [False] * THREADS
    clock[0] += 1.5
    assert sorted(at_once(breaker.allow)) == [False] * (THREADS - 1) + [True]
    # This time Redis answers: the breaker closes for everyone.
    breaker.succeeded()
    assert not breaker.is_open
    assert at_once(breaker.allow) == [True] * THREADS


def test_a_trial_that_never_reports_back_is_retried_after_another_pause(breaker, clock):
    breaker.failed()
    clock[0] += 1.5
    assert at_once(breaker.allow).count(True) == 1
    clock[0] += 1.5  # the trial call hung past the pause: one more caller may try, still not all of them
    assert at_once(breaker.allow).count(True) == 1
