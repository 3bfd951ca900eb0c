"""What the organizer's pages read: each list is one statement (plus pagination's count), never one per row."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import joinedload, selectinload

from ..domain.states import BID_LIVE, BidStatus, NeedStatus, Role
from ..extensions import db
from ..models import (
    Assignment, AuditEvent, Bid, Edition, Need, NeedReview, Organization, ScoreItem, ScoreSheet, SheetReopening, Team,
    User,
)
from ..services.clock import from_beijing
from ..services.editions import all_editions
from ..web.lookups import within_pages

# Bids a team has turned in (a draft is still the team's own work).
BIDS_TURNED_IN = frozenset(BID_LIVE - {BidStatus.DRAFT})


def paginate(stmt: sa.Select, page: int):
    """One page of the statement's rows; past the end of the list, its last page."""
    return within_pages(lambda p: db.paginate(stmt, page=p, per_page=current_app.config["PAGE_SIZE"],
                                              error_out=False), page)


@dataclass
class EditionSummary:
    """An edition's numbers on the dashboard."""

    edition: Edition
    needs: dict[NeedStatus, int] = field(default_factory=dict)
    bids: int = 0
    teams: int = 0

    @property
    def total_needs(self) -> int:
        return sum(self.needs.values())


def edition_summaries() -> list[EditionSummary]:
    """Every edition with its needs by status, bids turned in and teams bidding: three statements in all."""
    summaries = {e.id: EditionSummary(e) for e in all_editions()}
    need_counts = db.session.execute(
        sa.select(Need.edition_id, Need.status, sa.func.count(Need.id)).group_by(Need.edition_id, Need.status)
    )
    for edition_id, status, n in need_counts:
        if edition_id in summaries:
            summaries[edition_id].needs[status] = n
    bid_counts = db.session.execute(
        sa.select(Need.edition_id, sa.func.count(Bid.id), sa.func.count(sa.distinct(Bid.team_id)))
        .join(Bid, Bid.need_id == Need.id)
        .where(Bid.status.in_(BIDS_TURNED_IN))
        .group_by(Need.edition_id)
    )
    for edition_id, bids, teams in bid_counts:
        if edition_id in summaries:
            summaries[edition_id].bids, summaries[edition_id].teams = bids, teams
    return list(summaries.values())


def _in_edition(code: str | None):
    if not code:
        return sa.true()
    return Need.edition_id == sa.select(Edition.id).where(Edition.code == code).scalar_subquery()


def needs_select(edition_code: str | None = None, status: NeedStatus | None = None) -> sa.Select:
    """Needs with their firm and edition, newest first."""
    stmt = (sa.select(Need).options(joinedload(Need.firm), joinedload(Need.edition))
            .where(_in_edition(edition_code)).order_by(Need.id.desc()))
    if status is not None:
        stmt = stmt.where(Need.status == status)
    return stmt


def queue_select(edition_code: str | None = None) -> sa.Select:
    """Submitted needs waiting for screening, oldest submission first."""
    return (sa.select(Need).options(joinedload(Need.firm), joinedload(Need.edition))
            .where(Need.status == NeedStatus.SUBMITTED, _in_edition(edition_code))
            .order_by(Need.submitted_at, Need.id))


def need_or_404(need_id: int) -> Need:
    """A need with everything its review page shows: firm, edition, author, screening history."""
    need = db.session.scalar(
        sa.select(Need).where(Need.id == need_id)
        .options(joinedload(Need.firm), joinedload(Need.edition), joinedload(Need.created_by),
                 selectinload(Need.reviews).joinedload(NeedReview.reviewer))
    )
    if need is None:
        abort(404)
    return need


def bids_of_need(need_id: int) -> list[Bid]:
    """The bids turned in (or withdrawn) for a need, with team and lead organization, in submission order."""
    return list(db.session.scalars(
        sa.select(Bid).where(Bid.need_id == need_id, Bid.status != BidStatus.DRAFT)
        .options(joinedload(Bid.team).joinedload(Team.lead_org))
        .order_by(Bid.submitted_at, Bid.id)
    ))


def users_select(role: Role | None = None) -> sa.Select:
    stmt = sa.select(User).options(joinedload(User.organization)).order_by(User.id.desc())
    if role is not None:
        stmt = stmt.where(User.role == role)
    return stmt


def organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name)))


def _beijing_day_start(day: date) -> datetime:
    return from_beijing(datetime.combine(day, time.min))


def audit_select(filters: dict) -> sa.Select:
    """Audit events matching the filters, newest first (the actor comes joined)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if "action" in filters:
        stmt = stmt.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if "actor" in filters:
        stmt = stmt.where(AuditEvent.actor_id.in_(sa.select(User.id).where(User.username == filters["actor"])))
    if "object_type" in filters:
        stmt = stmt.where(AuditEvent.object_type == filters["object_type"])
    if "object_id" in filters:
        stmt = stmt.where(AuditEvent.object_id == filters["object_id"])
    if "date_from" in filters:
        stmt = stmt.where(AuditEvent.created_at >= _beijing_day_start(filters["date_from"]))
    if "date_to" in filters:
        stmt = stmt.where(AuditEvent.created_at < _beijing_day_start(filters["date_to"] + timedelta(days=1)))
    return stmt


def audit_vocabulary() -> tuple[list[str], list[str]]:
    """The distinct actions and object types recorded so far, for the filter's suggestions."""
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.object_type).distinct()
    ).all()
    return sorted({r.action for r in rows}), sorted({r.object_type for r in rows})


# --- judging ------------------------------------------------------------------------------------------------

def assignment_or_404(edition: Edition, assignment_id: int) -> Assignment:
    """An assignment of one of the edition's bids; any other is 404."""
    found = db.session.scalar(
        sa.select(Assignment).join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .where(Assignment.id == assignment_id, Need.edition_id == edition.id))
    return found or abort(404)


def judges() -> list[User]:
    """Every judge account, oldest first."""
    return list(db.session.scalars(sa.select(User).where(User.role == Role.JUDGE).order_by(User.id)))


def judge_or_404(user_id: int) -> User:
    """A judge's account; anyone else's id is 404."""
    return db.session.scalar(sa.select(User).where(User.id == user_id, User.role == Role.JUDGE)) or abort(404)


def bid_for_sheets_or_404(bid_id: int) -> Bid:
    """A bid with its need, edition, firm, team and lead organization, for its score sheets' page."""
    bid = db.session.scalar(sa.select(Bid).where(Bid.id == bid_id).options(
        joinedload(Bid.need).options(joinedload(Need.edition), joinedload(Need.firm)),
        joinedload(Bid.team).joinedload(Team.lead_org)))
    return bid or abort(404)


def sheets_of_bid(bid_id: int) -> list[ScoreSheet]:
    """Every sheet of the bid with its judge, points, criteria and reopen history: a handful of statements."""
    return list(db.session.scalars(
        sa.select(ScoreSheet).where(ScoreSheet.bid_id == bid_id)
        .options(joinedload(ScoreSheet.judge),
                 selectinload(ScoreSheet.items).joinedload(ScoreItem.criterion),
                 selectinload(ScoreSheet.history).joinedload(SheetReopening.reopened_by))
        .order_by(ScoreSheet.round, ScoreSheet.id)
    ).unique())
