"""An edition of the contest and its stage dates."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


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

    __table_args__ = (
        sa.CheckConstraint("collection_end >= collection_start", name="collection_order"),
        sa.CheckConstraint("review_end >= review_start", name="review_order"),
    )

    def __repr__(self) -> str:
        return f"<Edition {self.code}>"
