"""The receipt after a declaration goes through the outbox: a mail outage never shows an error or loses the receipt,
and the confirmation page says what is true about it."""

import pytest

from assessments.models import Acknowledgement
from assessments.services import start_attempt, submit_attempt
from outbox.models import OutgoingEmail

from ..assessments.test_quiz import answer_all
from ..factories import read_guidance

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    read_guidance(user=staff, cycle=cycle, version=content)  # a declaration follows reading
    return submit_attempt(user=staff, attempt_id=attempt.pk, language="en")


def declare(client, staff, language="en"):
    client.force_login(staff)
    path = "/en/declaration/" if language == "en" else "/cy/datganiad/"
    response = client.post(path)
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_with_the_mail_server_down_the_declaration_is_saved_and_the_page_is_honest(
    client, staff, passed, smtp_server, deliver_outbox, settings
):
    smtp_server.stop()
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True  # a server error would fail the test rather than render a 500 page
    page = declare(client, staff)
    record = Acknowledgement.objects.get()
    assert record.reference in page
    assert f"We will email a receipt to <strong>{staff.email}</strong>." in page
    assert "We sent" not in page
    deliver_outbox()  # the outage: the attempt fails and is kept for later
    receipt = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.RECEIPT)
    assert receipt.status == OutgoingEmail.Status.QUEUED and receipt.attempts == 1
    assert receipt.recipient == staff and receipt.about == record.reference
    assert (
        f"We will email a receipt to <strong>{staff.email}</strong>."
        in client.get(f"/en/declaration/{record.reference}/").content.decode()
    )


def test_once_sent_the_page_says_so_in_both_languages(client, staff, passed, smtp_server, deliver_outbox):
    page = declare(client, staff)
    record = Acknowledgement.objects.get()
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    assert (
        f"We sent a receipt to <strong>{staff.email}</strong>."
        in client.get(f"/en/declaration/{record.reference}/").content.decode()
    )
    assert (
        f"Rydym wedi anfon derbynneb i <strong>{staff.email}</strong>."
        in client.get(f"/cy/datganiad/{record.reference}/").content.decode()
    )
    assert "We will email" in page


def test_a_failed_receipt_is_admitted_on_the_page(client, staff, passed, settings, smtp_server, deliver_outbox):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp_server.stop()
    declare(client, staff)
    record = Acknowledgement.objects.get()
    deliver_outbox()
    page = client.get(f"/en/declaration/{record.reference}/").content.decode()
    assert f"We could not email a receipt to <strong>{staff.email}</strong>. Your declaration is saved." in page


def test_without_an_address_the_page_does_not_promise_a_receipt(client, staff, passed):
    staff.email = ""
    staff.save()
    page = declare(client, staff)
    assert OutgoingEmail.objects.count() == 0
    assert "We do not have an email address for you, so we cannot email you a receipt." in page
