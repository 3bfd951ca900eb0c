"""Bids: a team drafts, submits, edits and withdraws its challenge report before the deadline."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain.bidding import check_bidding_open, check_price
from ..domain.errors import Conflict, Invalid, NotPermitted
from ..domain.states import BID_CHANGEABLE, BID_LIVE, BidStatus, Role, ensure_bid_transition
from ..extensions import db
from ..models import Bid, Need, Team, User
from .files import uploads
from .records import audit

BID_FIELDS = (
    "approach", "innovation", "indicators", "plan", "price_wan", "duration_months",
    "ip_background", "strengths", "declaration_accepted",
)


def _ensure_owner(bid: Bid, actor: User, team: Team) -> None:
    if actor.role != Role.TEAM or team.owner_id != actor.id or bid.team_id != team.id:
        raise NotPermitted("bid.not_own")


def _apply(bid: Bid, data: dict, pdf: uploads.CheckedPdf | None) -> None:
    check_price(data["price_wan"])
    if data["duration_months"] <= 0:
        raise Invalid("bid.duration_not_positive")
    for key in BID_FIELDS:
        setattr(bid, key, data[key])
    if pdf is not None:
        bid.pdf_stored_name = uploads.store(pdf)
        bid.pdf_original_name = pdf.original_name
        bid.pdf_size = len(pdf.content)
        bid.pdf_sha256 = pdf.sha256


def _check_complete(data: dict, has_pdf: bool) -> None:
    """A submitted bid needs the accepted declaration and the challenge report."""
    if not data["declaration_accepted"]:
        raise Invalid("bid.declaration_required")
    if not has_pdf:
        raise Invalid("bid.report_required")


def _submit(bid: Bid, actor: User, now: datetime) -> None:
    if bid.status == BidStatus.DRAFT:
        ensure_bid_transition(bid.status, BidStatus.SUBMITTED)
        bid.status = BidStatus.SUBMITTED
    bid.submitted_at = now
    audit.record(actor, "bid.submit", bid, {"need_id": bid.need_id})


def create_bid(team: Team, need: Need, data: dict, pdf: uploads.CheckedPdf | None, *,
               actor: User, now: datetime, submit: bool) -> Bid:
    """A team starts its one bid for a published need, as a draft or submitted at once."""
    if actor.role != Role.TEAM or team.owner_id != actor.id:
        raise NotPermitted("bid.teams_only")
    check_bidding_open(need.status, need.edition.bidding_deadline, now)
    live = db.session.scalar(
        sa.select(Bid.id).where(Bid.team_id == team.id, Bid.need_id == need.id, Bid.status.in_(BID_LIVE))
    )
    if live:
        raise Conflict("bid.already_bid")
    if submit:
        _check_complete(data, pdf is not None)
    bid = Bid(team_id=team.id, need_id=need.id, status=BidStatus.DRAFT)
    _apply(bid, data, pdf)
    db.session.add(bid)
    audit.record(actor, "bid.create", bid, {"need_id": need.id})
    if submit:
        _submit(bid, actor, now)
    return bid


def update_bid(bid: Bid, team: Team, data: dict, pdf: uploads.CheckedPdf | None, *,
               actor: User, now: datetime, submit: bool) -> Bid:
    """A team edits its draft or submitted bid until the deadline."""
    _ensure_owner(bid, actor, team)
    check_bidding_open(bid.need.status, bid.need.edition.bidding_deadline, now)
    if bid.status not in BID_CHANGEABLE:
        raise Invalid("bid.not_changeable")
    submit = submit or bid.status == BidStatus.SUBMITTED
    if submit:
        _check_complete(data, pdf is not None or bool(bid.pdf_stored_name))
    _apply(bid, data, pdf)
    audit.record(actor, "bid.update", bid, {"new_pdf": pdf is not None})
    if submit:
        _submit(bid, actor, now)
    return bid


def withdraw_bid(bid: Bid, team: Team, *, actor: User, now: datetime) -> Bid:
    """A team withdraws its bid until the deadline."""
    _ensure_owner(bid, actor, team)
    check_bidding_open(bid.need.status, bid.need.edition.bidding_deadline, now)
    ensure_bid_transition(bid.status, BidStatus.WITHDRAWN)
    bid.status = BidStatus.WITHDRAWN
    bid.withdrawn_at = now
    audit.record(actor, "bid.withdraw", bid)
    return bid
