"""Technology brokers (技术经纪人), the needs and bids they are credited with, and the editions' reward rules."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.choices import BrokerLevel
from ..domain.states import CreditStatus
from ..extensions import db
from .base import enum_column, utcnow
from .market import Market
from .user import User


class Broker(db.Model):
    """A broker's profile; the broker signs in with its own account (role broker) to confirm credits."""

    __tablename__ = "broker"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    level: Mapped[BrokerLevel] = mapped_column(enum_column(BrokerLevel, "broker_level"))
    certificate_no: Mapped[str] = mapped_column(sa.String(40), unique=True)
    market_id: Mapped[int] = mapped_column(sa.ForeignKey("market.id"), index=True)
    # NeedField codes joined by "," (as Need.keywords).
    fields: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[Optional[User]] = relationship()
    market: Mapped[Market] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Broker {self.name}>"


class BrokerCredit(db.Model):
    """A firm names the broker who helped it on a need, or a team on a bid; the broker confirms or declines."""

    __tablename__ = "broker_credit"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(sa.ForeignKey("broker.id"), index=True)
    # Exactly one of the two: the firm's side (a need) or the team's side (a bid). One credit per need and per bid.
    need_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("need.id"), unique=True)
    bid_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("bid.id"), unique=True)
    status: Mapped[CreditStatus] = mapped_column(enum_column(CreditStatus, "credit_status"),
                                                 default=CreditStatus.PENDING, index=True)
    named_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    named_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[Optional[datetime]]

    broker: Mapped[Broker] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("(need_id IS NULL) <> (bid_id IS NULL)", name="one_side"),
    )


class RewardRule(db.Model):
    """An edition's broker reward: rate % of each signed contract's technology amount, at most cap yuan, split
    between the firm's broker (firm_share %) and the team's broker (the rest)."""

    __tablename__ = "reward_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), unique=True)
    rate_pct: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    cap_yuan: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    firm_share_pct: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("50"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("rate_pct > 0 AND rate_pct <= 100", name="rate_range"),
        sa.CheckConstraint("cap_yuan >= 0", name="cap_not_negative"),
        sa.CheckConstraint("firm_share_pct >= 0 AND firm_share_pct <= 100", name="share_range"),
    )
