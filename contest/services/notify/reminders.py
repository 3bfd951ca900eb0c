"""Reminders at due dates, written by the worker's sweep, each once: a judge with sheets to submit as the online
review's end nears, a team with a draft as the bidding deadline nears, a firm whose need's bidding has just
closed (how many bids it received), both parties of an issued contract not yet recorded as signed.
MAIL_REMIND_DAYS says how near (and how long after a closing the firms may still hear of it);
MAIL_SIGNING_REMIND_DAYS how long after issuing."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ...domain.contracts import ContractStatus
from ...domain.states import BidStatus, EditionStage, NeedStatus
from ...extensions import db
from ...models import Bid, Contract, Edition, Need, Notice
from .. import clock
from ..judging.progress import late_judges
from . import audience
from .compose import path
from .outbox import Told, tell, tell_each


def _days(name: str) -> timedelta:
    return timedelta(days=float(current_app.config[name]))


def review_due(*, now: datetime) -> int:
    today, told = clock.beijing_date(now), 0
    for edition in db.session.scalars(sa.select(Edition).where(Edition.stage == EditionStage.ONLINE_REVIEW)):
        if not today <= edition.review_end <= today + _days("MAIL_REMIND_DAYS"):
            continue
        late = late_judges(edition)
        for judge in audience.users(late):
            told += tell("reminder.review_due", [judge], now=now, link=path("judge.dashboard"),
                         key=f"review_due:{edition.id}:{edition.review_end.isoformat()}",
                         edition=edition.name, due=edition.review_end.isoformat(), count=late[judge.id])
    return told


def bidding_deadline(*, now: datetime) -> int:
    soon = now + _days("MAIL_REMIND_DAYS")
    drafts = db.session.execute(
        sa.select(Bid, Need, Edition).join(Need, Need.id == Bid.need_id).join(Edition, Edition.id == Need.edition_id)
        .where(Bid.status == BidStatus.DRAFT, Edition.stage == EditionStage.OPEN,
               Edition.bidding_deadline > now, Edition.bidding_deadline <= soon).order_by(Bid.id)).tuples().all()
    owners, told = audience.teams_of([b for b, _, _ in drafts]), 0
    for bid, need, edition in drafts:
        deadline = clock.to_beijing(edition.bidding_deadline).strftime("%Y-%m-%d %H:%M")
        told += tell("reminder.bidding_deadline", [owners[bid.id]], now=now,
                     link=path("team.edit_bid", bid_id=bid.id), key=f"bidding_deadline:{bid.id}",
                     need=need.name, deadline=deadline)
    return told


# A need published for an edition whose bidding has closed: still waiting for the review, or gone on to it.
CLOSED_NEEDS = (NeedStatus.PUBLISHED, NeedStatus.BIDDING_CLOSED, NeedStatus.IN_REVIEW, NeedStatus.FAILED)
RECEIVED = (BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED)


def bids_closed(*, now: datetime) -> int:
    """Once bidding has closed (and for MAIL_REMIND_DAYS after), each firm hears how many bids each of its
    published needs received: a count, never a team. Statements: three to find who is still to be told (none
    more once everyone is), then two for each need still to tell."""
    rows = db.session.execute(
        sa.select(Need.id, Need.name, Need.firm_org_id, sa.func.count(Bid.id))
        .join(Edition, Edition.id == Need.edition_id)
        .outerjoin(Bid, sa.and_(Bid.need_id == Need.id, Bid.status.in_(RECEIVED)))
        .where(Edition.bidding_deadline <= now, Edition.bidding_deadline > now - _days("MAIL_REMIND_DAYS"),
               Need.published_at.is_not(None), Need.status.in_(CLOSED_NEEDS))
        .group_by(Need.id, Need.name, Need.firm_org_id).order_by(Need.id)).tuples().all()
    if not rows:
        return 0
    firms = audience.firms(org for _, _, org, _ in rows)
    keys = {f"bids_closed:{need_id}:{user.id}" for need_id, _, org, _ in rows for user in firms[org]}
    told_already = set(db.session.scalars(sa.select(Notice.dedupe_key).where(Notice.dedupe_key.in_(keys))))
    told = 0
    for need_id, name, org, count in rows:
        waiting = [u for u in firms[org] if f"bids_closed:{need_id}:{u.id}" not in told_already]
        if waiting:
            link = path("firm.need", need_id=need_id)
            told += tell_each("need.bids_closed", [Told(u, {"need": name, "count": count}, link) for u in waiting],
                              now=now, key=f"bids_closed:{need_id}")
    return told


def contract_signing(*, now: datetime) -> int:
    issued = db.session.scalars(sa.select(Contract).where(
        Contract.status == ContractStatus.ISSUED, Contract.issued_at <= now - _days("MAIL_SIGNING_REMIND_DAYS"))
        .order_by(Contract.id)).all()
    told = 0
    for contract in issued:
        parties = audience.firm(contract.need.firm_org_id) + audience.team(contract.bid.team)
        told += tell("reminder.contract_signing", parties, now=now, key=f"contract_signing:{contract.id}",
                     number=contract.number or "", issued_on=clock.beijing_date(contract.issued_at).isoformat())
    return told
