"""Broker statistics of an edition (per broker, and per broker's market): needs brought (confirmed firm-side
credits), bids brought (confirmed team-side credits), winners among them, signed contracts recording the broker
on either side, and those contracts' total and technology amounts. Four statements whatever the number of rows."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from ...domain.contracts import ContractStatus
from ...domain.states import BidStatus, CreditStatus
from ...extensions import db
from ...models import Bid, Broker, BrokerCredit, Contract, Edition, Market, Need

ZERO = Decimal("0.00")


@dataclass
class Figures:
    """One broker's (or one market's brokers') numbers in an edition."""

    needs: int = 0
    bids: int = 0
    winners: int = 0
    contracts: int = 0
    amount: Decimal = ZERO
    tech_amount: Decimal = ZERO

    def add(self, other: Figures) -> None:
        for key in ("needs", "bids", "winners", "contracts", "amount", "tech_amount"):
            setattr(self, key, getattr(self, key) + getattr(other, key))


@dataclass
class BrokerRow:
    broker: Broker
    figures: Figures


@dataclass
class MarketRow:
    market: Market
    brokers: int = 0
    figures: Figures = field(default_factory=Figures)


def _in_market(stmt: sa.Select, broker_id, market_id: int | None) -> sa.Select:
    if market_id is None:
        return stmt
    return stmt.join(Broker, Broker.id == broker_id).where(Broker.market_id == market_id)


def _credited(edition: Edition, market_id: int | None) -> dict[int, Figures]:
    figures: dict[int, Figures] = defaultdict(Figures)
    needs = _in_market(sa.select(BrokerCredit.broker_id, sa.func.count())
                       .join(Need, Need.id == BrokerCredit.need_id)
                       .where(Need.edition_id == edition.id, BrokerCredit.status == CreditStatus.CONFIRMED),
                       BrokerCredit.broker_id, market_id).group_by(BrokerCredit.broker_id)
    for broker_id, count in db.session.execute(needs):
        figures[broker_id].needs = count
    won = sa.func.sum(sa.case((Bid.status == BidStatus.WINNER, 1), else_=0))
    bids = _in_market(sa.select(BrokerCredit.broker_id, sa.func.count(), won)
                      .join(Bid, Bid.id == BrokerCredit.bid_id).join(Need, Need.id == Bid.need_id)
                      .where(Need.edition_id == edition.id, BrokerCredit.status == CreditStatus.CONFIRMED),
                      BrokerCredit.broker_id, market_id).group_by(BrokerCredit.broker_id)
    for broker_id, count, winners in db.session.execute(bids):
        figures[broker_id].bids, figures[broker_id].winners = count, int(winners or 0)
    return figures


def _contracts(edition: Edition, market_id: int | None, figures: dict[int, Figures]) -> None:
    signed = (Contract.edition_id == edition.id, Contract.status == ContractStatus.SIGNED)
    # A broker on both sides of one contract counts it once (UNION, not UNION ALL).
    sides = sa.union(
        sa.select(Contract.id.label("contract_id"), Contract.firm_broker_id.label("broker_id"))
        .where(*signed, Contract.firm_broker_id.is_not(None)),
        sa.select(Contract.id.label("contract_id"), Contract.team_broker_id.label("broker_id"))
        .where(*signed, Contract.team_broker_id.is_not(None))).subquery()
    stmt = _in_market(sa.select(sides.c.broker_id, sa.func.count(), sa.func.sum(Contract.total_amount),
                                sa.func.sum(Contract.tech_amount))
                      .join(Contract, Contract.id == sides.c.contract_id), sides.c.broker_id, market_id)
    for broker_id, count, amount, tech in db.session.execute(stmt.group_by(sides.c.broker_id)):
        row = figures[broker_id]
        row.contracts, row.amount, row.tech_amount = count, Decimal(amount or 0), Decimal(tech or 0)


def edition_statistics(edition: Edition, market_id: int | None = None) -> tuple[list[BrokerRow], list[MarketRow]]:
    """The brokers with anything to their name in the edition (of one market, when given), by name; and the same
    numbers summed per market (a contract with brokers on both sides counts for each broker)."""
    figures = _credited(edition, market_id)
    _contracts(edition, market_id, figures)
    if not figures:
        return [], []
    brokers = db.session.scalars(sa.select(Broker).where(Broker.id.in_(list(figures)))
                                 .order_by(Broker.name, Broker.id))
    rows = [BrokerRow(b, figures[b.id]) for b in brokers]
    markets: dict[int, MarketRow] = {}
    for row in rows:
        market = markets.setdefault(row.broker.market_id, MarketRow(row.broker.market))
        market.brokers += 1
        market.figures.add(row.figures)
    return rows, sorted(markets.values(), key=lambda m: (m.market.position, m.market.id))
