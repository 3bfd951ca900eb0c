"""Credits: a firm names the broker who helped it on a need, a team on a bid; the broker confirms or declines.

One credit per need and per bid. While it is pending or declined the namer may replace or remove it; once
confirmed it stands (the contract records it). A decided credit is not decided again.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ...domain.contracts import ContractStatus
from ...domain.errors import Conflict, NotPermitted
from ...domain.states import CreditStatus, Role
from ...extensions import db
from ...models import Bid, Broker, BrokerCredit, Contract, Need, Organization, Team, User
from .. import accounts, notify
from ..records import audit

CHANGEABLE = (CreditStatus.PENDING, CreditStatus.DECLINED)


def credit_of_need(need_id: int) -> BrokerCredit | None:
    """The firm-side credit on the need, if any."""
    return db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.need_id == need_id))


def credit_of_bid(bid_id: int) -> BrokerCredit | None:
    """The team-side credit on the bid, if any."""
    return db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.bid_id == bid_id))


def ensure_firm_of(need: Need, actor: User) -> None:
    if actor is None or actor.role != Role.FIRM or actor.org_id is None or actor.org_id != need.firm_org_id:
        raise NotPermitted("broker.not_your_need")


def ensure_team_of(bid: Bid, actor: User) -> None:
    team = accounts.team_of(actor) if actor is not None and actor.role == Role.TEAM else None
    if team is None or team.id != bid.team_id:
        raise NotPermitted("broker.not_your_bid")


def _available(broker: Broker | None) -> Broker:
    if broker is None or not broker.active:
        raise Conflict("broker.not_available")
    return broker


def _name(credit: BrokerCredit | None, broker: Broker, actor: User, now: datetime, **side) -> BrokerCredit:
    """Name (or replace) the broker of a credit: pending again, the broker told."""
    if credit is not None and credit.status not in CHANGEABLE:
        raise Conflict("broker.credit_confirmed")
    if credit is None:
        credit = BrokerCredit(**side)
        db.session.add(credit)
    credit.broker_id, credit.broker = broker.id, broker
    credit.status, credit.named_by_id, credit.named_at, credit.decided_at = CreditStatus.PENDING, actor.id, now, None
    db.session.flush()
    return credit


def name_on_need(need: Need, broker: Broker | None, actor: User, *, now: datetime) -> BrokerCredit:
    """The need's firm names the broker who helped it; the broker is asked to confirm."""
    ensure_firm_of(need, actor)
    broker = _available(broker)
    credit = _name(credit_of_need(need.id), broker, actor, now, need_id=need.id)
    audit.record(actor, "broker.credit_name", credit, {"need": need.id, "broker": broker.id})
    _tell_broker(broker, party=need.firm.name, need=need.name, now=now)
    return credit


def name_on_bid(bid: Bid, broker: Broker | None, actor: User, *, now: datetime) -> BrokerCredit:
    """The bid's team names the broker who helped it; the broker is asked to confirm."""
    ensure_team_of(bid, actor)
    broker = _available(broker)
    credit = _name(credit_of_bid(bid.id), broker, actor, now, bid_id=bid.id)
    audit.record(actor, "broker.credit_name", credit, {"bid": bid.id, "broker": broker.id})
    _tell_broker(broker, party=bid.team.name, need=bid.need.name, now=now)
    return credit


def _tell_broker(broker: Broker, *, party: str, need: str, now: datetime) -> None:
    if broker.user_id is not None:
        notify.tell("broker.credit_named", notify.audience.users([broker.user_id]), now=now,
                    link=notify.path("broker.home"), party=party, need=need)


def _remove(credit: BrokerCredit | None, actor: User, where: dict) -> None:
    if credit is None:
        raise Conflict("broker.not_named")
    if credit.status not in CHANGEABLE:
        raise Conflict("broker.credit_confirmed")
    audit.record(actor, "broker.credit_remove", credit, {**where, "broker": credit.broker_id})
    db.session.delete(credit)
    db.session.flush()


def remove_from_need(need: Need, actor: User, *, now: datetime) -> None:
    """The firm takes back a pending or declined credit on its need."""
    ensure_firm_of(need, actor)
    _remove(credit_of_need(need.id), actor, {"need": need.id})


def remove_from_bid(bid: Bid, actor: User, *, now: datetime) -> None:
    """The team takes back a pending or declined credit on its bid."""
    ensure_team_of(bid, actor)
    _remove(credit_of_bid(bid.id), actor, {"bid": bid.id})


