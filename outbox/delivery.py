"""Turning an outbox row into a real message and handing it to the mail server, with a timeout on the connection."""

import contextlib
import logging
import time
from collections import Counter
from datetime import timedelta
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, close_old_connections, transaction
from django.db import connection as database
from django.utils import timezone
from django.utils.translation import gettext, override

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Headers that stop out-of-office and other automatic replies (RFC 3834; Exchange's own header).
AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def sender(language: str) -> str:
    from email.utils import formataddr

    with override(language):
        name = gettext("Welsh Government – Social media guidance")
    return formataddr((name, settings.DEFAULT_FROM_EMAIL))


def build_message(email: OutgoingEmail, *, connection=None) -> EmailMessage:
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=sender(email.language),
        to=[email.to_address],
        reply_to=[email.reply_to] if email.reply_to else None,
        # UK time with its real offset (+0000 or +0100); Django's default writes -0000, "offset unknown" (RFC 5322).
        headers={**AUTOMATIC_HEADERS, "Message-ID": email.message_id, "Date": format_datetime(timezone.localtime())},
        connection=connection,
    )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts (the last delay repeats)."""
    delays = settings.OUTBOX_RETRY_DELAYS
    return timedelta(seconds=delays[min(attempts, len(delays)) - 1])


def lease() -> timedelta:
    return timedelta(seconds=3 * settings.EMAIL_TIMEOUT + 30)


def claim(email_id: int) -> OutgoingEmail | None:
    """Take a due message for this worker alone; None when it is sent, failed, not due or another worker has it."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
        .exclude(locked_until__gt=now)
        .update(locked_until=now + lease())
    )
    return OutgoingEmail.objects.get(pk=email_id) if claimed else None


def deliver(email: OutgoingEmail, *, connection=None) -> str:
    """Send one claimed message and record the outcome; a failure schedules the next attempt or gives up. Without a
    ``connection`` it opens (and closes) one of its own."""
    try:
        connection = connection or get_connection(timeout=settings.EMAIL_TIMEOUT)
        build_message(email, connection=connection).send()
    except Exception as error:  # any failure of the mail server or network: record it and try again later
        return record_failure(email, error)
    mark_sent(email)
    return OutgoingEmail.Status.SENT


def mark_sent(email: OutgoingEmail, *, sleep=time.sleep) -> None:
    """Record that the mail server has the message. The message has left, so if the database is unreachable just now
    keep trying (the sent_at of the moment it left): giving up would leave it queued, to be sent a second time."""
    sent_at = timezone.now()
    deadline = time.monotonic() + settings.OUTBOX_MARK_SENT_PATIENCE_SECONDS
    delay = 0.2
    while True:
        try:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.SENT, sent_at=sent_at, attempts=email.attempts + 1, locked_until=None
            )
            return
        except DatabaseError as error:
            if time.monotonic() > deadline:
                raise
            if delay == 0.2:
                logger.warning("Email %s was sent but the database is unreachable; recording it when it is back: %s",
                               email.pk, error)  # fmt: skip
            if not database.in_atomic_block:
                close_old_connections()  # drop the broken connection; the next query opens a new one
            sleep(delay)
            delay = min(delay * 2, 2.0)


def deliver_batch(email_ids: list[int]) -> dict[str, int]:
    """Each message of a batch that this worker can claim, over one connection kept open for the batch (6,000
    reminders are 120 connections, not 6,000). After a failure the next message opens a fresh connection, so one
    bad moment costs that message an attempt, not the rest of the batch."""
    outcomes: Counter[str] = Counter()
    connection = None
    try:
        for email_id in email_ids:
            email = claim(email_id)
            if email is None:
                outcomes["skipped"] += 1
                continue
            if connection is None:
                connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
                try:
                    connection.open()
                except Exception as error:  # the mail server is unreachable: this message waits for its retry
                    outcomes[record_failure(email, error)] += 1
                    connection = None
                    continue
            outcome = deliver(email, connection=connection)
            outcomes[outcome] += 1
            if outcome != OutgoingEmail.Status.SENT:
                _close(connection)
                connection = None
    finally:
        if connection is not None:
            _close(connection)
    return dict(outcomes)


def _close(connection) -> None:
    with contextlib.suppress(Exception):  # a connection that already broke has nothing left to close
        connection.close()


@transaction.atomic
def record_failure(email: OutgoingEmail, error: Exception) -> str:
    from .tasks import deliver_email

    attempts = email.attempts + 1
    detail = f"{type(error).__name__}: {error}"[:2000]
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED, attempts=attempts, last_error=detail, locked_until=None
        )
        logger.error("Email %s to %s failed after %s attempts: %s", email.pk, email.to_address, attempts, detail)
        return OutgoingEmail.Status.FAILED
    next_attempt = timezone.now() + retry_delay(attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=attempts, last_error=detail, next_attempt_at=next_attempt, locked_until=None
    )
    deliver_email.using(run_after=next_attempt).enqueue(email_id=email.pk)
    logger.warning(
        "Email %s to %s not sent (attempt %s), trying again at %s: %s",
        email.pk,
        email.to_address,
        attempts,
        next_attempt.isoformat(timespec="seconds"),
        detail,
    )
    return OutgoingEmail.Status.QUEUED
