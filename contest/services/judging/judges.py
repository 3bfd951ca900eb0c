"""Judges: their profile (organization, expertise, declared conflicts) and their slots for assignment."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.assignment import BidSlot, JudgeSlot, eligible
from ...domain.choices import NeedField
from ...domain.conflicts import org_key
from ...domain.errors import Conflict, Invalid, NotPermitted, Phrase
from ...domain.states import AssignmentStatus, EditionStage, Role
from ...extensions import db
from ...models import Assignment, Bid, DeclaredConflict, Edition, JudgeExpertise, Need, Organization, Team, User
from ..records import audit
from .conflicts import bid_orgs, declared_orgs

# What a page or a slot of a bid reads: its team (lead and members) and its need's firm.
BID_LOADS = (
    joinedload(Bid.team).joinedload(Team.lead_org),
    joinedload(Bid.team).selectinload(Team.members),
    joinedload(Bid.need).joinedload(Need.firm),
)


def recused_token(judge_id: int) -> str:
    """A pseudo-organization a judge 'declares' and a bid they recused from 'touches': never paired again."""
    return f"judge:{judge_id}"


def expertise_of(judge_ids: list[int]) -> dict[int, frozenset[NeedField]]:
    """Each judge's expertise fields, in one query."""
    found: dict[int, set[NeedField]] = {j: set() for j in judge_ids}
    if judge_ids:
        rows = db.session.execute(sa.select(JudgeExpertise.judge_id, JudgeExpertise.field)
                                  .where(JudgeExpertise.judge_id.in_(judge_ids)))
        for judge_id, field in rows:
            found[judge_id].add(field)
    return {j: frozenset(fields) for j, fields in found.items()}


def declared_org_ids(judge: User) -> list[int]:
    """The ids of the organizations a judge declared a conflict with."""
    return sorted(db.session.scalars(sa.select(DeclaredConflict.org_id).where(DeclaredConflict.judge_id == judge.id)))


def _check_orgs(ids: Iterable[int]) -> list[int]:
    """The ids, each of an existing organization (refused otherwise)."""
    ids = sorted(set(ids))
    if ids:
        known = set(db.session.scalars(sa.select(Organization.id).where(Organization.id.in_(ids))))
        if known != set(ids):
            raise Invalid("judge.org_unknown")
    return ids


def update_profile(judge: User, actor: User, *, org_id: int | None, fields: Iterable[NeedField],
                   conflict_org_ids: Iterable[int]) -> User:
    """A judge edits their own profile, or an organizer edits any judge's: organization, fields, conflicts."""
    if judge.role != Role.JUDGE:
        raise Invalid("judge.not_a_judge")
    if actor.id != judge.id and actor.role != Role.ORGANIZER:
        raise NotPermitted("judge.profile_not_own")
    if org_id is not None:
        _check_orgs([org_id])
    conflict_ids = _check_orgs(conflict_org_ids)
    if actor.id == judge.id and (org_id != judge.org_id or set(conflict_ids) != set(declared_org_ids(judge))) \
            and review_is_open():
        # Declaring one organization at a time and watching which bids turn conflicted would tell a judge
        # whom the anonymous bids come from: during the online round only an organizer changes these.
        raise Conflict("judge.profile_locked")
    new_fields = sorted({NeedField(f) for f in fields}, key=lambda f: f.value)
    before = {"org_id": judge.org_id, "fields": sorted(f.value for f in expertise_of([judge.id])[judge.id]),
              "conflict_org_ids": declared_org_ids(judge)}
    judge.org_id = org_id
    db.session.execute(sa.delete(JudgeExpertise).where(JudgeExpertise.judge_id == judge.id))
    db.session.execute(sa.delete(DeclaredConflict).where(DeclaredConflict.judge_id == judge.id))
    db.session.add_all([JudgeExpertise(judge_id=judge.id, field=f) for f in new_fields])
    db.session.add_all([DeclaredConflict(judge_id=judge.id, org_id=o) for o in conflict_ids])
    db.session.flush()
    db.session.expire(judge, ["organization"])
    audit.record(actor, "judge.profile", judge, {
        "before": before,
        "after": {"org_id": org_id, "fields": [f.value for f in new_fields], "conflict_org_ids": conflict_ids},
    })
    return judge


def judge_slots(judges: list[User]) -> list[JudgeSlot]:
    """The judges as the assignment sees them (two queries: expertise and declared conflicts)."""
    ids = [j.id for j in judges]
    fields = expertise_of(ids)
    declared = declared_orgs(ids) if ids else {}
    return [JudgeSlot(id=j.id, fields=frozenset(f.value for f in fields[j.id]),
                      org=org_key(j.organization.name) if j.organization else None,
                      declared_conflicts=frozenset(map(org_key, declared[j.id]))) for j in judges]


def bid_slots(bids: list[Bid]) -> list[BidSlot]:
    """The bids as the assignment sees them; load them with BID_LOADS so that this runs no query."""
    return [BidSlot(id=b.id, field=b.need.field.value, conflict_orgs=bid_orgs(b)) for b in bids]


def conflict_reasons(judge: User, bid: Bid) -> list[Phrase]:
    """Why a judge may not score a bid, in words an organizer understands (empty when they may)."""
    touches = [(bid.team.lead_org.name, Phrase("conflict.role.lead"))]
    touches += [(m.organization_name.strip(), Phrase("conflict.role.member")) for m in bid.team.members]
    touches.append((bid.need.firm.name, Phrase("conflict.role.firm")))
    own = org_key(judge.organization.name) if judge.organization else ""
    declared = {org_key(name) for name in declared_orgs([judge.id])[judge.id]}
    reasons: list[Phrase] = []
    for org, role in touches:
        if org_key(org) and org_key(org) == own:
            reasons.append(Phrase("conflict.own_org", org=org, role=role))
        elif org_key(org) in declared:
            reasons.append(Phrase("conflict.declared", org=org, role=role))
    return list(dict.fromkeys(reasons))


def active_judges() -> list[User]:
    """Every active judge account, by id."""
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.JUDGE, User.active.is_(True)).order_by(User.id)
    ))


def organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name)))


def review_is_open() -> bool:
    """Whether some edition is in its online round (judges' organizations and conflicts are then locked)."""
    return db.session.scalar(sa.select(Edition.id).where(Edition.stage == EditionStage.ONLINE_REVIEW).limit(1)) \
        is not None


def own_assignments(judge: User) -> list[Assignment]:
    """The judge's active online assignments the judge may see: an assignment the judge is conflicted with (its
    organizations changed by an organizer since) is the organizer's to move, and is not shown, as if it were
    another judge's: which bids turn conflicted would tell whom they come from."""
    rows = list(db.session.scalars(
        sa.select(Assignment).join(Bid, Bid.id == Assignment.bid_id)
        .where(Assignment.judge_id == judge.id, Assignment.status == AssignmentStatus.ASSIGNED)
        .options(joinedload(Assignment.bid).options(*BID_LOADS, joinedload(Bid.need).joinedload(Need.edition)))
        .order_by(Bid.need_id, Bid.id)).unique())
    if not rows:
        return []
    slot = judge_slots([judge])[0]
    bids = {s.id: s for s in bid_slots([a.bid for a in rows])}
    return [a for a in rows if eligible(bids[a.bid_id], slot)]
