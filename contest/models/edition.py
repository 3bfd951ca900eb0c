"""An edition of the contest and its stage dates."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.states import EditionStage
from ..extensions import db
from .base import enum_column, utcnow


class Edition(db.Model):
    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short code used in URLs, commands and contract numbers, e.g. CIC8-NB.
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    year: Mapped[int]
    collection_start: Mapped[date]
    collection_end: Mapped[date]
    # Stored in UTC like every timestamp; shown and entered in Beijing time.
    bidding_deadline: Mapped[datetime]
    review_start: Mapped[date]
    review_end: Mapped[date]
    final_date: Mapped[date]
    results_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Judging settings (DOMAIN.md defaults).
    stage: Mapped[EditionStage] = mapped_column(enum_column(EditionStage, "edition_stage"),
                                                default=EditionStage.OPEN, server_default="open")
    judges_per_bid: Mapped[int] = mapped_column(default=5, server_default="5")
    min_sheets: Mapped[int] = mapped_column(default=3, server_default="3")
    finalists_per_need: Mapped[int] = mapped_column(default=3, server_default="3")
    qualifying_score: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("60"), server_default="60")
    online_weight: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2), default=Decimal("0.30"), server_default="0.30")
    onsite_weight: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2), default=Decimal("0.70"), server_default="0.70")
    normalize_online: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    objection_days: Mapped[int] = mapped_column(default=5, server_default="5")
    results_published_at: Mapped[Optional[datetime]]

    __table_args__ = (
        sa.CheckConstraint("collection_end >= collection_start", name="collection_order"),
        sa.CheckConstraint("review_end >= review_start", name="review_order"),
        sa.CheckConstraint("min_sheets >= 1 AND judges_per_bid >= min_sheets", name="judges_enough"),
        sa.CheckConstraint("online_weight + onsite_weight = 1", name="weights_sum"),
    )

    def __repr__(self) -> str:
        return f"<Edition {self.code}>"
