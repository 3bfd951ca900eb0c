"""The assignment board: who judges which bid online, a page of needs at a time, with the bids short of
judges counted over the whole edition. Each piece is a fixed number of statements, whatever the edition's
size."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.assignment import eligible
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, BidStatus, NeedStatus, Role, SheetStatus
from ...extensions import db
from ...models import Assignment, Bid, Edition, Need, Organization, ScoreSheet, User
from .judges import BID_LOADS, bid_slots, judge_slots

# The needs and bids that went through the online round (still shown once the edition has moved on).
REVIEWED_NEEDS = (NeedStatus.IN_REVIEW, NeedStatus.FINAL, NeedStatus.AWARDED, NeedStatus.FAILED)
REVIEWED_BIDS = (BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED)
ASSIGNED = AssignmentStatus.ASSIGNED
SHORT_SHOWN = 50     # bids short of judges listed at the top of the board
JUDGES_FOUND = 20    # judges offered by the search-as-you-type picker


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
    short: list[BidRow]        # the first SHORT_SHOWN bids of the edition short of judges
    short_total: int           # how many there are in all
    per_bid: int


def _reviewed(edition: Edition):
    return sa.and_(Need.edition_id == edition.id, Need.status.in_(REVIEWED_NEEDS), Bid.status.in_(REVIEWED_BIDS))


def _active_count():
    return (sa.select(sa.func.count(Assignment.id))
            .where(Assignment.bid_id == Bid.id, Assignment.status == ASSIGNED).scalar_subquery())


def reviewed_needs(edition: Edition, *, search: str = "", short_only: bool = False) -> sa.Select:
    """The needs with bids in the online round, in id order, filtered by a word of their name and to those
    with a bid short of judges: the list the board paginates."""
    bids = sa.select(Bid.id).where(Bid.need_id == Need.id, Bid.status.in_(REVIEWED_BIDS))
    if short_only:
        bids = bids.where(_active_count() < edition.judges_per_bid)
    stmt = (sa.select(Need).where(Need.edition_id == edition.id, Need.status.in_(REVIEWED_NEEDS), bids.exists())
            .options(joinedload(Need.firm)).order_by(Need.id))
    if search:
        stmt = stmt.where(Need.name.contains(search, autoescape=True))
    return stmt


def _short(edition: Edition) -> tuple[list[Bid], int]:
    """The first bids short of judges (by need, then bid) and how many there are: one grouped pass over the
    edition's assignments for the ids, one statement for the first bids."""
    active = sa.and_(Assignment.bid_id == Bid.id, Assignment.status == ASSIGNED)
    ids = db.session.scalars(
        sa.select(Bid.id).join(Need, Need.id == Bid.need_id).outerjoin(Assignment, active)
        .where(_reviewed(edition)).group_by(Bid.need_id, Bid.id)
        .having(sa.func.count(Assignment.id) < edition.judges_per_bid).order_by(Bid.need_id, Bid.id)).all()
    first = ids[:SHORT_SHOWN]
    bids = db.session.scalars(sa.select(Bid).where(Bid.id.in_(first)).options(*BID_LOADS)
                              .order_by(Bid.need_id, Bid.id)).unique().all() if first else []
    return list(bids), len(ids)


def _rows(bids: list[Bid], per_bid: int) -> dict[int, BidRow]:
    """Each bid with its assignments, submitted sheets and now-conflicted judges: three statements."""
    rows = {b.id: BidRow(b) for b in bids}
    if not rows:
        return rows
    assignments = db.session.scalars(
        sa.select(Assignment).where(Assignment.bid_id.in_(list(rows)))
        .options(joinedload(Assignment.judge).joinedload(User.organization)).order_by(Assignment.id)).all()
    for a in assignments:
        (rows[a.bid_id].active if a.status == ASSIGNED else rows[a.bid_id].recused).append(a)
    submitted = db.session.execute(sa.select(ScoreSheet.bid_id, ScoreSheet.judge_id).where(
        ScoreSheet.round == Round.ONLINE, ScoreSheet.status == SheetStatus.SUBMITTED,
        ScoreSheet.bid_id.in_(list(rows))))
    for bid_id, judge_id in submitted:
        rows[bid_id].submitted.add(judge_id)
    slots = {s.id: s for s in judge_slots(list({a.judge_id: a.judge for a in assignments}.values()))}
    for slot in bid_slots(bids):
        row = rows[slot.id]
        row.conflicted = {a.judge_id for a in row.active if not eligible(slot, slots[a.judge_id])}
        row.missing = max(per_bid - len(row.active), 0)
    return rows


def assignment_board(edition: Edition, needs: list[Need]) -> Board:
    """The given needs (a page of them) with their bids, judges and recusals; the edition's short bids."""
    bids = list(db.session.scalars(
        sa.select(Bid).join(Need, Need.id == Bid.need_id)
        .where(_reviewed(edition), Bid.need_id.in_([n.id for n in needs]))
        .options(*BID_LOADS).order_by(Bid.need_id, Bid.id)).unique())
    short_bids, short_total = _short(edition)
    rows = _rows(list({b.id: b for b in bids + short_bids}.values()), edition.judges_per_bid)
    by_need: dict[int, list[BidRow]] = {n.id: [] for n in needs}
    for b in bids:
        by_need[b.need_id].append(rows[b.id])
    return Board(needs=[(n, by_need[n.id]) for n in needs], short=[rows[b.id] for b in short_bids],
                 short_total=short_total, per_bid=edition.judges_per_bid)


def find_judges(edition: Edition, text: str) -> list[tuple[User, int]]:
    """Active judges whose name, user name or organization contains the text, with their load in the
    edition's online round: the search-as-you-type picker's suggestions (at most JUDGES_FOUND)."""
    load = (sa.select(sa.func.count(Assignment.id)).join(Bid, Bid.id == Assignment.bid_id)
            .join(Need, Need.id == Bid.need_id)
            .where(Assignment.judge_id == User.id, Assignment.status == ASSIGNED, Need.edition_id == edition.id)
            .scalar_subquery())
    stmt = (sa.select(User, load).outerjoin(Organization, Organization.id == User.org_id)
            .where(User.role == Role.JUDGE, User.active.is_(True))
            .options(joinedload(User.organization)).order_by(User.display_name, User.id).limit(JUDGES_FOUND))
    text = text.strip()
    if text:
        stmt = stmt.where(sa.or_(User.display_name.contains(text, autoescape=True),
                                 User.username.contains(text, autoescape=True),
                                 Organization.name.contains(text, autoescape=True)))
    return [(user, n) for user, n in db.session.execute(stmt)]


def judge_named(text: str) -> User | None:
    """The active judge whose user name, or else whose name alone, is exactly the text (the picker without
    script: the organizer types it)."""
    text = text.strip()
    judges = sa.select(User).where(User.role == Role.JUDGE, User.active.is_(True))
    found = db.session.scalar(judges.where(User.username == text))
    if found is None:
        named = db.session.scalars(judges.where(User.display_name == text).limit(2)).all()
        found = named[0] if len(named) == 1 else None
    return found
