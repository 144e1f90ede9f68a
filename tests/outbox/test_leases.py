"""A message being sent belongs to one worker until its lease runs out; a failure is recorded whole; a mail server
that hangs up mid-batch costs one message an attempt, not the rest of the batch."""

import pytest
from django.db import DatabaseError, connection
from django_tasks_db.models import DBTaskResult

from outbox import delivery
from outbox.jobs import SWEEP_GRACE, sweep_outbox
from outbox.models import OutgoingEmail
from outbox.services import queue_emails

from .test_batches import messages
from .test_delivery import queue_one

pytestmark = pytest.mark.django_db


def tasks_for(email) -> int:
    return sum(
        email.pk in (result.args_kwargs["kwargs"].get("email_ids") or [result.args_kwargs["kwargs"].get("email_id")])
        for result in DBTaskResult.objects.all()
    )


def test_a_message_another_worker_holds_cannot_be_claimed_until_its_lease_runs_out(smtp_server, clock):
    email = queue_one()
    assert delivery.claim(email.pk) is not None  # worker A has it, and is talking to the mail server
    assert delivery.claim(email.pk) is None  # worker B (its task handed over twice) leaves it alone
    clock(seconds=delivery.lease().total_seconds() - 1)
    assert delivery.claim(email.pk) is None
    clock(seconds=2)  # worker A died mid-send: the lease runs out and another worker may send it
    claimed = delivery.claim(email.pk)
    assert claimed is not None
    delivery.deliver(claimed)
    assert delivery.claim(email.pk) is None  # sent: nobody claims it again
    assert len(smtp_server.messages) == 1


def test_the_sweep_leaves_a_message_being_sent_alone_and_picks_it_up_once_its_lease_runs_out(clock):
    email = queue_one()
    before = tasks_for(email)
    clock(seconds=SWEEP_GRACE.total_seconds() + 1)  # long queued by now (a busy worker) ...
    assert delivery.claim(email.pk) is not None  # ... and a worker has just started sending it
    assert sweep_outbox() == 0
    assert tasks_for(email) == before
    clock(seconds=delivery.lease().total_seconds())  # that worker died: the lease has run out
    assert sweep_outbox() == 1
    assert tasks_for(email) == before + 1


def test_a_mail_server_that_hangs_up_mid_batch_costs_one_message_not_the_rest(smtp_server, deliver_outbox):
    batch = messages(6)
    smtp_server.handler.hang_up_on.add(batch[2]["to"])
    queue_emails(messages=batch)
    deliver_outbox()
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_server.messages) == sorted(
        message["to"] for index, message in enumerate(batch) if index != 2
    )
    cut_off = OutgoingEmail.objects.get(to_address=batch[2]["to"])
    assert (cut_off.status, cut_off.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 5


@pytest.fixture
def task_table_refusing_writes():
    """The task table refuses new rows (a full disk, a failing database), as a trigger in the database itself."""
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_task() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'no room for tasks'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse_task BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION test_refuse_task()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse_task BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'no room'); END"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER test_refuse_task{' ON ' + table if connection.vendor == 'postgresql' else ''}")


@pytest.mark.django_db(transaction=True)  # as the worker runs: no test transaction around the delivery
def test_a_failure_is_recorded_with_its_retry_or_not_at_all(smtp_server, request):
    email = queue_one()
    smtp_server.stop()  # the mail server is down: the attempt fails and a retry must be scheduled
    claimed = delivery.claim(email.pk)
    request.getfixturevalue("task_table_refusing_writes")
    with pytest.raises(DatabaseError):
        delivery.deliver(claimed)
    email.refresh_from_db()
    # The retry could not be scheduled, so the attempt is not counted either: the message is still the leased one
    # the sweep will hand over again, not one waiting for a retry that no task will ever make.
    assert (email.attempts, email.last_error, email.locked_until) == (0, "", claimed.locked_until)
