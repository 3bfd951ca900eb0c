"""Who hears of an event: a firm is every active member account of its organization; a team is its owner's
account (several teams may share a lead organization, and must not hear of each other); the organizers."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ...domain.states import Membership, Role
from ...extensions import db
from ...models import Bid, Team, User


def users(ids: Iterable[int]) -> list[User]:
    wanted = sorted(set(ids))
    return list(db.session.scalars(sa.select(User).where(User.id.in_(wanted)).order_by(User.id))) if wanted else []


def firm(org_id: int) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.org_id == org_id, User.role == Role.FIRM, User.active.is_(True),
        User.membership == Membership.MEMBER).order_by(User.id)))


def firms(org_ids: Iterable[int]) -> dict[int, list[User]]:
    """The member firm accounts of many organizations, by organization, in one statement (a stage change tells
    the firms of thousands of needs)."""
    wanted = sorted(set(org_ids))
    found: dict[int, list[User]] = {org_id: [] for org_id in wanted}
    if wanted:
        for user in db.session.scalars(sa.select(User).where(
                User.org_id.in_(wanted), User.role == Role.FIRM, User.active.is_(True),
                User.membership == Membership.MEMBER).order_by(User.id)):
            found[user.org_id].append(user)
    return found


def org_members(org_id: int) -> list[User]:
    """Every active member account of a firm or team organization (membership requests go to them)."""
    return list(db.session.scalars(sa.select(User).where(
        User.org_id == org_id, User.role.in_((Role.FIRM, Role.TEAM)), User.active.is_(True),
        User.membership == Membership.MEMBER).order_by(User.id)))


def organizers() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == Role.ORGANIZER, User.active.is_(True))
                                   .order_by(User.id)))


def team(team: Team) -> list[User]:
    return users([team.owner_id])


def teams_of(bids: Iterable[Bid]) -> dict[int, User]:
    """The owner account of each bid's team, by bid id, in one statement."""
    pairs = [(b.id, b.team_id) for b in bids]
    if not pairs:
        return {}
    owners = dict(db.session.execute(sa.select(Team.id, User).join(User, User.id == Team.owner_id)
                                     .where(Team.id.in_({t for _, t in pairs}))).tuples().all())
    return {bid_id: owners[team_id] for bid_id, team_id in pairs if team_id in owners}
