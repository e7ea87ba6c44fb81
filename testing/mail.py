"""Mail a test reads: an SMTP server on 127.0.0.1, and a link in Django's test outbox."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from email import message_from_bytes

import pytest
from django.core import mail

from .services import free_port


def mailed_path(email: str, pattern: str) -> str:
    """The path matching ``pattern`` in the last e-mail sent to ``email`` (Django's test outbox)."""
    bodies = [m.body for m in mail.outbox if m.to == [email]]
    return re.search(rf"https?://[^/\s]+({pattern})", bodies[-1]).group(1)


@dataclass(frozen=True)
class ReceivedMail:
    accepted_at: float  # time.time() when the server answered 250 to DATA
    peer: tuple  # the client's address and port: one per SMTP connection
    recipients: tuple[str, ...]
    notification_id: int | None  # the outbox row it carries (header X-SKOW-Notification)
    content: bytes = b""  # the message as the server received it, headers and all

    def message(self):
        """The received message, parsed (email.message.EmailMessage)."""
        from email import policy
        from email.parser import BytesParser

        return BytesParser(policy=policy.default).parsebytes(self.content)


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that accepts every message after ``delay`` seconds,
    as a real mail server takes its time, and keeps who was sent what over which connection.
    ``refuse`` lists recipient addresses it answers 550, as for a mailbox that does not exist;
    ``hang_up_at`` numbers a message (from 1) it answers 421 and hangs up on, as a server does
    that restarts or limits its connections."""

    def __init__(self, *, delay: float = 0.0, refuse: tuple[str, ...] = (), hang_up_at: int | None = None):
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.refuse = {address.lower() for address in refuse}
        self.hang_up_at = hang_up_at
        self.messages_seen = 0
        self.received: list[ReceivedMail] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.url = f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.messages_seen += 1
        if self.messages_seen == self.hang_up_at:
            server.transport.close()
            return "421 4.3.2 Closing connection"
        notification = message_from_bytes(envelope.original_content or b"")["X-SKOW-Notification"]
        self.received.append(
            ReceivedMail(
                accepted_at=time.time(),
                peer=tuple(session.peer),
                recipients=tuple(envelope.rcpt_tos),
                notification_id=int(notification) if notification else None,
                content=envelope.original_content or b"",
            )
        )
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for mail in list(self.received) for address in mail.recipients]

    def accepted_at(self, notification_id: int) -> float | None:
        return next((m.accepted_at for m in list(self.received) if m.notification_id == notification_id), None)

    def connections(self) -> set[tuple]:
        return {mail.peer for mail in list(self.received)}


@pytest.fixture
def smtp_server():
    """Factory: start a LocalSmtpServer (stopped after the test); point EMAIL_URL at its ``url``."""
    servers: list[LocalSmtpServer] = []

    def start(**options) -> LocalSmtpServer:
        server = LocalSmtpServer(**options)
        server.controller.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.controller.stop()


@pytest.fixture
def smtp_settings(settings):
    """Send through a real SMTP server instead of the test outbox: ``smtp_settings(smtp_server())``
    points Django's SMTP backend at the server and returns it."""

    def point_at(server: LocalSmtpServer) -> LocalSmtpServer:
        host, port = server.url.removeprefix("smtp://").split(":")
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = host, int(port)
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return server

    return point_at
