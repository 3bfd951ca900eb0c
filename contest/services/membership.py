"""Joining an organization: a firm or team account registered for an organization already on file waits
until a member of that organization or an organizer lets it in. Knowing a name and a credit code (both are
public) is not enough to read or act for an organization. Every request and decision is audited."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..domain.errors import Conflict, NotPermitted
from ..domain.states import Membership, Role
from ..extensions import db
from ..models import User
from . import clock, notices
from .records import audit

PARTIES = (Role.FIRM, Role.TEAM)


def ask_to_join(user: User, now: datetime | None = None) -> None:
    """The new account waits; the organization's members and the organizers are told."""
    user.membership = Membership.PENDING
    db.session.flush()
    audit.record(user, "membership.request", user, {"organization": user.organization.name})
    when = now or clock.now()
    text = f"{user.display_name}（{user.username}）申请以“{user.organization.name}”的名义加入，请确认或拒绝"
    notices.notify(_member_ids(user.org_id), text, now=when)
    notices.notify_organizers(text, now=when)


def _member_ids(org_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(User.id).where(
        User.org_id == org_id, User.role.in_(PARTIES), User.membership == Membership.MEMBER,
        User.active.is_(True))))


def may_decide(actor: User, org_id: int | None) -> bool:
    """An organizer decides for every organization; a member account only for its own."""
    if actor.role == Role.ORGANIZER:
        return True
    return (actor.role in PARTIES and actor.membership == Membership.MEMBER and org_id is not None
            and actor.org_id == org_id)


def requests_for(actor: User) -> list[User]:
    """The accounts waiting that the actor may let in or refuse, oldest first."""
    stmt = (sa.select(User).where(User.membership == Membership.PENDING, User.role.in_(PARTIES))
            .options(joinedload(User.organization)).order_by(User.id))
    if actor.role == Role.ORGANIZER:
        return list(db.session.scalars(stmt))
    if not may_decide(actor, actor.org_id):
        return []
    return list(db.session.scalars(stmt.where(User.org_id == actor.org_id)))


def decide(actor: User, user: User, *, let_in: bool, now: datetime) -> User:
    """Let a waiting account in, or refuse it (it stays unable to act for the organization)."""
    if not may_decide(actor, user.org_id):
        raise NotPermitted("membership.not_yours")
    if user.membership != Membership.PENDING:
        raise Conflict("membership.not_pending", username=user.username)
    user.membership = Membership.MEMBER if let_in else Membership.REFUSED
    db.session.flush()
    audit.record(actor, "membership.approve" if let_in else "membership.refuse", user,
                 {"organization": user.organization.name, "username": user.username})
    verdict = "已被确认，现在可以使用" if let_in else "未获同意"
    notices.notify([user.id], f"您以“{user.organization.name}”的名义加入的申请{verdict}", now=now)
    return user
