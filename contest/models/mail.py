"""The outbox: every mail the contest sends, written in the transaction of the change that causes it and
delivered by a worker (contest/services/notify); and each user's choice of mail per kind of event."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.states import MailMode, MailState
from ..extensions import db
from .base import enum_column, utcnow
from .user import User


class MailMessage(db.Model):
    __tablename__ = "mail_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(120))
    event: Mapped[str] = mapped_column(sa.String(40), index=True)
    language: Mapped[str] = mapped_column(sa.String(10), default="zh_CN")
    subject: Mapped[str] = mapped_column(sa.String(200))
    # The whole mail; for a message held for the digest, only the event's text (the digest lays it out).
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[Optional[str]] = mapped_column(sa.String(300))  # absolute: where the mail points
    # Fixed when written: a resend after a crash carries the same one, and the log shows it.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    state: Mapped[MailState] = mapped_column(enum_column(MailState, "mail_state"), default=MailState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[Optional[datetime]]
    sent_at: Mapped[Optional[datetime]]
    # The SMTP server's last reply (a refusal's code and text), or the connection error.
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    # A message that must be sent once only (a reminder, a digest) carries a key: written twice, it is refused.
    dedupe_key: Mapped[Optional[str]] = mapped_column(sa.String(120), unique=True)
    digest_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("mail_message.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[Optional[User]] = relationship()

    __table_args__ = (sa.Index("ix_mail_message_due", "state", "next_attempt_at"),)


class MailPreference(db.Model):
    """A user's choice for one kind of event; without a row, the event's default (immediate)."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    mode: Mapped[MailMode] = mapped_column(enum_column(MailMode, "mail_mode"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

