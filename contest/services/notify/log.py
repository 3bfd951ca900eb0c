"""The organizer's mail log: every message of the outbox, newest first, each with its recipient's account joined in
the same statement (a page of the log is one statement and its count, whatever the rows), searched by text, kind
of event and state; and the organizer's resend of a failed message, recorded in the audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, joinedload

from ...domain.states import MailState
from ...extensions import db
from ...models import MailMessage, User
from ..records import audit
from . import delivery
from .events import DIGEST, EVENTS

TEXT_LIMIT = 100  # a search longer than any address or subject matches nothing anyway


@dataclass(frozen=True)
class Filters:
    """What the organizer searches the log by; empty: everything."""

    text: str = ""                  # part of the address, the account's username or name, or the subject
    event: str = ""                 # a kind of events.py, or DIGEST
    state: MailState | None = None


def known_event(kind: str) -> bool:
    return kind == DIGEST or kind in EVENTS


def listing(filters: Filters = Filters()) -> sa.Select:
    """The messages matching the filters, newest first, their recipient's account loaded with them (the bodies
    are not: the log shows them one message at a time)."""
    stmt = (sa.select(MailMessage).outerjoin(User, User.id == MailMessage.user_id)
            .options(contains_eager(MailMessage.user), defer(MailMessage.body_text, raiseload=True),
                     defer(MailMessage.body_html, raiseload=True))
            .order_by(MailMessage.created_at.desc(), MailMessage.id.desc()))
    text = filters.text.strip()[:TEXT_LIMIT]
    if text:
        stmt = stmt.where(sa.or_(MailMessage.recipient.icontains(text, autoescape=True),
                                 MailMessage.subject.icontains(text, autoescape=True),
                                 User.username.icontains(text, autoescape=True),
                                 User.display_name.icontains(text, autoescape=True)))
    if filters.event:
        stmt = stmt.where(MailMessage.event == filters.event)
    if filters.state is not None:
        stmt = stmt.where(MailMessage.state == filters.state)
    return stmt


def message(message_id: int) -> MailMessage | None:
    """One message with its recipient's account."""
    return db.session.scalar(sa.select(MailMessage).where(MailMessage.id == message_id)
                             .options(joinedload(MailMessage.user)))


def gathered(digest: MailMessage) -> list[MailMessage]:
    """The messages a digest gathered, in the order it lists them (none for another message)."""
    if digest.event != DIGEST:
        return []
    return list(db.session.scalars(sa.select(MailMessage).where(MailMessage.digest_id == digest.id)
                                   .options(defer(MailMessage.body_text, raiseload=True),
                                            defer(MailMessage.body_html, raiseload=True))
                                   .order_by(MailMessage.id)))


def resend(message: MailMessage, *, actor: User, now: datetime) -> MailMessage:
    """Send a failed message again (delivery.resend), recorded with the refusal that made it fail."""
    failed = {"recipient": message.recipient, "event": message.event, "attempts": message.attempts,
              "last_error": message.last_error, "message_id": message.message_id}
    delivery.resend(message, now=now)
    audit.record(actor, "mail.resend", message, failed)
    return message
