"""Objections (异议) to a need's published result, and the organizer's rulings on them."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.states import ObjectionStatus
from ..extensions import db
from .base import enum_column, utcnow
from .bid import Bid
from .need import Need
from .organization import Organization
from .user import User


class Objection(db.Model):
    """A signed-in team or firm of the edition contests a need's result during the objection window: a reason
    and an optional PDF; the organizer upholds it (the award is reversed) or rejects it, with a reason."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    # The winning bid the objection contests (the award at the time it was filed).
    bid_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("bid.id"))
    filed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    org_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organization.id"))
    reason: Mapped[str] = mapped_column(sa.String(2000))
    evidence_stored_name: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    evidence_original_name: Mapped[Optional[str]] = mapped_column(sa.String(200))
    evidence_size: Mapped[Optional[int]]
    evidence_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus, "objection_status"),
                                                    default=ObjectionStatus.PENDING, index=True)
    ruling_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    ruled_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    ruled_at: Mapped[Optional[datetime]]

    need: Mapped[Need] = relationship()
    bid: Mapped[Optional[Bid]] = relationship()
    org: Mapped[Optional[Organization]] = relationship()
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])

    __table_args__ = (
        sa.CheckConstraint("(status = 'pending') = (ruled_at IS NULL)", name="ruled_when_decided"),
    )

    def __repr__(self) -> str:
        return f"<Objection {self.id} {self.status.value}>"
