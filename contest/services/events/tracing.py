"""Tracing contacts to what followed: the team's bid on the need (any status but draft or withdrawn), whether it
won, and the need's contract with that bid, found by need and team in one statement for a whole list; and the
counts per market and year built on the same joins."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from ...domain.contracts import ContractStatus
from ...domain.states import BidStatus
from ...extensions import db
from ...models import Bid, Broker, Contract, EventContact, EventRegistration, Market, MatchEvent, Need, Team
from ..clock import from_beijing

LIVE_BID = sa.and_(Bid.need_id == EventContact.need_id, Bid.team_id == EventContact.team_id,
                   Bid.status.not_in((BidStatus.DRAFT, BidStatus.WITHDRAWN)))
LIVE_CONTRACT = sa.and_(Contract.need_id == Bid.need_id, Contract.bid_id == Bid.id, Contract.status != ContractStatus.VOID)
MAX_YEARS = 60   # the year column's CASE stays small whatever the dates typed


@dataclass(frozen=True)
class TracedContact:
    """A contact and what followed it."""

    id: int
    need_id: int
    need_name: str
    team_name: str
    broker_name: str | None
    note: str
    recorded_at: datetime
    bid_id: int | None
    bid_status: BidStatus | None
    contract_id: int | None
    contract_status: ContractStatus | None
    contract_number: str | None
    contract_amount: Decimal | None


def traced_contacts(event_id: int) -> list[TracedContact]:
    """The event's contacts with the team's bid on the need and its contract: one statement."""
    rows = db.session.execute(
        sa.select(EventContact.id, EventContact.need_id, Need.name, Team.name, Broker.name, EventContact.note,
                  EventContact.recorded_at, Bid.id, Bid.status, Contract.id, Contract.status, Contract.number,
                  Contract.total_amount)
        .join(Need, Need.id == EventContact.need_id).join(Team, Team.id == EventContact.team_id)
        .outerjoin(Broker, Broker.id == EventContact.broker_id)
        .outerjoin(Bid, LIVE_BID).outerjoin(Contract, LIVE_CONTRACT)
        .where(EventContact.event_id == event_id).order_by(EventContact.id))
    return [TracedContact(*row) for row in rows]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The UTC moments a Beijing calendar year starts and ends."""
    return from_beijing(datetime(year, 1, 1)), from_beijing(datetime(year + 1, 1, 1))


@dataclass(frozen=True)
class TracedMarket:
    """A market's contacts and how far they went."""

    market_id: int
    market_name: str
    contacts: int
    bids: int
    winners: int
    contracts: int
    amount: Decimal


def traced_summary(*, market_id: int | None = None, year: int | None = None) -> list[TracedMarket]:
    """Per market: contacts made at its events, those that became bids, won, and have a contract (one statement)."""
    stmt = (sa.select(Market.id, Market.name, sa.func.count(EventContact.id), sa.func.count(Bid.id),
                      sa.func.count(sa.case((Bid.status == BidStatus.WINNER, Bid.id))), sa.func.count(Contract.id),
                      sa.func.coalesce(sa.func.sum(Contract.total_amount), 0))
            .select_from(EventContact).join(MatchEvent, MatchEvent.id == EventContact.event_id)
            .join(Market, Market.id == MatchEvent.market_id)
            .outerjoin(Bid, LIVE_BID).outerjoin(Contract, LIVE_CONTRACT)
            .where(MatchEvent.cancelled.is_(False))
            .group_by(Market.id, Market.name, Market.position).order_by(Market.position, Market.id))
    if market_id is not None:
        stmt = stmt.where(MatchEvent.market_id == market_id)
    if year is not None:
        start, end = year_bounds(year)
        stmt = stmt.where(MatchEvent.starts_at >= start, MatchEvent.starts_at < end)
    return [TracedMarket(r[0], r[1], r[2], r[3], r[4], r[5], Decimal(r[6])) for r in db.session.execute(stmt)]


@dataclass(frozen=True)
class YearCounts:
    """A market's events of one year (held: not cancelled, started) and what came of them."""

    year: int
    market_id: int
    market_name: str
    events: int
    registrations: int
    attended: int
    contacts: int
    contacts_bid: int
    contracts: int


def yearly_counts(*, now: datetime, market_id: int | None = None, year: int | None = None) -> list[YearCounts]:
    """Events held per year and market with their registrations, attendance, contacts, contacts that became
    bids and contracts: two statements (the years spanned, then the counts)."""
    held = sa.and_(MatchEvent.cancelled.is_(False), MatchEvent.starts_at <= now)
    if market_id is not None:
        held = sa.and_(held, MatchEvent.market_id == market_id)
    if year is not None:
        start, end = year_bounds(year)
        held = sa.and_(held, MatchEvent.starts_at >= start, MatchEvent.starts_at < end)
        first = last = year
    else:
        earliest, latest = db.session.execute(sa.select(sa.func.min(MatchEvent.starts_at),
                                                        sa.func.max(MatchEvent.starts_at)).where(held)).one()
        if earliest is None:
            return []
        first, last = (earliest.year, latest.year + 1)
        first = max(first, last - MAX_YEARS)
    return _counts(held, first, last)


def _counts(held, first: int, last: int) -> list[YearCounts]:
    year = sa.case(*[(MatchEvent.starts_at < year_bounds(y)[1], y) for y in range(first, last + 1)], else_=last)
    of_event = EventContact.event_id == MatchEvent.id

    def count(model, *where):
        return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()

    bid = sa.select(Bid.id).where(LIVE_BID).exists()
    contract = sa.select(Contract.id).join(Bid, Bid.id == Contract.bid_id).where(LIVE_BID, LIVE_CONTRACT).exists()
    per_event = sa.select(
        MatchEvent.market_id.label("market_id"), year.label("year"),
        count(EventRegistration, EventRegistration.event_id == MatchEvent.id).label("registrations"),
        count(EventRegistration, EventRegistration.event_id == MatchEvent.id,
              EventRegistration.attended.is_(True)).label("attended"),
        count(EventContact, of_event).label("contacts"),
        count(EventContact, of_event, bid).label("contacts_bid"),
        count(EventContact, of_event, contract).label("contracts"),
    ).where(held).subquery()
    rows = db.session.execute(
        sa.select(per_event.c.year, Market.id, Market.name, sa.func.count(), sa.func.sum(per_event.c.registrations),
                  sa.func.sum(per_event.c.attended), sa.func.sum(per_event.c.contacts),
                  sa.func.sum(per_event.c.contacts_bid), sa.func.sum(per_event.c.contracts))
        .join(Market, Market.id == per_event.c.market_id)
        .group_by(per_event.c.year, Market.id, Market.name, Market.position)
        .order_by(per_event.c.year.desc(), Market.position, Market.id))
    return [YearCounts(int(r[0]), r[1], r[2], *(int(v or 0) for v in r[3:])) for r in rows]