def decide(credit: BrokerCredit, actor: User, confirm: bool, *, now: datetime) -> BrokerCredit:
    """The named broker confirms (or declines) having helped; the firm or team that named it is told."""
    broker = credit.broker
    if actor is None or broker.user_id != actor.id:
        raise NotPermitted("broker.not_your_credit")
    if credit.status != CreditStatus.PENDING:
        raise Conflict("broker.credit_decided", status=credit.status)
    credit.status = CreditStatus.CONFIRMED if confirm else CreditStatus.DECLINED
    credit.decided_at = now
    db.session.flush()
    if confirm:
        _record_on_draft(credit)
    audit.record(actor, "broker.credit_confirm" if confirm else "broker.credit_decline", credit,
                 {"need": credit.need_id, "bid": credit.bid_id})
    if credit.need_id is not None:
        need = db.session.get(Need, credit.need_id)
        link = notify.path("firm.need", need_id=need.id)
    else:
        need = db.session.get(Bid, credit.bid_id).need
        link = notify.path("team.bid", bid_id=credit.bid_id)
    notify.tell("broker.credit_confirmed" if confirm else "broker.credit_declined",
                notify.audience.users([credit.named_by_id]), now=now, link=link, broker=broker.name, need=need.name)
    return credit


def own_credit(credit_id: int, actor: User) -> BrokerCredit | None:
    """A credit naming the actor's broker profile (None for another broker's: it reveals nothing)."""
    return db.session.scalar(sa.select(BrokerCredit).join(Broker, Broker.id == BrokerCredit.broker_id)
                             .where(BrokerCredit.id == credit_id, Broker.user_id == actor.id))


def _rows(where) -> sa.Select:
    """Credits with the need's name and, for a need, the firm's name (the firm reveals itself to its broker), for a
    bid the team's name."""
    direct, via_bid, firm = aliased(Need), aliased(Need), aliased(Organization)
    return (sa.select(BrokerCredit.id, BrokerCredit.status, BrokerCredit.named_at, BrokerCredit.decided_at,
                      BrokerCredit.need_id, BrokerCredit.bid_id,
                      sa.func.coalesce(direct.name, via_bid.name).label("need"),
                      firm.name.label("firm"), Team.name.label("team"))
            .outerjoin(direct, direct.id == BrokerCredit.need_id)
            .outerjoin(firm, firm.id == direct.firm_org_id)
            .outerjoin(Bid, Bid.id == BrokerCredit.bid_id)
            .outerjoin(via_bid, via_bid.id == Bid.need_id)
            .outerjoin(Team, Team.id == Bid.team_id)
            .where(where))


def pending_of(broker: Broker) -> list:
    """The broker's credits waiting for its decision, oldest first, with what they are about."""
    return list(db.session.execute(_rows(sa.and_(BrokerCredit.broker_id == broker.id,
                                                 BrokerCredit.status == CreditStatus.PENDING))
                                   .order_by(BrokerCredit.named_at, BrokerCredit.id)))


def decided_select(broker: Broker) -> sa.Select:
    """The ids of the broker's decided credits, latest first (a page of them is read by decided_rows)."""
    return (sa.select(BrokerCredit.id)
            .where(BrokerCredit.broker_id == broker.id, BrokerCredit.status != CreditStatus.PENDING)
            .order_by(BrokerCredit.decided_at.desc(), BrokerCredit.id.desc()))


def decided_rows(ids: list[int]) -> list:
    """The decided credits of these ids, in the order given, with what they are about."""
    if not ids:
        return []
    rows = {row.id: row for row in db.session.execute(_rows(BrokerCredit.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _record_on_draft(credit: BrokerCredit) -> None:
    """A contract still in draft records a broker confirmed after it was drafted (an issued one stays as issued)."""
    if credit.need_id is not None:
        where, value = Contract.need_id == credit.need_id, {"firm_broker_id": credit.broker_id}
    else:
        where, value = Contract.bid_id == credit.bid_id, {"team_broker_id": credit.broker_id}
    db.session.execute(sa.update(Contract).where(where, Contract.status == ContractStatus.DRAFT).values(**value))


def confirmed_brokers(need_id: int, bid_id: int) -> tuple[int | None, int | None]:
    """The brokers of both sides for a contract: the confirmed credits on the need and on the winning bid."""
    rows = db.session.execute(sa.select(BrokerCredit.need_id, BrokerCredit.broker_id).where(
        BrokerCredit.status == CreditStatus.CONFIRMED,
        sa.or_(BrokerCredit.need_id == need_id, BrokerCredit.bid_id == bid_id))).all()
    firm = next((b for n, b in rows if n is not None), None)
    team = next((b for n, b in rows if n is None), None)
    return firm, team
