"""Conflicts of interest between judges and bids, read from the database."""
from __future__ import annotations

import sqlalchemy as sa

from ...domain.conflicts import bid_conflict_orgs, is_conflicted
from ...extensions import db
from ...models import Bid, DeclaredConflict, Organization, User


def bid_orgs(bid: Bid) -> frozenset[str]:
    """The organizations a bid touches (names): its team's lead and members' organizations, and the firm."""
    return bid_conflict_orgs(bid.team.lead_org.name, [m.organization_name for m in bid.team.members],
                             bid.need.firm.name)


def declared_orgs(judge_ids: list[int]) -> dict[int, frozenset[str]]:
    """Each judge's declared conflict organizations (names), in one query."""
    rows = db.session.execute(
        sa.select(DeclaredConflict.judge_id, Organization.name)
        .join(Organization, Organization.id == DeclaredConflict.org_id)
        .where(DeclaredConflict.judge_id.in_(judge_ids))
    )
    found: dict[int, set[str]] = {j: set() for j in judge_ids}
    for judge_id, name in rows:
        found[judge_id].add(name)
    return {j: frozenset(names) for j, names in found.items()}


def judge_conflicted(judge: User, bid: Bid) -> bool:
    """Whether the judge must not score this bid (own or declared organization touches it)."""
    own = judge.organization.name if judge.organization else None
    return is_conflicted(own, declared_orgs([judge.id])[judge.id], bid_orgs(bid))
