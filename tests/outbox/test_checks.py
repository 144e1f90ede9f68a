"""`check --deploy` warns when production would email nobody or link to nowhere."""

import pytest
from django.core.checks import run_checks


def deploy_warnings() -> str:
    """The ids of what `check --deploy` reports."""
    return " ".join(message.id for message in run_checks(include_deployment_checks=True))


@pytest.mark.parametrize(
    "backend", ["django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.locmem.EmailBackend"]
)
def test_no_mail_server_is_a_deploy_warning(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    assert "outbox.W001" in deploy_warnings()


@pytest.mark.parametrize("backend", ["django.core.mail.backends.smtp.EmailBackend", "outbox.notify.NotifyBackend"])
def test_smtp_or_notify_is_enough(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    assert "outbox.W001" not in deploy_warnings()


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000", "https://localhost", "http://portal.gov.wales"])
def test_a_base_url_people_cannot_reach_is_a_deploy_warning(settings, address):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = address
    assert "outbox.W002" in deploy_warnings()


def test_a_real_base_url_is_fine(settings):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = "https://social-media-guidance.gov.wales"
    assert "outbox.W002" not in deploy_warnings()
