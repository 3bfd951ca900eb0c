"""The network's figures per market (科技大市场 3.0 统计): for one edition, or a calendar year, each market's needs
collected, published, bid on and awarded, contracts signed with their totals and technology amounts, brokers
active and events held, with subtotals per level and the network's totals; the same table as an XLSX workbook.

Needs, bids and contracts count for the period of their edition (an edition, or the editions of a year); a
broker is active when one of its credits on such a need or bid was confirmed; an event counts by its date (the
edition's calendar year, for an edition), once held (not cancelled, started by `now`). One grouped statement
per measure, whatever the number of markets, needs or contracts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ...domain.choices import MarketLevel
from ...domain.contracts import CENT, ContractStatus
from ...domain.states import NEED_PUBLIC, CreditStatus, NeedStatus
from ...extensions import db
from ...labels import label
from ...models import Bid, BrokerCredit, Broker, Contract, Edition, Market, MatchEvent, Need
from ..clock import beijing_date, from_beijing
from ..contracts.statistics import BIDS_COUNTED
from ..files.spreadsheet import Formatted, workbook_bytes

ZERO = Decimal("0.00")
# The years a period may name (a year outside gives the default period).
YEARS = range(2000, 2101)
COUNTS = ("needs_collected", "needs_published", "needs_bid", "needs_awarded", "contracts_signed",
          "brokers_active", "events_held")
AMOUNTS = ("contract_amount", "tech_amount")
MEASURES = COUNTS[:5] + AMOUNTS + COUNTS[5:]


@dataclass(frozen=True)
class Period:
    """What the figures cover: one edition, or every edition of a calendar year (events: that year)."""

    year: int
    edition: Edition | None = None

    def needs(self):
        """The ids of the needs of the period (a statement to use in IN)."""
        query = sa.select(Need.id)
        if self.edition is not None:
            return query.where(Need.edition_id == self.edition.id)
        return query.join(Edition, Edition.id == Need.edition_id).where(Edition.year == self.year)


@dataclass
class Figures:
    """One row of the table: a market, a level's subtotal or the totals."""

    name: str
    market_id: int | None = None
    level: MarketLevel | None = None
    values: dict = field(default_factory=lambda: {**{k: 0 for k in COUNTS}, **{k: ZERO for k in AMOUNTS}})

    def add(self, other: "Figures") -> None:
        for key in MEASURES:
            self.values[key] += other.values[key]


@dataclass
class NetworkTable:
    """The markets grouped by level, in list order: [(level, markets' rows, the level's subtotal)], and totals."""

    period: Period
    groups: list[tuple[MarketLevel, list[Figures], Figures]]
    totals: Figures


def period_for(code: str | None, year: int | None, *, now: datetime) -> Period:
    """The period asked for: the edition of that code if there is one, else the year if valid, else the latest
    edition (or the current year when there is none)."""
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == code)) if code else None
    if edition is not None:
        return Period(edition.year, edition)
    if year in YEARS:
        return Period(year)
    latest = db.session.scalars(sa.select(Edition).order_by(Edition.year.desc(), Edition.id.desc()).limit(1)).first()
    return Period(latest.year, latest) if latest else Period(beijing_date(now).year)


def network_table(period: Period, *, now: datetime) -> NetworkTable:
    """Every market's figures for the period (six statements), with subtotals per level and the totals."""
    markets = db.session.execute(sa.select(Market.id, Market.name, Market.level)
                                 .order_by(Market.position, Market.id)).all()
    rows = {market_id: Figures(name, market_id, level) for market_id, name, level in markets}

    def row(market_id):
        return rows.get(market_id) or Figures("")  # a market added since the first statement: left out

    _needs(period, row)
    _needs_bid(period, row)
    _contracts(period, row)
    _brokers(period, row)
    _events(period, now, row)
    groups, totals = [], Figures(_("合计"))
    for level in MarketLevel:
        members = [r for r in rows.values() if r.level == level]
        subtotal = Figures(_("%(level)s小计", level=label(level)), level=level)
        for member in members:
            subtotal.add(member)
        if members:
            groups.append((level, members, subtotal))
            totals.add(subtotal)
    return NetworkTable(period, groups, totals)


