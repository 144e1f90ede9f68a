"""Writes to the outbox. Each runs in the caller's transaction: the message exists exactly when the record it is about
does, and the worker delivers it after commit (see `tasks.deliver_email`)."""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail


def message_domain() -> str:
    """Message-IDs are on the portal's own domain, so replies and bounces can be traced back to it."""
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def _one_line(text: str) -> str:
    # A header cannot hold a line break, and a subject that starts with a space looks broken in a mail client.
    return " ".join(str(text).split())


# The schedule's run hands the worker this many messages per task, which it sends over one connection.
DELIVERY_BATCH = 50


def _new_email(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    recipient=None,
    language: str = "en",
    sent_by=None,
    reply_to: str | None = None,
    about: str = "",
) -> OutgoingEmail:
    return OutgoingEmail(
        recipient=recipient,
        to_address=to.strip(),
        reply_to=(reply_to or "").strip(),
        subject=_one_line(subject)[:255],
        body=body,
        language=language,
        kind=kind,
        sent_by=sent_by,
        about=about,
        message_id=make_msgid(domain=message_domain()),
    )


@transaction.atomic
def queue_email(**message) -> OutgoingEmail:
    """Put one message in the outbox and hand it to the worker, inside the current transaction. The fields are
    ``to``, ``subject``, ``body`` and ``kind``, and optionally ``recipient``, ``language``, ``sent_by``, ``reply_to``
    and ``about``."""
    from .tasks import deliver_email

    email = _new_email(**message)
    email.save()
    deliver_email.enqueue(email_id=email.pk)
    return email


@transaction.atomic
def queue_emails(*, messages: list[dict]) -> list[OutgoingEmail]:
    """Many messages at once (the reminder schedule's run), each with the fields of ``queue_email``: one insert, and
    one delivery task for each ``DELIVERY_BATCH`` of them."""
    from .tasks import deliver_emails

    emails = OutgoingEmail.objects.bulk_create([_new_email(**message) for message in messages])
    for start in range(0, len(emails), DELIVERY_BATCH):
        deliver_emails.enqueue(email_ids=[email.pk for email in emails[start : start + DELIVERY_BATCH]])
    return emails


@transaction.atomic
def retry_email(*, email: OutgoingEmail) -> bool:
    """Send a failed message again, with a fresh set of attempts. Returns False if it was not failed."""
    from .tasks import deliver_email

    now = timezone.now()
    updated = OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.FAILED).update(
        status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now, locked_until=None
    )
    if updated:
        deliver_email.enqueue(email_id=email.pk)
    return bool(updated)
