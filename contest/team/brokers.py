"""A team names the technology broker (技术经纪人) who helped it with a bid; the broker confirms. While the credit
is pending or declined the team may name another or remove it."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..models import Bid
from ..services import accounts
from ..services.brokers import credits
from ..web import broker_credit_pages as pages
from . import bp, queries

BID = pages.Side("bid", "team/broker.html", credits.credit_of_bid, credits.name_on_bid, credits.remove_from_bid)


@bp.context_processor
def broker_credit_lookup():
    """The bid page's broker section reads the bid's credit (one statement, on the pages that show it)."""
    return {"bid_broker_credit": lambda bid: credits.credit_of_bid(bid.id)}


def _own_bid(bid_id: int) -> Bid:
    team = accounts.team_of(current_user)
    if team is None:
        abort(403)
    return queries.get_own_bid_or_404(bid_id, team)


@bp.get("/bids/<int:bid_id>/broker")
def bid_broker(bid_id: int):
    """Find an active broker by name or certificate number to name on the bid."""
    return pages.choose_page(BID, _own_bid(bid_id))


@bp.post("/bids/<int:bid_id>/broker")
def name_bid_broker(bid_id: int):
    """Name (or replace) the bid's broker; the broker is asked to confirm."""
    return pages.name(BID, _own_bid(bid_id))


@bp.post("/bids/<int:bid_id>/broker/remove")
def remove_bid_broker(bid_id: int):
    """Take back a pending or declined broker credit on the bid."""
    return pages.remove(BID, _own_bid(bid_id))
