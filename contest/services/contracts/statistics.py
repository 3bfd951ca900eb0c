"""An edition's figures for the organizer's dashboard and `flask stats`: needs, bids, judges, winners,
contracts and payments, with breakdowns by field and by source channel.

Every figure comes from a handful of statements (six, whatever the size of the edition). Given a market, every
figure is restricted to the needs that market collected (and their bids, judges and contracts). All but one are
aggregates; the payments and the key-programme rule read one small row per live contract (the rule needs the
parties' kinds, kept in the contract's JSON snapshots), never a row per need or bid.
"""
from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa

from ...domain.choices import NeedField
from ...domain.contracts import CENT, ContractStatus, key_programme
from ...domain.rubric import Round
from ...domain.states import NEED_PUBLIC, AssignmentStatus, BidStatus, NeedStatus
from ...extensions import db
from ...models import Assignment, Bid, Contract, Edition, Market, Need, PanelMember, Payment, ScoreSheet

# Bids a team turned in: everything but drafts and withdrawn bids.
BIDS_COUNTED = frozenset({BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED})
# A contract that stands: issued (printed for signature) or signed; a voided version does not count.
CONTRACT_LIVE = frozenset({ContractStatus.ISSUED, ContractStatus.SIGNED})
ZERO = Decimal("0.00")
# The per-field and per-channel figures, in this order.
BREAKDOWN_KEYS = ("needs_published", "winners", "contracts_signed", "contract_amount_signed", "tech_amount_signed")


def _money(value) -> Decimal:
    """A sum from the database as Decimal yuan with two places (SQLite may hand back a float or None)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def _breakdown_row() -> dict:
    return {"needs_published": 0, "winners": 0, "contracts_signed": 0, "contract_amount_signed": ZERO,
            "tech_amount_signed": ZERO}


def _edition_needs(edition: Edition, market_id: int | None = None):
    query = sa.select(Need.id).where(Need.edition_id == edition.id)
    return query if market_id is None else query.where(Need.market_id == market_id)


def _of_market(market_id: int | None) -> list:
    """The condition restricting a statement joined to Need to one market's needs (none for the whole edition)."""
    return [] if market_id is None else [Need.market_id == market_id]


def edition_stats(edition: Edition, market_id: int | None = None) -> dict:
    """The edition's figures (of one market's needs when `market_id` is given); amounts are Decimal yuan, counts
    are ints, breakdowns keyed by field and by channel (the market that collected the need, by name)."""
    stats: dict = {"edition": edition.code, "edition_name": edition.name}
    by_field: dict[NeedField, dict] = {}
    by_channel: dict[str, dict] = {}

    def rows_for(field: NeedField, channel: str) -> tuple[dict, dict]:
        return by_field.setdefault(field, _breakdown_row()), by_channel.setdefault(channel, _breakdown_row())

    _count_needs(edition, stats, rows_for, market_id)
    _count_bids(edition, stats, rows_for, market_id)
    stats.update(_people(edition, market_id))
    _count_contracts(edition, stats, rows_for, market_id)
    stats.update(_payments_and_key_programme(edition, market_id))
    stats["by_field"] = {f: by_field[f] for f in NeedField if f in by_field}
    stats["by_channel"] = dict(sorted(by_channel.items(),
                                      key=lambda item: (-item[1]["needs_published"], -item[1]["winners"], item[0])))
    return stats


def _count_needs(edition: Edition, stats: dict, rows_for, market_id: int | None) -> None:
    """Needs collected (all but drafts), published (reached the catalogue) and failed (流榜)."""
    stats.update(needs_collected=0, needs_published=0, failed_needs=0)
    rows = db.session.execute(
        sa.select(Need.field, Market.name, Need.status, sa.func.count(Need.id))
        .join(Market, Market.id == Need.market_id)
        .where(Need.edition_id == edition.id, Need.status != NeedStatus.DRAFT, *_of_market(market_id))
        .group_by(Need.field, Market.name, Need.status))
    for field, channel, status, n in rows:
        stats["needs_collected"] += n
        if status in NEED_PUBLIC:
            stats["needs_published"] += n
            for row in rows_for(field, channel):
                row["needs_published"] += n
        if status == NeedStatus.FAILED:
            stats["failed_needs"] += n


def _count_bids(edition: Edition, stats: dict, rows_for, market_id: int | None) -> None:
    """Bids turned in, and winners (挑战第一名), overall and per field and channel."""
    stats.update(bids=0, winners=0)
    rows = db.session.execute(
        sa.select(Need.field, Market.name, Bid.status, sa.func.count(Bid.id))
        .join(Need, Need.id == Bid.need_id).join(Market, Market.id == Need.market_id)
        .where(Need.edition_id == edition.id, Bid.status.in_(BIDS_COUNTED), *_of_market(market_id))
        .group_by(Need.field, Market.name, Bid.status))
    for field, channel, status, n in rows:
        stats["bids"] += n
        if status == BidStatus.WINNER:
            stats["winners"] += n
            for row in rows_for(field, channel):
                row["winners"] += n


