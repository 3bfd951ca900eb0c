"""Standings as published: each need's ranking frozen when its edition's results are published."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class PublishedStanding(db.Model):
    """A need's standings (every bid's scores, ranks and what decided them) as computed at publication, as
    JSON: what every page shows after publication, never recomputed."""

    __tablename__ = "published_standing"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), unique=True)
    standing: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
