"""Reminders at due dates, written by the worker's sweep, each once: a judge with sheets to submit as the online
review's end nears, a team with a draft as the bidding deadline nears, both parties of an issued contract not
yet recorded as signed. MAIL_REMIND_DAYS says how near; MAIL_SIGNING_REMIND_DAYS how long after issuing."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ...domain.contracts import ContractStatus
from ...domain.states import BidStatus, EditionStage
from ...extensions import db
from ...models import Bid, Contract, Edition, Need
from .. import clock
from ..judging.progress import late_judges
from . import audience
from .compose import path
from .outbox import tell


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
