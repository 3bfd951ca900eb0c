"""In-app notices (written by contest.services.notify with their mail): a user's list, unread first, and marking
them read."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Notice, User


BOX_LIMIT = 10  # unread notices shown on a dashboard; the notices page lists them all


def unread(user: User, limit: int = BOX_LIMIT) -> list[Notice]:
    """The newest of the user's unread notices, for a dashboard's box."""
    return list(db.session.scalars(
        sa.select(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None)).order_by(Notice.id.desc())
        .limit(limit)
    ))


def listing(user: User) -> sa.Select:
    """The user's notices, unread first, newest first within each."""
    return (sa.select(Notice).where(Notice.user_id == user.id)
            .order_by(Notice.read_at.is_not(None), Notice.id.desc()))


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notice.id))
                             .where(Notice.user_id == user.id, Notice.read_at.is_(None))) or 0


def mark_one_read(user: User, notice_id: int, *, now: datetime) -> bool:
    """Mark one of the user's own notices read; False when it is not theirs (or not there)."""
    return bool(db.session.execute(sa.update(Notice).where(Notice.id == notice_id, Notice.user_id == user.id,
                                                           Notice.read_at.is_(None))
                                   .values(read_at=now)).rowcount) or db.session.scalar(
        sa.select(Notice.id).where(Notice.id == notice_id, Notice.user_id == user.id)) is not None


def mark_read(user: User, *, now: datetime) -> None:
    db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
                       .values(read_at=now))
