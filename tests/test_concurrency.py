"""Nothing lost or doubled under concurrency: requests, workers and the schedule really run side by side in threads, on
SQLite (a file, with production's WAL and BEGIN IMMEDIATE) and on PostgreSQL."""

import threading
import time
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import start_attempt, submit_attempt

from .assessments.test_quiz import answer_all
from .factories import CycleFactory, UserFactory

pytestmark = [
    # SKIP
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


# Two senders at the same moment ------------------------------------------------------------------------------------
#
# Each thread pauses at the database boundary just before it writes an email into the outbox, until the other thread
# has either reached the same point (both decided to send: two emails), finished, or is waiting for a lock this one
# holds. That last is a fact the database reports (PostgreSQL: pg_blocking_pids; SQLite: the other is inside its
# BEGIN IMMEDIATE while this one's transaction holds the write lock), so the interleaving is forced, not hoped for.


class Sender:
    def __init__(self, name):
        self.name = name
        self.inserting = threading.Event()
        self.done = threading.Event()
        self.in_begin = False
        self.pid = None


def _blocked(sender) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [sender.pid])
            return cursor.fetchone()[0]
    return sender.in_begin


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + 120  # only so that a broken test fails instead of hanging
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.01)


def _gate(me, other, execute, sql, params, many, context):
    statement = sql.lstrip().upper()
    if statement.startswith("BEGIN"):
        me.in_begin = True
        try:
            return execute(sql, params, many, context)
        finally:
            me.in_begin = False
    if statement.startswith('INSERT INTO "OUTBOX_OUTGOINGEMAIL"'):
        me.inserting.set()
        _wait_until(lambda: other.inserting.is_set() or other.done.is_set() or _blocked(other), other.name)
    return execute(sql, params, many, context)


def race(first: tuple, second: tuple):
    """Run ``first`` and ``second`` (each ``(name, action)``) in two threads, the second starting once the first is
    about to write its email (or has finished without one)."""
    senders = {name: Sender(name) for name, _action in (first, second)}
    results, errors = {}, []

    def run(name, action, other_name, after=None):
        me, other = senders[name], senders[other_name]
        try:
            connection.ensure_connection()
            if connection.vendor == "postgresql":
                me.pid = connection.connection.info.backend_pid
            if after is not None:
                _wait_until(lambda: after.inserting.is_set() or after.done.is_set(), after.name)
            with connection.execute_wrapper(partial(_gate, me, other)):
                results[name] = action()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(error)
        finally:
            me.done.set()
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(first[0], first[1], second[0])),
        threading.Thread(target=run, args=(second[0], second[1], first[0], senders[first[0]])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.parametrize("first", ["chase", "schedule"])
def test_a_chase_and_the_scheduled_run_at_the_same_moment_send_one_email(first):
    from outbox.models import OutgoingEmail
    from reporting.chasing import send_chases
    from reporting.reminders import DAILY_KINDS, send_for_day

    today = timezone.localdate()
    cycle = CycleFactory(is_current=True, opens_on=today - timedelta(days=60), due_on=today - timedelta(days=3))
    hr = UserFactory(staff_number=None, roles=["HR"])
    late = UserFactory()
    senders = {
        "chase": lambda: send_chases(cycle=cycle, people=type(late).objects.filter(pk=late.pk), sent_by=hr),
        "schedule": lambda: send_for_day(cycle=cycle),
    }
    second = "schedule" if first == "chase" else "chase"
    results, errors = race((first, senders[first]), (second, senders[second]))
    assert errors == []
    assert OutgoingEmail.objects.filter(recipient=late, kind__in=DAILY_KINDS).count() == 1
    chased = results["chase"]
    assert len(chased.sent) + len(chased.skipped) == 1  # either sent, or told "already sent an email today"


def test_two_workers_handed_the_same_message_send_it_once():
    from outbox.models import OutgoingEmail
    from outbox.services import queue_email
    from outbox.tasks import deliver_email

    from .outbox.conftest import SMTPServer

    workers = 4
    server = SMTPServer()
    claimed = []

    def count_claims(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith('UPDATE "OUTBOX_OUTGOINGEMAIL"') and threading.get_ident() not in claimed:
            claimed.append(threading.get_ident())  # this worker's claim has been decided
        return result

    # The mail server accepts nothing until every worker has tried its claim, so a second claim that succeeds
    # cannot hide behind the first message being sent already.
    server.handler.before_accepting = lambda: _wait_until(lambda: len(claimed) == workers, "every claim")
    server.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port, EMAIL_USE_TLS=False, EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=150,
        ):  # fmt: skip
            email = queue_email(to="someone@example.gov.wales", subject="Once", body="Hello", kind="receipt")

            def worker():
                with connection.execute_wrapper(count_claims):
                    return deliver_email.call(email_id=email.pk)

            results, errors = run_together(workers, worker)
    finally:
        server.stop()
    assert errors == []
    assert sorted(results) == ["sent"] + ["skipped"] * (workers - 1)
    assert len(server.messages) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
