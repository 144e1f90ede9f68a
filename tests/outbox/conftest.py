"""A real SMTP server on loopback (aiosmtpd), and one that accepts connections and then never answers."""

import asyncio
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from ..listeners import SilentListener


class Collect:
    """Keeps every message, and the client address it came from (one per connection); refuses any recipient in
    ``refused``, as a relay refuses an unknown mailbox; hangs up on a message to anyone in ``hang_up_on``, as a relay
    that fails mid-session does. ``before_accepting`` (if set) runs before each message is accepted."""

    def __init__(self):
        self.messages = []
        self.peers = []
        self.refused = set()
        self.hang_up_on = set()
        self.before_accepting = None
        self.goodbyes = 0  # connections the sender closed properly (QUIT), not left open

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        self.goodbyes += 1
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope):
        if self.hang_up_on & set(envelope.rcpt_tos):
            server.transport.close()
            return "421 4.3.0 Closing the connection"
        if self.before_accepting is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.before_accepting)
        self.messages.append(envelope)
        self.peers.append(session.peer)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """Start, stop and restart on one port, like a mail relay going down and coming back."""

    def __init__(self):
        self.port = free_port()
        self.handler = Collect()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    @property
    def peers(self):
        return self.handler.peers

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture
def stalled_smtp_server(settings):
    """Accepts the TCP connection, then says nothing: without a timeout a sender waits for ever."""
    with SilentListener() as listener:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = listener.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 1
        yield listener.accepted


@pytest.fixture
def clock(monkeypatch):
    """Move the clock forward, so retries that are due later become due now."""
    real_now = timezone.now
    offset = {"value": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["value"])

    def advance(**delta):
        offset["value"] += timedelta(**delta)

    return advance
