"""What the organizer's pages read: each list is one statement (plus pagination's count), never one per row."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import joinedload, selectinload

from ..domain.choices import NeedField
from ..domain.states import BID_LIVE, AssignmentStatus, BidStatus, NeedStatus, Role
from ..extensions import db
from ..models import (
    Assignment, AuditEvent, Bid, Edition, Job, Need, NeedReview, Organization, ScoreItem, ScoreSheet, SheetReopening,
    Team, User,
)
from ..services.clock import from_beijing
from ..services.editions import all_editions
from ..services.judging.board import REVIEWED_BIDS
from ..web.listing import Listing
from ..web.lookups import MAX_ROW_ID, within_pages

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


EDITIONS = Listing("editions", sorts={"code": Edition.code, "name": Edition.name, "year": Edition.year,
                                      "deadline": Edition.bidding_deadline},
                   default="year", default_dir="desc", tiebreak=Edition.id, texts=(Edition.code, Edition.name),
                   first_dir={"year": "desc", "deadline": "desc"})


def editions_select(asked) -> sa.Select:
    """The editions, searched by code or name and sorted as asked (a few a year: no index needed)."""
    return EDITIONS.apply(sa.select(Edition), asked)


JOB_EDITION = sa.select(Edition.code).where(Edition.id == Job.edition_id).scalar_subquery()
# Jobs sort by their id (the primary key), their status (indexed) or kind and edition (a few hundred jobs a year).
JOBS = Listing("jobs", sorts={"id": Job.id, "kind": Job.kind, "status": Job.status, "edition": JOB_EDITION},
               default="id", default_dir="desc", tiebreak=Job.id, first_dir={"id": "desc"},
               texts=(Job.kind, JOB_EDITION))


def _in_edition(code: str | None):
    if not code:
        return sa.true()
    return Need.edition_id == sa.select(Edition.id).where(Edition.code == code).scalar_subquery()


# A need's firm's name, for sorting and searching without joining (cheap at national scale: 2,000 needs).
NEED_FIRM = sa.select(Organization.name).where(Organization.id == Need.firm_org_id).scalar_subquery()
NEED_TEXTS = (Need.name, Need.keywords, NEED_FIRM)
NEEDS = Listing("needs", sorts={"id": Need.id, "name": Need.name, "firm": NEED_FIRM, "field": Need.field,
                                "budget": Need.budget_wan, "status": Need.status},
                default="id", default_dir="desc", texts=NEED_TEXTS, tiebreak=Need.id,
                first_dir={"id": "desc", "budget": "desc"})
QUEUE = Listing("queue", sorts={"submitted": Need.submitted_at, "name": Need.name, "firm": NEED_FIRM,
                                "field": Need.field, "budget": Need.budget_wan},
                default="submitted", texts=NEED_TEXTS, tiebreak=Need.id, first_dir={"budget": "desc"})


def needs_select(edition_code: str | None = None, status: NeedStatus | None = None, asked=None) -> sa.Select:
    """Needs with their firm and edition, newest first (or searched and sorted as asked)."""
    stmt = (sa.select(Need).options(joinedload(Need.firm), joinedload(Need.edition))
            .where(_in_edition(edition_code)).order_by(Need.id.desc()))
    if status is not None:
        stmt = stmt.where(Need.status == status)
    return NEEDS.apply(stmt, asked) if asked is not None else stmt


def queue_select(edition_code: str | None = None, asked=None) -> sa.Select:
    """Submitted needs waiting for screening, oldest submission first (or searched and sorted as asked)."""
    stmt = (sa.select(Need).options(joinedload(Need.firm), joinedload(Need.edition))
            .where(Need.status == NeedStatus.SUBMITTED, _in_edition(edition_code))
            .order_by(Need.submitted_at, Need.id))
    return QUEUE.apply(stmt, asked) if asked is not None else stmt


def needs_by_ids(ids: list[int]) -> list[Need]:
    """The needs with these ids (firm and edition loaded), in id order: one statement."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Need).where(Need.id.in_(ids))
                                   .options(joinedload(Need.firm), joinedload(Need.edition)).order_by(Need.id)))


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


BID_TEAM = sa.select(Team.name).where(Team.id == Bid.team_id).scalar_subquery()
BID_ORG = (sa.select(Organization.name).join(Team, Team.lead_org_id == Organization.id)
           .where(Team.id == Bid.team_id).scalar_subquery())
# A need's bids are a few dozen at most (20,000 bids over 2,000 needs): every column sorts cheaply.
NEED_BIDS = Listing("need-bids", sorts={"submitted": Bid.submitted_at, "team": BID_TEAM, "org": BID_ORG,
                                        "price": Bid.price_wan, "months": Bid.duration_months, "status": Bid.status},
                    default="submitted", tiebreak=Bid.id, first_dir={"price": "desc"}, texts=(BID_TEAM, BID_ORG))