def _people(edition: Edition, market_id: int | None) -> dict:
    """Teams bidding, judges who took part (assigned online or on a panel, not the firms' representatives)
    and finalists (in the final, winner, or scored on site): one statement."""
    needs = _edition_needs(edition, market_id)
    counted_bids = sa.select(Bid.team_id).where(Bid.need_id.in_(needs), Bid.status.in_(BIDS_COUNTED))
    judges = sa.union(
        sa.select(Assignment.judge_id.label("user_id")).join(Bid, Bid.id == Assignment.bid_id)
        .where(Bid.need_id.in_(needs), Assignment.status == AssignmentStatus.ASSIGNED),
        sa.select(PanelMember.user_id.label("user_id"))
        .where(PanelMember.need_id.in_(needs), PanelMember.firm_representative.is_(False)),
    ).subquery()
    onsite = sa.select(ScoreSheet.bid_id).where(ScoreSheet.round == Round.ONSITE)
    finalists = sa.select(Bid.id).where(
        Bid.need_id.in_(needs),
        sa.or_(Bid.status.in_((BidStatus.FINALIST, BidStatus.WINNER)), Bid.id.in_(onsite)))
    row = db.session.execute(sa.select(
        sa.select(sa.func.count(sa.distinct(counted_bids.subquery().c.team_id))).scalar_subquery(),
        sa.select(sa.func.count(sa.distinct(judges.c.user_id))).scalar_subquery(),
        sa.select(sa.func.count()).select_from(finalists.subquery()).scalar_subquery(),
    )).one()
    return {"teams": row[0] or 0, "judges": row[1] or 0, "finalists": row[2] or 0}


def _count_contracts(edition: Edition, stats: dict, rows_for, market_id: int | None) -> None:
    """Live contracts issued (issued or signed) and signed, with their totals and technology amounts (技术交易额)
    side by side; signed ones per field and channel; the firms that signed (one statement each)."""
    stats.update(contracts_issued=0, contracts_signed=0, contract_amount_issued=ZERO, contract_amount_signed=ZERO,
                 tech_amount_issued=ZERO, tech_amount_signed=ZERO, contracts_registered=0,
                 registered_tech_amount=ZERO)
    rows = db.session.execute(
        sa.select(Need.field, Market.name, Contract.status, sa.func.count(Contract.id),
                  sa.func.sum(Contract.total_amount), sa.func.sum(Contract.tech_amount),
                  sa.func.count(Contract.registration_number), sa.func.sum(Contract.registered_tech_amount))
        .join(Need, Need.id == Contract.need_id).join(Market, Market.id == Need.market_id)
        .where(Contract.edition_id == edition.id, Contract.status.in_(CONTRACT_LIVE), *_of_market(market_id))
        .group_by(Need.field, Market.name, Contract.status))
    for field, channel, status, n, amount, tech, registered, registered_tech in rows:
        amount, tech = _money(amount), _money(tech)
        stats["contracts_registered"] += registered
        stats["registered_tech_amount"] += _money(registered_tech)
        stats["contracts_issued"] += n
        stats["contract_amount_issued"] += amount
        stats["tech_amount_issued"] += tech
        if status == ContractStatus.SIGNED:
            stats["contracts_signed"] += n
            stats["contract_amount_signed"] += amount
            stats["tech_amount_signed"] += tech
            for row in rows_for(field, channel):
                row["contracts_signed"] += n
                row["contract_amount_signed"] += amount
                row["tech_amount_signed"] += tech
    stats["firms_signed"] = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Need.firm_org_id))).join(Contract, Contract.need_id == Need.id)
        .where(Contract.edition_id == edition.id, Contract.status == ContractStatus.SIGNED,
               *_of_market(market_id))) or 0


def _payments_and_key_programme(edition: Edition, market_id: int | None) -> dict:
    """Funds received (实际到账) on live contracts; how many live contracts meet the key-programme rule, and those
    that almost do (at least one condition met) with what they miss: {"contract_id", "number", "project_name",
    "missing": [condition phrase ids]}. One statement, a row per live contract."""
    per_contract = (
        sa.select(Payment.contract_id, sa.func.sum(Payment.amount).label("received"),
                  sa.func.sum(sa.case((Payment.bank_receipt != "", Payment.amount), else_=0)).label("receipted"))
        .group_by(Payment.contract_id)
    ).subquery()
    rows = db.session.execute(
        sa.select(Contract.id, Contract.number, Contract.project_name, Contract.party_a, Contract.party_b,
                  Contract.registration_number, per_contract.c.received, per_contract.c.receipted)
        .outerjoin(per_contract, per_contract.c.contract_id == Contract.id)
        .where(Contract.edition_id == edition.id, Contract.status.in_(CONTRACT_LIVE),
               *([] if market_id is None else [Contract.need_id.in_(_edition_needs(edition, market_id))]))
        .order_by(Contract.sequence, Contract.version))
    received_total, eligible, almost = ZERO, 0, []
    for contract_id, number, project_name, party_a, party_b, registration_number, received, receipted in rows:
        received_total += _money(received)
        result = key_programme(json.loads(party_b).get("kind"), json.loads(party_a).get("kind"),
                               bool(registration_number), _money(receipted))
        if result.eligible:
            eligible += 1
        elif result.almost:
            almost.append({"contract_id": contract_id, "number": number, "project_name": project_name,
                           "missing": [c.value for c in result.missing]})
    return {"payments_received": received_total, "key_programme_eligible": eligible, "key_programme_almost": almost}


def signed_totals() -> dict[int, tuple[int, Decimal]]:
    """{edition id: (contracts signed, amount signed)} for every edition, in one statement (the dashboard)."""
    rows = db.session.execute(
        sa.select(Contract.edition_id, sa.func.count(Contract.id), sa.func.sum(Contract.total_amount))
        .where(Contract.status == ContractStatus.SIGNED).group_by(Contract.edition_id))
    return {edition_id: (n, _money(amount)) for edition_id, n, amount in rows}


def _plain(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):f}"
    if isinstance(value, dict):
        return {(k.value if isinstance(k, NeedField) else str(k)): _plain(v) for k, v in value.items()}
    return value


def stats_json(stats: dict) -> dict:
    """The figures as JSON values: amounts as strings with two decimals ("72500000.00"), counts as ints,
    breakdowns keyed by field code (e.g. "electronic_info") and channel name."""
    return {key: _plain(value) for key, value in stats.items()}
