"""The schedule's run queues many emails at once: one delivery task per batch, sent over one connection, against the
real SMTP server on loopback."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.services import DELIVERY_BATCH, queue_emails

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def messages(count: int) -> list[dict]:
    people = [UserFactory(email=f"person{n}@gov.wales") for n in range(count)]
    return [
        {"to": person.email, "subject": "Reminder", "body": "Dear colleague", "kind": "reminder", "recipient": person}
        for person in people
    ]


def test_a_batch_is_delivered_over_one_connection(smtp_server, deliver_outbox):
    count = 2 * DELIVERY_BATCH + 3
    queued = queue_emails(messages=messages(count))
    assert len(queued) == count and len({email.message_id for email in queued}) == count
    deliver_outbox()
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_server.messages) == sorted(e.to_address for e in queued)
    assert len(set(smtp_server.peers)) == 3  # three tasks, one connection each: not one per message
    assert smtp_server.handler.goodbyes == 3  # and each closed when its batch is done, not left open
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_a_refused_message_is_retried_later_and_the_rest_of_its_batch_still_goes(smtp_server, deliver_outbox):
    batch = messages(5)
    smtp_server.handler.refused.add(batch[2]["to"])
    queue_emails(messages=batch)
    deliver_outbox()
    assert len(smtp_server.messages) == 4
    refused = OutgoingEmail.objects.get(to_address=batch[2]["to"])
    assert refused.status == OutgoingEmail.Status.QUEUED  # waiting for its next attempt, not lost
    assert refused.attempts == 1 and "550" in refused.last_error
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 4
    # After the refusal the connection is closed and one fresh connection carries the rest of the batch.
    assert len(set(smtp_server.peers)) == 2 and smtp_server.handler.goodbyes == 2


def test_a_message_already_sent_does_not_hold_up_the_rest_of_its_batch(smtp_server):
    from outbox.delivery import deliver_batch

    queued = queue_emails(messages=messages(4))
    OutgoingEmail.objects.filter(pk__in=[queued[0].pk, queued[2].pk]).update(status=OutgoingEmail.Status.SENT)
    assert deliver_batch([email.pk for email in queued]) == {"skipped": 2, "sent": 2}
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_server.messages) == [
        queued[1].to_address,
        queued[3].to_address,
    ]


def test_a_batch_against_a_mail_server_that_never_answers_gives_up_on_each_message_in_time(stalled_smtp_server):
    from outbox.delivery import deliver_batch

    queued = queue_emails(messages=messages(2))
    assert deliver_batch([email.pk for email in queued]) == {"queued": 2}  # each waits for its retry
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, attempts=1).count() == 2


def test_with_the_mail_server_down_nothing_is_lost(smtp_server, deliver_outbox):
    smtp_server.stop()
    queue_emails(messages=messages(3))
    deliver_outbox()
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, attempts=1).count() == 3
    smtp_server.start()
    now = timezone.now()  # their retries are due now
    OutgoingEmail.objects.update(next_attempt_at=now)
    DBTaskResult.objects.filter(run_after__gt=now).update(run_after=now)
    deliver_outbox()
    assert len(smtp_server.messages) == 3
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 3
