"""Bids: a team drafts, submits, edits and withdraws its challenge report before the deadline."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain import anonymity
from ..domain.bidding import check_bidding_open, check_price
from ..domain.errors import Conflict, Invalid, NotPermitted, Phrase
from ..domain.states import BID_CHANGEABLE, BID_LIVE, BidStatus, Role, ensure_bid_transition
from ..extensions import db
from ..models import Bid, Need, Team, User
from . import notify
from .clock import to_beijing
from .files import uploads
from .records import audit

BID_FIELDS = (
    "approach", "innovation", "indicators", "plan", "price_wan", "duration_months",
    "ip_background", "strengths", "declaration_accepted",
)


def _ensure_owner(bid: Bid, actor: User, team: Team) -> None:
    if actor.role != Role.TEAM or team.owner_id != actor.id or bid.team_id != team.id:
        raise NotPermitted("bid.not_own")


# The words naming what the anonymity check found, by its kind.
FOUND_KIND = {
    anonymity.Kind.TEAM: "anonymity.team", anonymity.Kind.ORGANIZATION: "anonymity.organization",
    anonymity.Kind.SHORT_FORM: "anonymity.short_form", anonymity.Kind.LEADER: "anonymity.leader",
    anonymity.Kind.MEMBER: "anonymity.member", anonymity.Kind.CONTACT: "anonymity.contact",
    anonymity.Kind.PHONE: "anonymity.phone", anonymity.Kind.EMAIL: "anonymity.email",
}


def identity_of(team: Team) -> anonymity.Identity:
    """What identifies the team in a report: its name, lead and members' organizations, leader, members, the
    account's contact person, the phone numbers and e-mail addresses of that account and of the lead organization."""
    owner, lead = team.owner, team.lead_org
    return anonymity.Identity(
        team_name=team.name,
        organizations=(lead.name, *(m.organization_name for m in team.members)),
        leader=team.leader_name,
        members=tuple(m.name for m in team.members),
        contacts=(owner.display_name,),
        phones=(owner.phone, lead.contact_phone),
        emails=(owner.email, lead.contact_email),
    )


def check_report(team: Team, pdf: uploads.CheckedPdf) -> bool | None:
    """The anonymity check of a challenge report: refuse it (Invalid "pdf.identifies_team", naming the page and
    what was found) when its text names the team. True: checked and anonymous; False: no text layer to check (a
    scan); None: its text was not read (a file the app did not receive as an upload)."""
    if pdf.page_texts is None:
        return None
    if not anonymity.has_text(pdf.page_texts):
        return False
    found = anonymity.first(identity_of(team), pdf.page_texts)
    if found is not None:
        raise Invalid("pdf.identifies_team", page=found.page, found=found.found,
                      matches=Phrase(FOUND_KIND[found.kind], item=found.item))
    return True


def _apply(bid: Bid, team: Team, data: dict, pdf: uploads.CheckedPdf | None) -> None:
    checked = check_report(team, pdf) if pdf is not None else None   # before anything changes or is stored
    check_price(data["price_wan"])
    if data["duration_months"] <= 0:
        raise Invalid("bid.duration_not_positive")
    for key in BID_FIELDS:
        setattr(bid, key, data[key])
    if pdf is not None:
        bid.report_text_checked = checked
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


def _minute(moment: datetime) -> str:
    """A moment as the team reads it: Beijing time, to the minute."""
    return to_beijing(moment).strftime("%Y-%m-%d %H:%M")


def _tell_team(kind: str, bid: Bid, now: datetime, **params) -> None:
    """The team's owner hears of what became of its bid (a team is its owner's account, never its lead
    organization's: teams of one organization do not hear of each other)."""
    db.session.flush()  # a new bid's id (its link) and its team and need
    notify.tell(kind, notify.audience.team(bid.team), now=now, link=notify.path("team.bid", bid_id=bid.id),
                need=bid.need.name, when=_minute(now), **params)


def _submit(bid: Bid, actor: User, now: datetime) -> None:
    """Turn the bid in (again, after a change): its team gets a receipt for the version on file."""
    if bid.status == BidStatus.DRAFT:
        ensure_bid_transition(bid.status, BidStatus.SUBMITTED)
        bid.status = BidStatus.SUBMITTED
    bid.submitted_at = now
    audit.record(actor, "bid.submit", bid, {"need_id": bid.need_id})
    db.session.flush()  # a new bid's need, for its deadline
    _tell_team("bid.submitted", bid, now, deadline=_minute(bid.need.edition.bidding_deadline))


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
    _apply(bid, team, data, pdf)
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
    _apply(bid, team, data, pdf)
    audit.record(actor, "bid.update", bid, {"new_pdf": pdf is not None})
    if submit:
        _submit(bid, actor, now)
    return bid


def check_change(bid: Bid, actor: User, now: datetime) -> None:
    """Refuse editing or withdrawing the bid now: its team's owner only, before the deadline, a draft or submitted
    bid (what the bid's pages ask before they offer 修改 and 撤回)."""
    _ensure_owner(bid, actor, bid.team)
    check_bidding_open(bid.need.status, bid.need.edition.bidding_deadline, now)
    if bid.status not in BID_CHANGEABLE:
        raise Conflict("bid.not_changeable")


def check_new_bid(need: Need, actor: User, now: datetime) -> None:
    """Refuse starting a bid on the need now: a team account whose team has no live bid on it, bidding open."""
    if actor.role != Role.TEAM:
        raise NotPermitted("bid.teams_only")
    check_bidding_open(need.status, need.edition.bidding_deadline, now)
    live = db.session.scalar(sa.select(Bid.id).join(Team, Team.id == Bid.team_id).where(
        Team.owner_id == actor.id, Bid.need_id == need.id, Bid.status.in_(BID_LIVE)))
    if live:
        raise Conflict("bid.already_bid")


def withdraw_bid(bid: Bid, team: Team, *, actor: User, now: datetime) -> Bid:
    """A team withdraws its bid until the deadline."""
    _ensure_owner(bid, actor, team)
    check_change(bid, actor, now)
    ensure_bid_transition(bid.status, BidStatus.WITHDRAWN)
    bid.status = BidStatus.WITHDRAWN
    bid.withdrawn_at = now
    audit.record(actor, "bid.withdraw", bid)
    _tell_team("bid.withdrawn", bid, now)
    return bid
