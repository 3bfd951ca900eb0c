"""Read-side queries of the team pages: always scoped to the team in the query itself."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import joinedload, selectinload

from ..domain.states import BID_LIVE, NEED_PUBLIC, BidStatus
from ..extensions import db
from ..models import Bid, Need, Team
from ..web.listing import Listing

BID_NEED = sa.select(Need.name).where(Need.id == Bid.need_id).scalar_subquery()
# A team's own bids are a few dozen at most: every column sorts cheaply. Never by status: before the results are
# published the team sees its bids' status embargoed, and an order by the real one would tell it.
OWN_BIDS = Listing("team-bids", sorts={"submitted": sa.func.coalesce(Bid.submitted_at, Bid.created_at),
                                       "need": BID_NEED, "price": Bid.price_wan},
                   default="submitted", default_dir="desc", tiebreak=Bid.id, first_dir={"submitted": "desc"},
                   texts=(BID_NEED,))


def _bid_with_need():
    return joinedload(Bid.need).joinedload(Need.edition)


def get_own_bid_or_404(bid_id: int, team: Team) -> Bid:
    """The team's own bid with its need and edition; another team's bid is 404, not 403."""
    bid = db.session.scalar(
        sa.select(Bid).where(Bid.id == bid_id, Bid.team_id == team.id).options(
            _bid_with_need(), joinedload(Bid.need).joinedload(Need.firm))
    )
    if bid is None:
        abort(404)
    return bid


def get_public_need_or_404(need_id: int) -> Need:
    """A need the public may see (published or later), with its edition and firm."""
    need = db.session.scalar(
        sa.select(Need).where(Need.id == need_id, Need.status.in_(NEED_PUBLIC)).options(
            joinedload(Need.edition), joinedload(Need.firm))
    )
    if need is None:
        abort(404)
    return need


def live_bid(team: Team, need: Need) -> Bid | None:
    """The team's bid on this need that still counts (not withdrawn), if any."""
    return db.session.scalar(
        sa.select(Bid).where(Bid.team_id == team.id, Bid.need_id == need.id, Bid.status.in_(BID_LIVE))
    )


def withdrawn_bid(team: Team, need: Need) -> Bid | None:
    """The team's latest withdrawn report on this need, whose text it may restore into a new one."""
    return db.session.scalar(
        sa.select(Bid).where(Bid.team_id == team.id, Bid.need_id == need.id, Bid.status == BidStatus.WITHDRAWN)
        .order_by(Bid.id.desc()).limit(1))


def team_card(team_id: int) -> Team:
    """The team with its lead organization and members, for the dashboard's card."""
    return db.session.scalar(
        sa.select(Team).where(Team.id == team_id).options(joinedload(Team.lead_org), selectinload(Team.members))
    )


def own_bids_page(team: Team, page: int, asked=None):
    """One page of the team's own bids, newest first (or searched and sorted as asked), with need and edition
    loaded in the same query."""
    select = (
        sa.select(Bid).where(Bid.team_id == team.id).options(_bid_with_need())
        .order_by(Bid.created_at.desc(), Bid.id.desc())
    )
    if asked is not None:
        select = OWN_BIDS.apply(select, asked)
    return db.paginate(select, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)
