"""A team's next steps: its reports still open before their need's bidding deadline, its finals, the results of
its editions while objections may be filed, and the objections awaiting a ruling. Three statements in all."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ...domain.states import BID_CHANGEABLE, BidStatus, EditionStage, NeedStatus, ObjectionStatus
from ...extensions import db
from ...models import Bid, Edition, Need, Objection, Team, User
from ..clock import beijing_date
from ..judging.stages import objection_deadline
from ..judging.standings import JUDGED_BIDS
from . import Todo, soonest_first

# Label keys of what a team's report asks for now.
BID_KEYS = {BidStatus.DRAFT: "team.draft", BidStatus.SUBMITTED: "team.submitted", BidStatus.FINALIST: "team.final"}


def _bids(team: Team, now: datetime) -> list[Todo]:
    """Drafts and submitted reports still changeable (the need's bidding deadline), and finalists (the final)."""
    rows = db.session.execute(
        sa.select(Bid.id, Bid.status, Need.name, Edition.bidding_deadline, Edition.final_date)
        .join(Need, Need.id == Bid.need_id).join(Edition, Edition.id == Need.edition_id)
        .where(Bid.team_id == team.id, sa.or_(
            sa.and_(Bid.status.in_(BID_CHANGEABLE), Need.status == NeedStatus.PUBLISHED,
                    Edition.bidding_deadline > now),
            sa.and_(Bid.status == BidStatus.FINALIST, Need.status == NeedStatus.FINAL,
                    Edition.stage == EditionStage.FINAL))))
    todos = []
    for bid_id, status, need_name, deadline, final_date in rows:
        if status == BidStatus.FINALIST:
            todos.append(Todo(BID_KEYS[status], 1, final_date, "team.bid", {"bid_id": bid_id}, need_name))
        else:
            todos.append(Todo(BID_KEYS[status], 1, deadline, "team.edit_bid", {"bid_id": bid_id}, need_name))
    return todos


def _results(team: Team, now: datetime) -> list[Todo]:
    """The editions whose results are published and whose objection window is open, with the team's reports in
    them (due: the window's last day)."""
    counts = (sa.select(Need.edition_id, sa.func.count(Bid.id).label("n")).join(Bid, Bid.need_id == Need.id)
              .where(Bid.team_id == team.id, Bid.status.in_(JUDGED_BIDS)).group_by(Need.edition_id).subquery())
    rows = db.session.execute(sa.select(Edition, counts.c.n).join(counts, counts.c.edition_id == Edition.id)
                              .where(Edition.stage == EditionStage.RESULTS))
    today, todos = beijing_date(now), []
    for edition, n in rows:
        deadline = objection_deadline(edition)
        if deadline is not None and today <= deadline:
            todos.append(Todo("team.results", n, deadline, "public.edition_results", {"code": edition.code},
                              edition.name))
    return todos


def _objections(team: Team, user: User) -> list[Todo]:
    """The objections the account filed, or against the team's award, still awaiting the organizer's ruling."""
    own_bids = sa.select(Bid.id).where(Bid.team_id == team.id)
    n = db.session.scalar(sa.select(sa.func.count(Objection.id)).where(
        Objection.status == ObjectionStatus.PENDING,
        sa.or_(Objection.filed_by_id == user.id, Objection.bid_id.in_(own_bids))))
    return [Todo("team.objections", n, None, "team.objections")] if n else []


def next_steps(team: Team, user: User, now: datetime) -> list[Todo]:
    """What the team must do or watch next, soonest deadline first."""
    return soonest_first(_bids(team, now) + _results(team, now) + _objections(team, user))