def bids_of_need(need_id: int, asked=None) -> sa.Select:
    """The bids turned in (or withdrawn) for a need, with team and lead organization, in submission order (or
    searched and sorted as asked)."""
    stmt = (sa.select(Bid).where(Bid.need_id == need_id, Bid.status != BidStatus.DRAFT)
            .options(joinedload(Bid.team).joinedload(Team.lead_org))
            .order_by(Bid.submitted_at, Bid.id))
    return NEED_BIDS.apply(stmt, asked) if asked is not None else stmt


JUDGE_ORG = sa.select(Organization.name).where(Organization.id == User.org_id).scalar_subquery()
JUDGES = Listing("judges", sorts={"name": User.display_name, "org": JUDGE_ORG, "id": User.id},
                 default="id", tiebreak=User.id, texts=(User.display_name, User.username, JUDGE_ORG))


def judges_select(asked) -> sa.Select:
    """Every judge account with its organization, searched and sorted as asked (oldest first by default)."""
    return JUDGES.apply(sa.select(User).where(User.role == Role.JUDGE).options(joinedload(User.organization)), asked)


USER_ORG = sa.select(Organization.name).where(Organization.id == User.org_id).scalar_subquery()
USERS = Listing("users", sorts={"username": User.username, "name": User.display_name, "role": User.role,
                                "org": USER_ORG, "created": User.id},
                default="created", default_dir="desc", tiebreak=User.id, first_dir={"created": "desc"},
                texts=(User.username, User.display_name, User.email, USER_ORG))


def users_select(role: Role | None = None, asked=None) -> sa.Select:
    """Accounts with their organization, newest first (or searched and sorted as asked)."""
    stmt = sa.select(User).options(joinedload(User.organization)).order_by(User.id.desc())
    if role is not None:
        stmt = stmt.where(User.role == role)
    return USERS.apply(stmt, asked) if asked is not None else stmt


def organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name)))


def _beijing_day_start(day: date) -> datetime:
    return from_beijing(datetime.combine(day, time.min))


# The audit trail sorts by its indexed columns only (it grows with every action); the search reads the action and
# the detail of the events the filters leave.
AUDIT = Listing("audit", sorts={"time": AuditEvent.created_at, "action": AuditEvent.action},
                default="time", default_dir="desc", tiebreak=AuditEvent.id, first_dir={"time": "desc"},
                texts=(AuditEvent.action, AuditEvent.detail))


def audit_select(filters: dict, asked=None) -> sa.Select:
    """Audit events matching the filters, newest first or as asked (the actor comes joined)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if asked is not None:
        stmt = AUDIT.apply(stmt, asked)
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


# --- one need at a time: the index of the standings and of the assignment board --------------------------

def field_asked(args) -> NeedField | None:
    """The ?field= filter of a per-need page: a need field, or nothing (an unknown value is no filter)."""
    value = args.get("field", "", type=str)
    return NeedField(value) if value in {f.value for f in NeedField} else None


def need_asked(args) -> int | None:
    """The ?need= a per-need page shows: an id a row can have, or nothing."""
    value = args.get("need", None, type=int)
    return value if value is not None and 0 < value <= MAX_ROW_ID else None


def narrowed(stmt: sa.Select, field: NeedField | None) -> sa.Select:
    return stmt if field is None else stmt.where(Need.field == field)


def chosen_need(stmt: sa.Select, need_id: int | None, page: list[Need]) -> Need | None:
    """The need a per-need page shows: the one asked for when the (filtered) list holds it, else the page's
    first. At most one statement (when the need asked for is on another page)."""
    if need_id is None:
        return page[0] if page else None
    for need in page:
        if need.id == need_id:
            return need
    return db.session.scalar(stmt.where(Need.id == need_id).order_by(None)) or (page[0] if page else None)


def board_counts(needs: list[Need], per_bid: int) -> dict[int, tuple[int, int]]:
    """Each need's bids in the online round and how many of them are short of judges: one grouped statement."""
    if not needs:
        return {}
    active = (sa.select(sa.func.count(Assignment.id))
              .where(Assignment.bid_id == Bid.id, Assignment.status == AssignmentStatus.ASSIGNED).scalar_subquery())
    rows = db.session.execute(
        sa.select(Bid.need_id, sa.func.count(Bid.id), sa.func.sum(sa.case((active < per_bid, 1), else_=0)))
        .where(Bid.need_id.in_([n.id for n in needs]), Bid.status.in_(REVIEWED_BIDS)).group_by(Bid.need_id))
    return {need_id: (bids, int(short or 0)) for need_id, bids, short in rows}
