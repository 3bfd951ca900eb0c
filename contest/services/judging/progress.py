"""The online round as the organizer follows it: who sits on which bid, how many sheets are in, and
reminders to the judges still owing some. Each read is a fixed number of statements, whatever the size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.assignment import eligible
from ...domain.errors import WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, BidStatus, EditionStage, NeedStatus, SheetStatus
from ...extensions import db
from ...models import Assignment, Bid, Edition, Need, ScoreSheet, User
from .. import notices
from ..records import audit
from .judges import BID_LOADS, active_judges, bid_slots, judge_slots

# The needs and bids that went through the online round (still shown once the edition has moved on).
REVIEWED_NEEDS = (NeedStatus.IN_REVIEW, NeedStatus.FINAL, NeedStatus.AWARDED, NeedStatus.FAILED)
REVIEWED_BIDS = (BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED)
ASSIGNED = AssignmentStatus.ASSIGNED


@dataclass
class BidRow:
    """One bid on the assignment page: its judges, recusals, and who already submitted."""

    bid: Bid
    active: list[Assignment] = field(default_factory=list)
    recused: list[Assignment] = field(default_factory=list)
    submitted: set[int] = field(default_factory=set)    # judge ids
    conflicted: set[int] = field(default_factory=set)   # judge ids now conflicted (profile changed since)
    missing: int = 0


@dataclass
class Board:
    needs: list[tuple[Need, list[BidRow]]]
    short: list[BidRow]
    judges: list[User]
    load: dict[int, int]
    per_bid: int


def _reviewed_bids(edition: Edition) -> list[Bid]:
    return list(db.session.scalars(
        sa.select(Bid).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition.id, Need.status.in_(REVIEWED_NEEDS), Bid.status.in_(REVIEWED_BIDS))
        .options(*BID_LOADS).order_by(Need.id, Bid.id)
    ).unique())


def _submitted_pairs(bid_ids: list[int]) -> set[tuple[int, int]]:
    return set(db.session.execute(sa.select(ScoreSheet.bid_id, ScoreSheet.judge_id).where(
        ScoreSheet.round == Round.ONLINE, ScoreSheet.status == SheetStatus.SUBMITTED,
        ScoreSheet.bid_id.in_(bid_ids))).tuples())


def assignment_board(edition: Edition) -> Board:
    """Per need, per bid: its judges, its recusals with reasons; the bids short of judges first."""
    bids = _reviewed_bids(edition)
    rows = {b.id: BidRow(b) for b in bids}
    assignments = db.session.scalars(
        sa.select(Assignment).where(Assignment.bid_id.in_(list(rows))).options(joinedload(Assignment.judge))
        .order_by(Assignment.id)).all()
    for a in assignments:
        (rows[a.bid_id].active if a.status == ASSIGNED else rows[a.bid_id].recused).append(a)
    for bid_id, judge_id in _submitted_pairs(list(rows)):
        rows[bid_id].submitted.add(judge_id)
    judges = active_judges()
    people = {j.id: j for j in judges} | {a.judge_id: a.judge for a in assignments}
    slots = {s.id: s for s in judge_slots(list(people.values()))}
    for slot in bid_slots(bids):
        row = rows[slot.id]
        row.conflicted = {a.judge_id for a in row.active if not eligible(slot, slots[a.judge_id])}
        row.missing = max(edition.judges_per_bid - len(row.active), 0)
    by_need: dict[int, tuple[Need, list[BidRow]]] = {}
    for b in bids:
        by_need.setdefault(b.need_id, (b.need, []))[1].append(rows[b.id])
    load: dict[int, int] = defaultdict(int)
    for a in assignments:
        if a.status == ASSIGNED:
            load[a.judge_id] += 1
    return Board(needs=list(by_need.values()), short=[r for r in rows.values() if r.missing],
                 judges=judges, load=dict(load), per_bid=edition.judges_per_bid)


@dataclass
class Tally:
    """Sheets of the online round: expected (active assignments), drafts and submitted."""

    assigned: int = 0
    drafts: int = 0
    submitted: int = 0

    @property
    def late(self) -> int:
        return self.assigned - self.submitted


@dataclass
class Progress:
    needs: list[tuple[Need, int, Tally]]   # need, bids, sheets
    judges: list[tuple[User, Tally]]


def _tallies(edition: Edition) -> tuple[dict[int, Tally], dict[int, Tally]]:
    """Per need and per judge, one statement: every active assignment with its sheet's status, if any."""
    rows = db.session.execute(
        sa.select(Bid.need_id, Assignment.judge_id, ScoreSheet.status)
        .select_from(Assignment).join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .outerjoin(ScoreSheet, sa.and_(ScoreSheet.bid_id == Assignment.bid_id,
                                       ScoreSheet.judge_id == Assignment.judge_id, ScoreSheet.round == Round.ONLINE))
        .where(Need.edition_id == edition.id, Assignment.status == ASSIGNED))
    by_need: dict[int, Tally] = defaultdict(Tally)
    by_judge: dict[int, Tally] = defaultdict(Tally)
    for need_id, judge_id, status in rows:
        for tally in (by_need[need_id], by_judge[judge_id]):
            tally.assigned += 1
            tally.drafts += status == SheetStatus.DRAFT
            tally.submitted += status == SheetStatus.SUBMITTED
    return by_need, by_judge


def edition_progress(edition: Edition) -> Progress:
    """Per need (bids, sheets expected and submitted) and per judge (assigned, drafts, submitted, late)."""
    by_need, by_judge = _tallies(edition)
    bid_counts = dict(db.session.execute(
        sa.select(Bid.need_id, sa.func.count(Bid.id)).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition.id, Need.status.in_(REVIEWED_NEEDS), Bid.status.in_(REVIEWED_BIDS))
        .group_by(Bid.need_id)).tuples().all())
    needs = db.session.scalars(sa.select(Need).options(joinedload(Need.firm)).where(
        Need.edition_id == edition.id, Need.id.in_(list(bid_counts))).order_by(Need.id)).all()
    judges = db.session.scalars(sa.select(User).where(User.id.in_(list(by_judge))).order_by(User.id)).all()
    return Progress(needs=[(n, bid_counts[n.id], by_need.get(n.id, Tally())) for n in needs],
                    judges=[(j, by_judge[j.id]) for j in judges])


def remind_late_judges(edition: Edition, actor: User, now: datetime) -> int:
    """Leave one in-app notice for each judge with sheets still to submit; returns how many were reminded."""
    ensure_organizer(actor)
    if edition.stage != EditionStage.ONLINE_REVIEW:
        raise WindowClosed("progress.remind_outside_review")
    _, by_judge = _tallies(edition)
    late = {judge_id: t.late for judge_id, t in sorted(by_judge.items()) if t.late > 0}
    for judge_id, missing in late.items():
        notices.notify([judge_id], f"提醒：{edition.name}初评中您还有 {missing} 份评分表未提交，"
                                   f"请在 {edition.review_end.isoformat()} 前完成。", now=now)
    audit.record(actor, "progress.remind", edition, {"judges": list(late), "count": len(late)})
    return len(late)
