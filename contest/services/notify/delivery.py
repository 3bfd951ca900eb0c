"""Delivering the outbox over SMTP: a worker takes one due message at a time (committed as "sending" before it
talks to the server), sends it with the Message-ID fixed when it was written and marks it sent; a refusal is
tried again after MAIL_RETRY_DELAYS, a permanent one (5xx) or the last attempt leaves it failed for the
organizer to resend. A message whose worker died while sending is taken again after MAIL_STALE_AFTER, with the
same Message-ID (sent twice only if the worker died after the server took it and before it was marked)."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ...domain.errors import Conflict
from ...domain.states import MailState
from ...extensions import db
from ...models import MailMessage
from ..jobs import queue
from .outbox import sender

S = MailState
DEFAULT_SINK_PORT = 8025


@dataclass(frozen=True)
class Outcome:
    sent: bool
    reply: str = ""
    permanent: bool = False
    connection: bool = False  # the server could not be reached or dropped us: stop this round


def retry_delays() -> list[float]:
    raw = current_app.config["MAIL_RETRY_DELAYS"]
    return [float(x) for x in (raw.split(",") if isinstance(raw, str) else raw) if str(x).strip()]


def email_of(message: MailMessage) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender()
    mail["To"] = Address(display_name=message.user.display_name if message.user else "",
                         addr_spec=message.recipient)
    mail["Date"] = format_datetime(message.created_at.replace(tzinfo=timezone.utc))
    mail["Message-ID"] = message.message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    return mail


def prepared(message: MailMessage) -> EmailMessage | Outcome:
    """The mail of a claimed message, read in the claim's transaction: the worker then commits and talks to the
    server with no transaction open (a connection idle in a transaction for a slow server's minute could be cut
    by the database, the message sent and never marked, and sent again). An address the mail cannot carry is a
    permanent failure."""
    try:
        return email_of(message)
    except (ValueError, IndexError) as bad:
        return Outcome(False, f"{type(bad).__name__}: {bad}"[:500], permanent=True)


class Postman:
    """One SMTP connection for a round of deliveries, opened on the first message."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config.get("SMTP_HOST") or "127.0.0.1"
        self.port = int(config.get("SMTP_PORT") or (config.get("MAIL_SINK_PORT") or DEFAULT_SINK_PORT
                                                    if not config.get("SMTP_HOST") else 25))
        self.user, self.password = config.get("SMTP_USER"), config.get("SMTP_PASSWORD")
        self.tls = (config.get("SMTP_TLS") or "").strip().lower()
        self.timeout = float(config.get("SMTP_TIMEOUT", 30))
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Postman:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls in ("starttls", "1", "true", "yes", "on"):
                smtp.starttls(context=ssl.create_default_context())
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, mail: EmailMessage) -> Outcome:
        """Hand one mail to the server (a mail written by `prepared`: no database is touched meanwhile)."""
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            refused = self.smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as e:
            code, text = next(iter(e.recipients.values()))
            return _refused(code, text)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
            return _refused(e.smtp_code, e.smtp_error)
        except smtplib.SMTPResponseException as e:  # a refusal of the connection (HELO, STARTTLS, AUTH)
            self.close()
            return Outcome(False, _reply(e.smtp_code, e.smtp_error), connection=True)
        except (smtplib.SMTPException, OSError) as e:
            self.close()
            return Outcome(False, f"{type(e).__name__}: {e}"[:500], connection=True)
        if refused:  # one recipient per message: send_message raises when it is refused
            code, text = next(iter(refused.values()))
            return _refused(code, text)
        return Outcome(True, "250")


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:500]


def _refused(code: int, text: bytes | str) -> Outcome:
    return Outcome(False, _reply(code, text), permanent=code >= 500)


def claim_next(*, now: datetime) -> MailMessage | None:
    """Take the oldest due message for this worker (sending, one attempt more); the caller commits."""
    while True:
        found = db.session.scalar(
            sa.select(MailMessage.id).where(MailMessage.state == S.QUEUED, MailMessage.next_attempt_at <= now)
            .order_by(MailMessage.id).limit(1).with_for_update(skip_locked=True))
        if found is None:
            return None
        taken = db.session.execute(
            sa.update(MailMessage).where(MailMessage.id == found, MailMessage.state == S.QUEUED)
            .values(state=S.SENDING, claimed_at=now, attempts=MailMessage.attempts + 1)
            .execution_options(synchronize_session=False)).rowcount
        if taken:
            return db.session.get(MailMessage, found, populate_existing=True)


def record(message: MailMessage, outcome: Outcome, *, now: datetime) -> None:
    """How the attempt ended: sent; queued again after its delay; or failed (permanent, or out of attempts)."""
    message.claimed_at = None
    if outcome.sent:
        message.state, message.sent_at, message.last_error = S.SENT, now, ""
        return
    message.last_error = outcome.reply
    delays = retry_delays()
    if outcome.permanent or message.attempts > len(delays):
        message.state = S.FAILED
        return
    message.state = S.QUEUED
    message.next_attempt_at = now + timedelta(seconds=delays[message.attempts - 1])


def next_due_in(*, now: datetime) -> float | None:
    """Seconds until the next queued message is due (None when none waits)."""
    due = db.session.scalar(sa.select(sa.func.min(MailMessage.next_attempt_at)).where(MailMessage.state == S.QUEUED))
    return None if due is None else max((due - now).total_seconds(), 0.0)


def requeue_stale(*, now: datetime, stale_after: timedelta) -> int:
    """Messages whose worker died while sending them: queued again (their attempt counted)."""
    return db.session.execute(
        sa.update(MailMessage).where(MailMessage.state == S.SENDING, MailMessage.claimed_at < now - stale_after)
        .values(state=S.QUEUED, claimed_at=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)).rowcount


def check_resend(message: MailMessage, actor: Any = None, now: datetime | None = None) -> None:
    """Only a failed message is sent again by hand: the others are on their way, or gone."""
    if message.state != S.FAILED:
        raise Conflict("mail.not_failed")


def resend(message: MailMessage, *, now: datetime) -> MailMessage:
    """The organizer sends a failed message again: queued, its attempts counted afresh, the same Message-ID."""
    check_resend(message)
    message.state, message.attempts, message.next_attempt_at, message.last_error = S.QUEUED, 0, now, ""
    db.session.flush()
    queue.deliver_after_commit()
    return message
