"""The pages the scale benchmark and the statement-count test request on a generated edition, each with
the account that sees it. The objects are the heaviest of their kind (the awarded need with the most bids,
the judge with the most assignments…), chosen by queries, so any edition can be measured, the demo's too.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.contracts import ContractStatus
from ..domain.states import AssignmentStatus, BidStatus, NeedStatus, Role
from ..extensions import db
from ..models import Assignment, Bid, Contract, Edition, Need, Team, User

PAGE_KEYS = (
    "public catalogue", "public need", "public results", "organizer dashboard", "organizer needs",
    "organizer screening queue", "organizer need", "organizer need bids", "organizer assignments",
    "organizer review progress", "organizer standings", "organizer bid sheets", "organizer contracts",
    "organizer contract", "organizer statistics", "organizer users", "organizer audit log", "organizer mail log",
    "organizer notices", "judge workbench", "judge online sheet", "firm needs", "firm ranking", "team dashboard",
    "team bid",
)


@dataclass(frozen=True)
class Page:
    key: str                 # a stable name: "organizer standings"
    role: Role | None        # who is logged in (None: nobody)
    username: str | None
    path: str


def _heaviest_need(edition: Edition) -> Need | None:
    """The edition's need with the most bids, awarded (with a contract, when there are contracts) if any."""
    bids = sa.select(sa.func.count(Bid.id)).where(Bid.need_id == Need.id).scalar_subquery()
    contracted = sa.exists().where(Contract.need_id == Need.id, Contract.status != ContractStatus.VOID)
    return db.session.scalar(
        sa.select(Need).where(Need.edition_id == edition.id)
        .order_by(contracted.desc(), (Need.status == NeedStatus.AWARDED).desc(), bids.desc(), Need.id).limit(1))


def _busiest_judge(edition: Edition) -> tuple[User, int] | None:
    """The judge with the most active online assignments in the edition, and their first bid."""
    row = db.session.execute(
        sa.select(Assignment.judge_id, sa.func.count(Assignment.id), sa.func.min(Assignment.bid_id))
        .join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition.id, Assignment.status == AssignmentStatus.ASSIGNED)
        .group_by(Assignment.judge_id).order_by(sa.func.count(Assignment.id).desc(), Assignment.judge_id)
        .limit(1)).first()
    return (db.session.get(User, row[0]), row[2]) if row else None


def sample_pages(code: str) -> list[Page]:
    """Every page of the benchmark's list that the edition has the data for, in a fixed order."""
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == code))
    organizer = db.session.scalar(sa.select(User).where(User.role == Role.ORGANIZER, User.active.is_(True))
                                  .order_by(User.id))
    need = _heaviest_need(edition)
    bid = need and db.session.scalar(
        sa.select(Bid).where(Bid.need_id == need.id, Bid.status != BidStatus.DRAFT)
        .order_by((Bid.status == BidStatus.WINNER).desc(), Bid.id).limit(1))
    contract = need and db.session.scalar(
        sa.select(Contract).where(Contract.need_id == need.id, Contract.status != ContractStatus.VOID))
    judge = _busiest_judge(edition)
    firm = need and db.session.get(User, need.created_by_id)
    team = bid and db.session.get(User, db.session.get(Team, bid.team_id).owner_id)
    org = (Role.ORGANIZER, organizer.username) if organizer else None
    candidates = [
        ("public catalogue", None, "/needs"),
        ("public need", None, need and f"/needs/{need.id}"),
        ("public results", None, edition.results_published_at and f"/results/{code}"),
        ("organizer dashboard", org, "/organizer/"),
        ("organizer needs", org, f"/organizer/needs?edition={code}"),
        ("organizer screening queue", org, "/organizer/queue"),
        ("organizer need", org, need and f"/organizer/needs/{need.id}"),
        ("organizer need bids", org, need and f"/organizer/needs/{need.id}/bids"),
        ("organizer assignments", org, judge and f"/organizer/editions/{code}/assignments"),
        ("organizer review progress", org, judge and f"/organizer/editions/{code}/progress"),
        ("organizer standings", org, judge and f"/organizer/editions/{code}/standings"),
        ("organizer bid sheets", org, judge and bid and f"/organizer/bids/{bid.id}/sheets"),
        ("organizer contracts", org, contract and f"/organizer/editions/{code}/contracts"),
        ("organizer contract", org, contract and f"/organizer/contracts/{contract.id}"),
        ("organizer statistics", org, f"/organizer/editions/{code}/statistics"),
        ("organizer users", org, "/organizer/users"),
        ("organizer audit log", org, "/organizer/audit"),
        ("organizer mail log", org, "/organizer/mail"),
        ("organizer notices", org, "/notices/"),
        ("judge workbench", judge and (Role.JUDGE, judge[0].username), "/judge/"),
        ("judge online sheet", judge and (Role.JUDGE, judge[0].username), judge and f"/judge/online/{judge[1]}"),
        ("firm needs", firm and (Role.FIRM, firm.username), "/firm/needs"),
        ("firm ranking", firm and (Role.FIRM, firm.username), judge and need and f"/firm/needs/{need.id}/ranking"),
        ("team dashboard", team and (Role.TEAM, team.username), "/team/"),
        ("team bid", team and (Role.TEAM, team.username), bid and f"/team/bids/{bid.id}"),
    ]
    assert tuple(key for key, _, _ in candidates) == PAGE_KEYS
    pages = []
    for key, who, path in candidates:
        if path and (who is not None or key.startswith("public")):
            role, username = who if who else (None, None)
            pages.append(Page(key, role, username, path))
    return pages
