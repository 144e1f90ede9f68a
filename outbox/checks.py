"""`check --deploy` warnings for settings without which email silently goes nowhere or links point nowhere."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

NOWHERE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.compatibility, deploy=True)
def check_email_is_delivered(app_configs=None, **kwargs):
    if settings.DEBUG or settings.EMAIL_BACKEND not in NOWHERE_BACKENDS:
        return []
    return [
        Warning(
            "Email is not configured: receipts and reminders would only be written to the log.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) for SMTP, or "
            "GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID for GOV.UK Notify.",
            id="outbox.W001",
        )
    ]


@register(Tags.compatibility, deploy=True)
def check_base_url(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    address = urlsplit(settings.PORTAL_BASE_URL)
    if address.scheme == "https" and address.hostname not in (None, "localhost", "127.0.0.1", "::1"):
        return []
    return [
        Warning(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL!r}: links in emails would not reach the portal.",
            hint="Set PORTAL_BASE_URL to the address people use, e.g. https://social-media-guidance.gov.wales",
            id="outbox.W002",
        )
    ]
