"""The receipt email after a declaration: the person's preferred language first, the other language below."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override

from cycles.selectors import own_due_date
from outbox.models import OutgoingEmail
from outbox.services import queue_email

OTHER = {"en": "cy", "cy": "en"}


def render_bilingual(template: str, context: dict, *, language: str) -> tuple[str, str]:
    """Subject in the first language; body in the first language, then the other below a rule."""
    parts = []
    subject = ""
    for code in (language, OTHER[language]):
        with override(code):
            text = render_to_string(template, context).strip()
        first_line, _separator, body = text.partition("\n")
        if not subject:
            subject = first_line.strip()
        parts.append(body.strip())
    return subject, "\n\n----------------------------------------\n\n".join(parts)


def queue_receipt(*, record) -> OutgoingEmail | None:
    """Put the receipt in the outbox, in the declaration's own transaction. None when we have no address."""
    if not record.user.email:
        return None
    language = record.user.preferred_language
    subject, body = render_bilingual(
        "assessments/email/receipt.txt",
        {
            "record": record,
            "person": record.user,
            "due_date": own_due_date(person=record.user, cycle=record.cycle),
            "base_url": settings.PORTAL_BASE_URL,
        },
        language=language,
    )
    return queue_email(
        to=record.user.email,
        subject=subject,
        body=body,
        kind=OutgoingEmail.Kind.RECEIPT,
        recipient=record.user,
        language=language,
        about=record.reference,
    )


def receipt_for(record) -> OutgoingEmail | None:
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.RECEIPT, about=record.reference).first()
