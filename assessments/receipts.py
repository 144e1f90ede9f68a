"""The receipt email after a declaration: the person's preferred language first, the other language below."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import override

from .models import Acknowledgement

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


def send_receipt(*, acknowledgement_id: int) -> None:
    record = Acknowledgement.objects.select_related("user", "cycle", "guidance_version").get(pk=acknowledgement_id)
    if not record.user.email:
        return
    subject, body = render_bilingual(
        "assessments/email/receipt.txt",
        {"record": record, "person": record.user, "base_url": settings.PORTAL_BASE_URL},
        language=record.user.preferred_language,
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [record.user.email])
