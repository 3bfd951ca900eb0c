"""What the judges' pages read, always scoped to the judge in the query itself (another bid is 404)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from ..domain.rubric import Round
from ..domain.states import AssignmentStatus, BidStatus, SheetStatus
from ..extensions import db
from ..models import Assignment, Bid, Need, PanelMember, ScoreSheet, Team, User
from ..services.judging import judges
from ..services.judging.conflicts import judge_conflicted


@dataclass(frozen=True)
class AssignedBid:
    """A bid on the judge's list, with the state of the judge's sheet (None: not scored yet)."""

    bid: Bid
    sheet_status: SheetStatus | None
    assignment: Assignment | None = None  # online round only: the recusal link needs it

    @property
    def assignment_id(self) -> int | None:
        return self.assignment.id if self.assignment is not None else None


@dataclass(frozen=True)
class Panel:
    """An on-site panel the user sits on: the need, its finalists and how many the user has submitted."""

    member: PanelMember
    finalists: int
    submitted: int


def _need_loaded():
    return joinedload(Bid.need).options(joinedload(Need.edition), joinedload(Need.firm))


def _sheet_statuses(user_id: int, round_: Round, bid_ids: list[int]) -> dict[int, SheetStatus]:
    if not bid_ids:
        return {}
    return dict(db.session.execute(
        sa.select(ScoreSheet.bid_id, ScoreSheet.status)
        .where(ScoreSheet.judge_id == user_id, ScoreSheet.round == round_, ScoreSheet.bid_id.in_(bid_ids))
    ).all())


def assigned_bids(judge: User) -> list[AssignedBid]:
    """The judge's online bids (not recused, not conflicted: see own_assignments; not out of the round for a
    disclosed identity), by need, with the judge's sheet status."""
    shown = [a for a in judges.own_assignments(judge) if a.bid.identity_disclosed_at is None]
    statuses = _sheet_statuses(judge.id, Round.ONLINE, [a.bid_id for a in shown])
    return [AssignedBid(a.bid, statuses.get(a.bid_id), a) for a in shown]


def assigned_bid_or_404(judge: User, bid_id: int) -> Bid:
    """A bid the judge is assigned to in the online round; any other bid is 404.

    A judge in conflict with the bid (an assignment made before its organization or declared conflicts were
    known) gets the very same 404: it may neither read nor download nor score the bid, and the answer must not
    tell a conflicted bid from one that is not the judge's (it would say whom the bid comes from). A bid whose
    identity the organizer marked disclosed is out of the round: 404 as well.
    """
    bid = db.session.scalar(
        sa.select(Bid).join(Assignment, Assignment.bid_id == Bid.id)
        .where(Bid.id == bid_id, Assignment.judge_id == judge.id, Assignment.status == AssignmentStatus.ASSIGNED,
               Bid.identity_disclosed_at.is_(None))
        .options(_need_loaded())
    )
    if bid is None or judge_conflicted(judge, bid):
        abort(404)
    return bid


def _finalists_select(need_ids):
    # Finalists, and after the firm's decision the finalists it ranked (they carry on-site sheets).
    scored = sa.select(ScoreSheet.id).where(ScoreSheet.bid_id == Bid.id, ScoreSheet.round == Round.ONSITE)
    return sa.select(Bid).where(Bid.need_id.in_(need_ids), Bid.identity_disclosed_at.is_(None), sa.or_(
        Bid.status == BidStatus.FINALIST,
        sa.and_(Bid.status.in_((BidStatus.WINNER, BidStatus.NOT_SELECTED)), scored.exists()),
    ))


def panels(user: User) -> list[Panel]:
    """The on-site panels the user sits on, with each need's finalists and the user's submitted sheets."""
    members = list(db.session.scalars(
        sa.select(PanelMember).where(PanelMember.user_id == user.id)
        .options(joinedload(PanelMember.need).options(joinedload(Need.edition), joinedload(Need.firm)))
        .order_by(PanelMember.need_id)
    ))
    need_ids = [m.need_id for m in members]
    finalists: dict[int, int] = {}
    for bid in db.session.scalars(_finalists_select(need_ids)) if need_ids else []:
        finalists[bid.need_id] = finalists.get(bid.need_id, 0) + 1
    submitted = dict(db.session.execute(
        sa.select(Bid.need_id, sa.func.count(ScoreSheet.id)).join(ScoreSheet, ScoreSheet.bid_id == Bid.id)
        .where(ScoreSheet.judge_id == user.id, ScoreSheet.round == Round.ONSITE,
               ScoreSheet.status == SheetStatus.SUBMITTED, Bid.need_id.in_(need_ids))
        .group_by(Bid.need_id)
    ).all()) if need_ids else {}
    return [Panel(m, finalists.get(m.need_id, 0), submitted.get(m.need_id, 0)) for m in members]


def panel_or_404(user: User, need_id: int) -> PanelMember:
    """The user's seat on a need's panel, with the need; a panel the user is not on is 404."""
    member = db.session.scalar(
        sa.select(PanelMember).where(PanelMember.need_id == need_id, PanelMember.user_id == user.id)
        .options(joinedload(PanelMember.need).options(joinedload(Need.edition), joinedload(Need.firm)))
    )
    if member is None:
        abort(404)
    return member


def finalists(user: User, need_id: int) -> list[AssignedBid]:
    """The need's finalists in a stable order, team shown (the panel watches the pitch), with the user's sheets."""
    bids = list(db.session.scalars(
        _finalists_select([need_id]).options(joinedload(Bid.team).joinedload(Team.lead_org))
        .order_by(Bid.submitted_at, Bid.id)
    ).unique())
    statuses = _sheet_statuses(user.id, Round.ONSITE, [b.id for b in bids])
    return [AssignedBid(b, statuses.get(b.id)) for b in bids]


def own_assignment_or_404(judge: User, assignment_id: int) -> Assignment:
    """One of the judge's own assignments, with its bid and need; anyone else's is 404."""
    found = db.session.scalar(
        sa.select(Assignment).where(Assignment.id == assignment_id, Assignment.judge_id == judge.id)
        .options(joinedload(Assignment.bid).joinedload(Bid.need).joinedload(Need.edition)))
    if found is None:
        abort(404)
    return found
