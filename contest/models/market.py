"""The markets of the 1+12+13 network (科技大市场 3.0): the city market, its sub-markets, its professional markets."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.choices import MarketLevel
from ..extensions import db
from .base import enum_column, utcnow


class Market(db.Model):
    """One market: it collects needs (every need names one), holds matchmaking events and works with brokers."""

    __tablename__ = "market"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[MarketLevel] = mapped_column(enum_column(MarketLevel, "market_level"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    # A sub-market's district, county or zone (海曙区, 宁波国家高新区…); a professional market's association.
    area: Mapped[str] = mapped_column(sa.String(120), default="")
    # GB/T 2260 code of the district or county ("" for a professional market, which serves the whole city).
    region_code: Mapped[str] = mapped_column(sa.String(6), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(50), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(120), default="")
    # Order of the lists: the city market first, then sub-markets, then professional markets.
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Market {self.name}>"
