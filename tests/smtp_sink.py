"""A real SMTP server for tests: aiosmtpd on a free local port, keeping every message it is
handed with its envelope, exactly as a mail server would receive it from Cetate."""

from __future__ import annotations

import email
import email.message
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Delivery:
    """One message as the server received it: the envelope and the bytes of DATA."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class SmtpSink:
    """What the server received, in order; `host` and `port` to point a client at."""

    host: str = "127.0.0.1"
    port: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        self.deliveries.append(
            Delivery(
                mail_from=str(envelope.mail_from),
                rcpt_tos=[str(rcpt) for rcpt in envelope.rcpt_tos],
                data=bytes(data),
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpSink]:
    """A running SMTP sink, with Django's SMTP backend pointed at it for the test."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        controller.stop()
