"""The outbox against a real SMTP server on loopback: delivery, retry once it is back, final failure, a stalled server."""

import time
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.services import queue_email

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def queue_one(**overrides):
    person = UserFactory(preferred_language="cy")
    fields = {
        "to": person.email,
        "subject": "Nodyn atgoffa",
        "body": "Annwyl Gwen,\n\nDear Gwen,",
        "kind": OutgoingEmail.Kind.REMINDER,
        "recipient": person,
        "language": "cy",
    } | overrides
    return queue_email(**fields)


def received(server, index=0):
    return message_from_bytes(server.messages[index].original_content)


def test_a_queued_email_is_delivered_with_its_headers(smtp_server, settings, deliver_outbox):
    settings.PORTAL_BASE_URL = "https://social-media.gov.wales"
    email = queue_one(reply_to="hr-team@gov.wales")
    assert smtp_server.messages == []  # nothing leaves inside the caller's request
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    message = received(smtp_server)
    assert message["To"] == email.to_address
    assert str(make_header(decode_header(message["From"]))) == (
        "Llywodraeth Cymru – Canllawiau cyfryngau cymdeithasol <social-media-guidance@gov.wales>"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message["Reply-To"] == "hr-team@gov.wales"
    assert message["Message-ID"] == email.message_id
    assert message["Message-ID"].endswith("@social-media.gov.wales>")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None and email.attempts == 1


def test_no_reply_to_unless_asked(smtp_server, deliver_outbox):
    queue_one()
    deliver_outbox()
    assert received(smtp_server)["Reply-To"] is None


def test_a_subject_never_starts_with_a_space_or_breaks_a_header(smtp_server, deliver_outbox):
    queue_one(subject="  Nodyn atgoffa:\n cwblhewch  ")
    deliver_outbox()
    assert received(smtp_server)["Subject"] == "Nodyn atgoffa: cwblhewch"


def test_an_email_rolled_back_with_its_record_is_never_sent(smtp_server, deliver_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError("the record it belongs to was not saved")
    assert OutgoingEmail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    deliver_outbox()
    assert smtp_server.messages == []


def test_a_mail_outage_is_retried_with_back_off_until_the_server_is_back(smtp_server, deliver_outbox, clock):
    smtp_server.stop()
    email = queue_one()
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    first_wait = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)

    deliver_outbox()  # not due yet: no second attempt straight away
    email.refresh_from_db()
    assert email.attempts == 1

    clock(seconds=31)
    deliver_outbox()
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at - timezone.now() > first_wait  # waits longer each time

    smtp_server.start()
    clock(seconds=121)
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 3
    assert len(smtp_server.messages) == 1  # delivered once, not once per attempt


def test_after_the_last_attempt_it_is_failed_and_hr_can_send_it_again(
    smtp_server, settings, deliver_outbox, clock, client
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.stop()
    email = queue_one()
    deliver_outbox()
    clock(seconds=31)
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 2
    clock(days=2)
    deliver_outbox()
    email.refresh_from_db()
    assert email.attempts == 2  # a failed message is left alone until someone sends it again

    hr = UserFactory(roles=["HR"], is_staff=True)
    client.force_login(hr)
    listing = client.get("/en/admin/outbox/outgoingemail/?status__exact=failed").content.decode()
    assert email.to_address in listing
    assert "Failed" in listing
    detail = client.get(f"/en/admin/outbox/outgoingemail/{email.pk}/change/").content.decode()
    assert "ConnectionRefusedError" in detail

    smtp_server.start()
    response = client.post(
        "/en/admin/outbox/outgoingemail/",
        {"action": "send_again", "_selected_action": [email.pk], "index": 0},
        follow=True,
    )
    assert "1 email queued to send again." in response.content.decode()
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_staff_without_a_role_cannot_see_the_outbox(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/en/admin/outbox/outgoingemail/").status_code == 403


def test_editors_see_failures_and_can_send_them_again(client, smtp_server):
    editor = UserFactory(roles=["Content editors"], is_staff=True)
    assert editor.has_perm("outbox.view_outgoingemail")
    assert editor.has_perm("outbox.retry_outgoingemail")
    assert not editor.has_perm("outbox.change_outgoingemail")
    assert not editor.has_perm("outbox.delete_outgoingemail")


def test_a_stalled_mail_server_times_out_instead_of_hanging(stalled_smtp_server, deliver_outbox):
    email = queue_one()
    started = time.monotonic()
    deliver_outbox()
    # Without the timeout it would wait for ever; the bound is generous so that a busy machine cannot fail it.
    assert time.monotonic() - started < 60
    assert stalled_smtp_server, "the worker did connect"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert "timed out" in email.last_error.lower()


def test_a_message_whose_task_was_lost_is_swept_up(smtp_server, deliver_outbox, clock):
    email = queue_one()
    DBTaskResult.objects.all().delete()  # as if the worker died with the task in hand
    deliver_outbox()
    assert smtp_server.messages == []
    clock(minutes=3)
    deliver_outbox()  # the sweep hands it over again ...
    deliver_outbox()  # ... and the next pass sends it
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-01-15T12:00:00+00:00", "Thu, 15 Jan 2026 12:00:00 +0000"),  # GMT
        ("2026-07-15T12:00:00+00:00", "Wed, 15 Jul 2026 13:00:00 +0100"),  # BST: UK time with its real offset
    ],
)
def test_the_date_header_is_uk_time_with_its_real_offset(monkeypatch, instant, expected):
    from datetime import datetime

    from outbox.delivery import build_message

    email = queue_one()
    monkeypatch.setattr(timezone, "now", lambda: datetime.fromisoformat(instant))
    assert build_message(email).message()["Date"] == expected


def test_a_delivered_email_never_says_its_offset_is_unknown(smtp_server, deliver_outbox):
    queue_one()
    deliver_outbox()
    date = received(smtp_server)["Date"]
    assert date.endswith(("+0000", "+0100")), date


def test_a_single_message_on_a_silent_mail_server_waits_for_its_retry_instead_of_hanging(stalled_smtp_server):
    from outbox.delivery import claim, deliver

    email = queue_one()
    assert deliver(claim(email.pk)) == OutgoingEmail.Status.QUEUED  # its own connection, with the timeout


def test_a_message_is_not_taken_before_its_retry_is_due_and_its_lease_outlasts_a_slow_mail_server(settings):
    from datetime import timedelta

    from django.utils import timezone

    from outbox.delivery import claim

    settings.EMAIL_TIMEOUT = 20
    waiting = queue_one()
    OutgoingEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert claim(waiting.pk) is None
    due = queue_one()
    before = timezone.now()
    claimed = claim(due.pk)
    # Connecting, sending and closing may each take the whole timeout: no other worker takes it meanwhile.
    assert claimed.locked_until >= before + timedelta(seconds=3 * 20)