def _needs(period: Period, row) -> None:
    """Needs collected (all but drafts), published (reached the catalogue) and awarded, per market."""
    result = db.session.execute(
        sa.select(Need.market_id, Need.status, sa.func.count(Need.id))
        .where(Need.id.in_(period.needs()), Need.status != NeedStatus.DRAFT)
        .group_by(Need.market_id, Need.status))
    for market_id, status, n in result:
        values = row(market_id).values
        values["needs_collected"] += n
        if status in NEED_PUBLIC:
            values["needs_published"] += n
        if status == NeedStatus.AWARDED:
            values["needs_awarded"] += n


def _needs_bid(period: Period, row) -> None:
    """Needs with at least one bid turned in (submitted or later; drafts and withdrawn bids do not count)."""
    result = db.session.execute(
        sa.select(Need.market_id, sa.func.count(sa.distinct(Bid.need_id)))
        .join(Need, Need.id == Bid.need_id)
        .where(Bid.need_id.in_(period.needs()), Bid.status.in_(BIDS_COUNTED))
        .group_by(Need.market_id))
    for market_id, n in result:
        row(market_id).values["needs_bid"] += n


def _money(value) -> Decimal:
    return ZERO if value is None else Decimal(str(value)).quantize(CENT)


def _contracts(period: Period, row) -> None:
    """Signed contracts of the period's needs, their totals and technology amounts (技术交易额)."""
    result = db.session.execute(
        sa.select(Need.market_id, sa.func.count(Contract.id), sa.func.sum(Contract.total_amount),
                  sa.func.sum(Contract.tech_amount))
        .join(Need, Need.id == Contract.need_id)
        .where(Contract.need_id.in_(period.needs()), Contract.status == ContractStatus.SIGNED)
        .group_by(Need.market_id))
    for market_id, n, total, tech in result:
        values = row(market_id).values
        values["contracts_signed"] += n
        values["contract_amount"] += _money(total)
        values["tech_amount"] += _money(tech)


def _brokers(period: Period, row) -> None:
    """Brokers of each market with at least one confirmed credit on a need, or a bid, of the period."""
    needs = period.needs()
    bids = sa.select(Bid.id).where(Bid.need_id.in_(needs))
    result = db.session.execute(
        sa.select(Broker.market_id, sa.func.count(sa.distinct(Broker.id)))
        .join(BrokerCredit, BrokerCredit.broker_id == Broker.id)
        .where(BrokerCredit.status == CreditStatus.CONFIRMED,
               sa.or_(BrokerCredit.need_id.in_(needs), BrokerCredit.bid_id.in_(bids)))
        .group_by(Broker.market_id))
    for market_id, n in result:
        row(market_id).values["brokers_active"] += n


def _events(period: Period, now: datetime, row) -> None:
    """Events held in the period's calendar year (Beijing dates): not cancelled, started by now."""
    start = from_beijing(datetime(period.year, 1, 1))
    end = min(from_beijing(datetime(period.year + 1, 1, 1)), now)
    result = db.session.execute(
        sa.select(MatchEvent.market_id, sa.func.count(MatchEvent.id))
        .where(MatchEvent.cancelled.is_(False), MatchEvent.starts_at >= start, MatchEvent.starts_at <= end)
        .group_by(MatchEvent.market_id))
    for market_id, n in result:
        row(market_id).values["events_held"] += n


def headers() -> list[str]:
    """The columns of the table and of the export, in the reader's language."""
    return [_("征集需求"), _("发布需求"), _("有人揭榜的需求"), _("产生挑战第一名的需求"), _("签订合同"),
            _("合同金额（元）"), _("技术交易额（元）"), _("活跃经纪人"), _("举办对接活动")]


def period_title(period: Period) -> str:
    if period.edition is not None:
        return _("%(name)s（%(code)s）", name=period.edition.name, code=period.edition.code)
    return _("%(year)s 年", year=period.year)


def _typed(value):
    if isinstance(value, Decimal):
        return Formatted(value, "#,##0.00")
    return value


def network_xlsx(table: NetworkTable) -> bytes:
    """The table as a workbook: one row per market (with its level), each level's subtotal, then the totals."""
    header = [_("市场"), _("级别"), *headers()]
    rows = []
    for level, members, subtotal in table.groups:
        rows += [[m.name, label(level), *(m.values[k] for k in MEASURES)] for m in members]
        rows.append([subtotal.name, label(level), *(subtotal.values[k] for k in MEASURES)])
    rows.append([table.totals.name, "", *(table.totals.values[k] for k in MEASURES)])
    return workbook_bytes(_("网络统计"), header, rows, _typed)
