"""Joining an organization: a firm or team account registered for an organization already on file waits
until a member of that organization or an organizer lets it in. Knowing a name and a credit code (both are
public) is not enough to read or act for an organization. Every request and decision is audited."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..domain.errors import Conflict, NotPermitted
from ..domain.states import Membership, Role
from ..extensions import db
from ..models import User
from . import clock, notify
from .records import audit

PARTIES = (Role.FIRM, Role.TEAM)


def ask_to_join(user: User, now: datetime | None = None) -> None:
    """The new account waits; the organization's members and the organizers are told."""
    user.membership = Membership.PENDING
    db.session.flush()
    audit.record(user, "membership.request", user, {"organization": user.organization.name})
    notify.tell("membership.requested", notify.audience.org_members(user.org_id) + notify.audience.organizers(),
                now=now or clock.now(), link=notify.path("auth.join_requests"), person=user.display_name,
                username=user.username, org=user.organization.name)


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
    notify.tell("membership.decided", [user], now=now,
                link=notify.path("auth.me" if let_in else "auth.membership_page"), org=user.organization.name,
                verdict=_l("已获同意") if let_in else _l("未获同意"))
    return user
