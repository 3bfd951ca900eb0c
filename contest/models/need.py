"""Technical needs (技术需求) posted by firms, and the organizer's screening decisions."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..domain.choices import CooperationMode, NeedCategory, NeedField
from ..domain.states import NeedStatus, ReviewDecision
from ..extensions import db
from .base import enum_column, utcnow
from .edition import Edition
from .market import Market
from .organization import Organization
from .user import User

KEYWORD_JOINER = ","


class Need(db.Model):
    __tablename__ = "need"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    firm_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[NeedCategory] = mapped_column(enum_column(NeedCategory, "need_category"))
    field: Mapped[NeedField] = mapped_column(enum_column(NeedField, "need_field"), index=True)
    industry: Mapped[str] = mapped_column(sa.String(60))
    keywords: Mapped[str] = mapped_column(sa.String(120))
    problem: Mapped[str] = mapped_column(sa.String(500))
    key_points: Mapped[str] = mapped_column(sa.String(500))
    goals: Mapped[str] = mapped_column(sa.String(500))
    budget_wan: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    period_start: Mapped[date]
    period_end: Mapped[date]
    cooperation: Mapped[CooperationMode] = mapped_column(enum_column(CooperationMode, "cooperation_mode"))
    # The market of the 1+12+13 network that collected it (征集渠道).
    market_id: Mapped[int] = mapped_column(sa.ForeignKey("market.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus, "need_status"), default=NeedStatus.DRAFT, index=True
    )
    submitted_at: Mapped[Optional[datetime]]
    published_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    edition: Mapped[Edition] = relationship()
    firm: Mapped[Organization] = relationship()
    market: Mapped[Market] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship()
    reviews: Mapped[list["NeedReview"]] = relationship(
        back_populates="need", order_by="NeedReview.id", cascade="all, delete-orphan"
    )
    # Loaded only by the statements that ask for it (with_expression): how many objections await a ruling.
    pending_objections: Mapped[Optional[int]] = query_expression()

    __table_args__ = (
        sa.CheckConstraint("budget_wan > 0", name="budget_positive"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split(KEYWORD_JOINER) if k]

    @keyword_list.setter
    def keyword_list(self, words: list[str]) -> None:
        self.keywords = KEYWORD_JOINER.join(words)

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status.value}>"


class NeedReview(db.Model):
    """One screening decision, with its comment and who made it."""

    __tablename__ = "need_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision, "review_decision"))
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    need: Mapped[Need] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()
