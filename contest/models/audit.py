"""The audit trail: who did what to which object, when, from which address.

The trail is append-only and chained (contest/services/audit_chain.py): each event stores the SHA-256 of the
one before it (`prev_hash`) and its own (`hash`), so an edited or removed row breaks the chain; database
triggers (migration 0005) refuse UPDATE and DELETE, and `prev_hash` is unique, so the chain cannot fork.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .user import User


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[Optional[int]]
    detail: Mapped[str] = mapped_column(sa.String(2000), default="")
    ip: Mapped[str] = mapped_column(sa.String(45), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Hex SHA-256: of the previous event (64 zeros for the first one), and of this event's content and prev_hash.
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64))

    actor: Mapped[Optional[User]] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_audit_object", "object_type", "object_id"),)
