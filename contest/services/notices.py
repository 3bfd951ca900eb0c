"""In-app notices (written by contest.services.notify with their mail): a user's list, unread first, and marking
them read."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain.states import Membership, Role
from ..extensions import db
from ..models import Notice, User


def notify(user_ids: list[int], text: str, *, now: datetime) -> list[Notice]:
    """Leave the same notice for each user."""
    notices = [Notice(user_id=uid, text=text, created_at=now) for uid in user_ids]
    db.session.add_all(notices)
    return notices


def notify_organizers(text: str, *, now: datetime) -> list[Notice]:
    ids = list(db.session.scalars(sa.select(User.id).where(User.role == Role.ORGANIZER, User.active.is_(True))))
    return notify(ids, text, now=now)


def notify_org(org_id: int, text: str, *, now: datetime) -> list[Notice]:
    """Leave a notice for every active member account of a firm or team organization."""
    ids = list(db.session.scalars(sa.select(User.id).where(
        User.org_id == org_id, User.role.in_((Role.FIRM, Role.TEAM)), User.active.is_(True),
        User.membership == Membership.MEMBER)))
    return notify(ids, text, now=now)


def unread(user: User) -> list[Notice]:
    return list(db.session.scalars(
        sa.select(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None)).order_by(Notice.id.desc())
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
