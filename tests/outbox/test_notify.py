"""GOV.UK Notify delivery, against a loopback HTTP server that answers as Notify's API does and checks the signed
token (Notify itself cannot run here)."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from outbox.models import OutgoingEmail
from outbox.services import queue_email

pytestmark = pytest.mark.django_db

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class NotifyAPI(BaseHTTPRequestHandler):
    received: list
    failing = False

    def do_POST(self):
        token = self.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.failing or claims["iss"] != SERVICE_ID:
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errors": [{"error": "Exception", "message": "Internal server error"}]}')
            return
        self.server.received.append((self.path, body))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": str(uuid.uuid4()), "content": {}, "template": {}}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyAPI)
    server.received = []
    server.failing = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "outbox.notify.NotifyBackend"
    settings.GOVUK_NOTIFY_API_KEY = API_KEY
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.GOVUK_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_messages_go_through_notify_when_its_key_is_set(notify, deliver_outbox):
    email = queue_email(to="gwen@gov.wales", subject="Nodyn atgoffa", body="Annwyl Gwen", kind="reminder")
    deliver_outbox()
    assert notify.received == [
        (
            "/v2/notifications/email",
            {
                "email_address": "gwen@gov.wales",
                "template_id": TEMPLATE_ID,
                "personalisation": {"subject": "Nodyn atgoffa", "body": "Annwyl Gwen"},
            },
        )
    ]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_a_notify_error_is_retried_like_any_other(notify, deliver_outbox):
    notify.failing = True
    email = queue_email(to="gwen@gov.wales", subject="Nodyn atgoffa", body="Annwyl Gwen", kind="reminder")
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "500" in email.last_error or "Internal server error" in email.last_error
