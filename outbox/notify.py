"""Delivery through GOV.UK Notify (django-gov-notify) when GOVUK_NOTIFY_API_KEY is set, with the outbox's timeout.

Notify sends from the service's own address and name and adds its own headers; the subject and text go into the
plain template named by GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID (subject `((subject))`, body `((body))`).
"""

from django.conf import settings
from django_gov_notify.backends import NotifyEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyBackend(NotifyEmailBackend):
    client: NotificationsAPIClient | None

    def __init__(self, *args, timeout=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout or settings.EMAIL_TIMEOUT

    def open(self):
        if self.client is None:
            self.client = NotificationsAPIClient(
                self.api_key, base_url=settings.GOVUK_NOTIFY_BASE_URL, timeout=self.timeout
            )
