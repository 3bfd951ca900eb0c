"""Matchmaking events (对接活动): the needs presented, who registered and came, and the contacts made there."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .market import Market
from .user import User


class MatchEvent(db.Model):
    """An event scheduled by a market's staff or the organizer (for the city market)."""

    __tablename__ = "match_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(sa.ForeignKey("market.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(index=True)   # UTC, shown in Beijing time
    place: Mapped[str] = mapped_column(sa.String(120))
    # NeedField codes joined by ",".
    fields: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.String(1000), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    market: Mapped[Market] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship()


class EventNeed(db.Model):
    """A need presented at the event."""

    __tablename__ = "event_need"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("match_event.id"), primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), primary_key=True, index=True)


class EventRegistration(db.Model):
    """A firm, team or broker account registered for the event; attendance is marked by its organizers."""

    __tablename__ = "event_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("match_event.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    attended: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_event_registration"),)


class EventContact(db.Model):
    """A contact made at the event between a need and a team; it is traced to the team's bid on the need, if any,
    and that bid's contract (by need and team, not by a stored link: a bid made later is found too)."""

    __tablename__ = "event_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("match_event.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    broker_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("broker.id"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("event_id", "need_id", "team_id", name="uq_event_contact"),)
