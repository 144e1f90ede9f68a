"""A database outage in the middle of a delivery (found by `make faults`): a message that has left is recorded as sent
once the database is back, never sent twice; a task cut off before sending is handed over again at once, not left
running for ever with its message locked until the sweep minutes later."""

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from outbox import delivery
from outbox.delivery import claim
from outbox.models import OutgoingEmail
from outbox.worker import release_interrupted

from .test_delivery import queue_one

pytestmark = pytest.mark.django_db


def test_a_sent_message_is_recorded_once_the_database_answers_again(smtp_server, monkeypatch):
    email = queue_one()
    claimed = claim(email.pk)
    real_filter = OutgoingEmail.objects.filter
    failures = {"left": 2}

    def flaky_filter(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(OutgoingEmail.objects, "filter", flaky_filter)
    pauses = []
    delivery.mark_sent(claimed, sleep=pauses.append)
    monkeypatch.setattr(OutgoingEmail.objects, "filter", real_filter)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1 and email.locked_until is None
    assert pauses == [0.2, 0.4]


def test_a_worker_gives_up_recording_after_its_patience_and_leaves_the_message_for_the_sweep(
    smtp_server, monkeypatch, settings
):
    settings.OUTBOX_MARK_SENT_PATIENCE_SECONDS = 1
    email = queue_one()
    claimed = claim(email.pk)
    real_filter = OutgoingEmail.objects.filter

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(OutgoingEmail.objects, "filter", unreachable)
    pauses = []
    clock = iter(range(0, 100, 1))  # each look at the clock is a second later: the patience runs out on the 3rd
    monkeypatch.setattr(delivery.time, "monotonic", lambda: next(clock))
    with pytest.raises(OperationalError):
        delivery.mark_sent(claimed, sleep=pauses.append)
    monkeypatch.setattr(OutgoingEmail.objects, "filter", real_filter)
    assert pauses == [0.2]  # it kept trying while within its patience, then gave up rather than wait for ever
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED


def test_a_delivery_cut_off_by_the_outage_is_handed_over_again_and_sent_once(smtp_server, deliver_outbox):
    email = queue_one()
    task = DBTaskResult.objects.get()
    # As the worker left it when the database went away: the task claimed, the message locked, nothing sent.
    task.claim("worker-1")
    OutgoingEmail.objects.filter(pk=email.pk).update(locked_until=timezone.now() + delivery.lease())
    other = queue_one()
    other_task = DBTaskResult.objects.exclude(pk=task.pk).get()
    other_task.claim("worker-2")  # another worker's, still running: left alone

    assert release_interrupted("worker-1") == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    other_task.refresh_from_db()
    assert other_task.status == TaskResultStatus.RUNNING
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m["Message-ID"] for m in map(_headers, smtp_server.messages)] == [email.message_id]
    assert OutgoingEmail.objects.get(pk=other.pk).status == OutgoingEmail.Status.QUEUED
    assert release_interrupted("worker-1") == 0


def test_a_message_already_sent_is_not_sent_again_when_its_task_is_released(smtp_server, deliver_outbox):
    email = queue_one()
    deliver_outbox()
    task = DBTaskResult.objects.get(task_path__endswith=".deliver_email")
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["worker-1"])
    assert release_interrupted("worker-1") == 1
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


def _headers(message):
    from email import message_from_bytes

    return message_from_bytes(message.original_content)


def test_a_batch_cut_off_by_the_outage_is_handed_over_again_without_what_it_had_sent(smtp_server, deliver_outbox):
    from outbox.tasks import deliver_emails

    emails = [queue_one() for _index in range(3)]
    deliver_outbox()
    # As a batch worker left it: the first message sent, the second claimed (locked) and not sent, the third untouched.
    rest = OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails[1:]])
    rest.update(status=OutgoingEmail.Status.QUEUED, sent_at=None, attempts=0)
    OutgoingEmail.objects.filter(pk=emails[1].pk).update(locked_until=timezone.now() + delivery.lease())
    smtp_server.messages.clear()
    DBTaskResult.objects.all().delete()
    deliver_emails.enqueue(email_ids=[email.pk for email in emails])
    DBTaskResult.objects.get().claim("worker-1")

    assert release_interrupted("worker-1") == 1
    deliver_outbox()
    sent = sorted(_headers(message)["Message-ID"] for message in smtp_server.messages)
    assert sent == sorted(email.message_id for email in emails[1:])
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
