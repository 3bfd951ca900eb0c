"""A real SMTP server for the tests (aiosmtpd on a free loopback port), with an inbox to read what arrived and
switches to refuse or hold the next messages; and `mail_app`, an app whose outbox is delivered to it."""
from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from .postgres import _free_port as free_port


class Inbox:
    """What the server received, and how it answers the next messages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.refuse = 0           # answer the next N messages with a temporary refusal (451)
        self.refuse_code = 451
        self.hold: threading.Event | None = None  # while set, RCPT waits (a slow server, for a worker to die on)
        self.holding = threading.Event()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.refuse, self.refuse_code, self.hold = 0, 451, None
            self.holding.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold is not None:
            self.holding.set()
            while not self.hold.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return f"{self.refuse_code} Try again later"
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content,
                                                    policy=policy.default))
        return "250 Message accepted"


@contextmanager
def smtp_server():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        if inbox.hold is not None:
            inbox.hold.set()
        controller.stop()


@pytest.fixture(scope="session")
def smtp_session():
    with smtp_server() as found:
        yield found


@pytest.fixture
def inbox(smtp_session, app):
    """The tests' SMTP server, empty; the app delivers its mail to it (in the request that commits, as the
    tests run jobs)."""
    port, box = smtp_session
    box.clear()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, PUBLIC_BASE_URL="https://contest.example.cn",
                      MAIL_FROM="揭榜挂帅平台 <noreply@contest.example.cn>")
    yield box
    box.clear()


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()
