"""The demo's network (data/network.toml): market staff, market contacts, a dozen brokers with their credits and
the contracts that record them, CIC8-NB's reward rule, and matchmaking events with registrations and contacts.

The 26 markets come from migration 0015. Everything here is written straight to the models and looked up by its
natural key first (username, certificate number, the need or bid of a credit, the edition of a rule, an event's
market and title, an event's need, user, or need and team), so a second run adds nothing and changes nothing a
user may have changed since: a market's contact is filled only while empty, a contract's brokers only while
unset. Figures (brokers active, events held, contacts that became bids) are never stored: the statistics read
them from these records. Flushes, never commits.
"""
from __future__ import annotations

import tomllib
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from ..domain.choices import BrokerLevel, NeedField
from ..domain.errors import Conflict
from ..domain.states import BidStatus, CreditStatus, Role
from ..extensions import db
from ..models import (Bid, Broker, BrokerCredit, Contract, Edition, EventContact, EventNeed, EventRegistration,
                      Market, MatchEvent, Need, RewardRule, Team, User)
from ..services import clock
from . import dataset
from .tally import Tally



@cache
def network() -> dict:
    with (dataset.DATA / "network.toml").open("rb") as file:
        return tomllib.load(file)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class _World:
    """What the seed refers to by name: markets, users, teams and both editions' needs."""

    def __init__(self, editions: list[Edition]) -> None:
        self.markets = {m.name: m for m in db.session.scalars(sa.select(Market))}
        names = {item["name"]: item["key"] for item in dataset.needs().all}
        self.needs = {names[n.name]: n for n in db.session.scalars(
            sa.select(Need).where(Need.edition_id.in_([e.id for e in editions]), Need.name.in_(list(names))))}
        self.users: dict[str, User] = {}
        self.teams = {u: t for u, t in db.session.execute(
            sa.select(User.username, Team).join(Team, Team.owner_id == User.id))}
        self._hash: str | None = None

    def user(self, username: str) -> User | None:
        if username not in self.users:
            self.users[username] = db.session.scalar(sa.select(User).where(User.username == username))
        return self.users[username]

    def account(self, username: str, role: Role, name: str, tally: Tally, **fields) -> User:
        """The demo account of that name, created with the demo password when missing."""
        user = self.user(username)
        if user is not None and user.role != role:
            raise Conflict("demo.username_taken", username=username)
        tally.add("network accounts", user is None)
        if user is None:
            self._hash = self._hash or generate_password_hash(dataset.accounts().password)
            user = User(username=username, role=role, display_name=name, password_hash=self._hash,
                        email=f"{username}@example.com", **fields)
            db.session.add(user)
            db.session.flush()
            self.users[username] = user
        return user

    def bid(self, need: Need, team_username: str) -> Bid | None:
        team = self.teams.get(team_username)
        return None if team is None else db.session.scalar(
            sa.select(Bid).where(Bid.need_id == need.id, Bid.team_id == team.id, Bid.status != BidStatus.WITHDRAWN))


def seed_network(past: Edition, live: Edition, tally: Tally, *, now: datetime) -> list[str]:
    """Create what is missing of the demo's network; the summary lines."""
    data, world = network(), _World([past, live])
    for item in data["staff"]:
        world.account(item["username"], Role.MARKET, item["name"], tally, phone=item["phone"],
                      market_id=world.markets[item["market"]].id)
    for item in data["contacts"]:
        market = world.markets[item["market"]]
        if not (market.contact_name or market.contact_phone or market.contact_email):
            market.contact_name, market.contact_phone, market.contact_email = item["name"], item["phone"], item["email"]
    brokers = {item["username"]: _broker(world, item, tally) for item in data["brokers"]}
    for item in data["credits"]:
        _credit(world, brokers[item["broker"]], item, tally, now)
    db.session.flush()
    recorded = _contract_brokers(past)
    rule = _reward_rule(data["reward"], world, tally)
    for item in data["events"]:
        _event(world, item, live, tally, now)
    db.session.flush()
    return [
        tally.line("network accounts", _("市场工作人员与技术经纪人账号"), _("个")),
        tally.line("brokers", _("技术经纪人"), _("位")),
        tally.line("credits", _("经纪人推荐记录"), _("条"),
                   _("（%(count)s 份合同新记录经纪人）", count=recorded) if recorded else ""),
        *([_("%(code)s 经纪人奖励规则：技术交易额的 %(rate)s%%，封顶 %(cap)s 元，企业方经纪人占 %(share)s%%",
             code=rule[0], rate=rule[1], cap=rule[2], share=rule[3])] if rule else []),
        tally.line("events", _("对接活动"), _("场")),
        tally.line("contacts", _("对接活动中的对接记录"), _("条")),
        _("网络演示账号（密码均为 %(password)s）：market1—market%(staff)s（市场工作人员）；"
          "broker1—broker%(brokers)s（技术经纪人）",
          password=dataset.accounts().password, staff=len(data["staff"]), brokers=len(data["brokers"])),
    ]


def _broker(world: _World, item: dict, tally: Tally) -> Broker:
    user = world.account(item["username"], Role.BROKER, item["name"], tally, phone=item["phone"])
    broker = db.session.scalar(sa.select(Broker).where(Broker.certificate_no == item["certificate"]))
    tally.add("brokers", broker is None)
    if broker is None:
        broker = db.session.scalar(sa.select(Broker).where(Broker.user_id == user.id))
    if broker is None:
        broker = Broker(user_id=user.id, name=item["name"], level=BrokerLevel(item["level"]),
                        certificate_no=item["certificate"], market_id=world.markets[item["market"]].id,
                        fields=",".join(NeedField(f).value for f in item["fields"]), phone=item["phone"])
        db.session.add(broker)
        db.session.flush()
    return broker


def _credit(world: _World, broker: Broker, item: dict, tally: Tally, now: datetime) -> None:
    need = world.needs.get(item["need"])
    if need is None:
        return
    bid = world.bid(need, item["team"]) if "team" in item else None
    if "team" in item and bid is None:
        return
    side = BrokerCredit.bid_id == bid.id if bid else BrokerCredit.need_id == need.id
    exists = db.session.scalar(sa.select(BrokerCredit.id).where(side)) is not None
    tally.add("credits", not exists)
    if exists:
        return
    status = CreditStatus(item.get("status", CreditStatus.CONFIRMED.value))
    if "named" in item:
        named, decided = _utc(item["named"]), _utc(item["decided"])
    else:  # CIC9-NB: named some days after the need's publication, never after now
        named, decided = min((need.published_at or now) + timedelta(days=item["days"]), now), None
    named_by = bid.team.owner_id if bid else need.created_by_id
    db.session.add(BrokerCredit(broker_id=broker.id, need_id=None if bid else need.id, bid_id=bid.id if bid else None,
                                status=status, named_by_id=named_by, named_at=named,
                                decided_at=None if status == CreditStatus.PENDING else decided))


def _contract_brokers(edition: Edition) -> int:
    """Record on the edition's contracts the brokers of their confirmed credits (need: firm side, bid: team side),
    where no broker is recorded yet; how many contracts got one."""
    confirmed = BrokerCredit.status == CreditStatus.CONFIRMED
    firm = dict(db.session.execute(sa.select(BrokerCredit.need_id, BrokerCredit.broker_id)
                                   .where(confirmed, BrokerCredit.need_id.is_not(None))).all())
    team = dict(db.session.execute(sa.select(BrokerCredit.bid_id, BrokerCredit.broker_id)
                                   .where(confirmed, BrokerCredit.bid_id.is_not(None))).all())
    changed = 0
    rows = db.session.execute(sa.select(Contract.id, Contract.need_id, Contract.bid_id).where(
        Contract.edition_id == edition.id, Contract.firm_broker_id.is_(None), Contract.team_broker_id.is_(None))).all()
    for contract_id, need_id, bid_id in rows:
        if need_id in firm or bid_id in team:
            # As drafted: the contract keeps its dates (updated_at too), only its brokers are filled in.
            db.session.execute(sa.update(Contract).where(Contract.id == contract_id).values(
                firm_broker_id=firm.get(need_id), team_broker_id=team.get(bid_id), updated_at=Contract.updated_at))
            changed += 1
    return changed


def _reward_rule(item: dict, world: _World, tally: Tally) -> tuple | None:
    """The edition's reward rule, made when missing; none for an edition without the demo's needs (an older demo)."""
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == item["edition"]))
    if edition is None or not any(n.edition_id == edition.id for n in world.needs.values()):
        return None
    rule = db.session.scalar(sa.select(RewardRule).where(RewardRule.edition_id == edition.id))
    tally.add("reward rules", rule is None)
    if rule is None:
        rule = RewardRule(edition_id=edition.id, rate_pct=Decimal(item["rate_pct"]), cap_yuan=Decimal(item["cap_yuan"]),
                          firm_share_pct=Decimal(item["firm_share_pct"]))
        db.session.add(rule)
    return (edition.code, f"{rule.rate_pct.normalize():f}", f"{rule.cap_yuan:,.2f}",
            f"{rule.firm_share_pct.normalize():f}")


def _event(world: _World, item: dict, live: Edition, tally: Tally, now: datetime) -> None:
    market = world.markets[item["market"]]
    needs = [world.needs[key] for key in item["needs"] if key in world.needs]
    if not needs:
        return  # an edition of the demo that is not in this database (or not yet)
    event = db.session.scalar(sa.select(MatchEvent).where(MatchEvent.market_id == market.id,
                                                          MatchEvent.title == item["title"]))
    tally.add("events", event is None)
    upcoming = "starts_at" not in item
    if event is None:
        if upcoming:  # days before CIC9-NB's bidding deadline, at 14:00 Beijing
            day = clock.beijing_date(live.bidding_deadline) - timedelta(days=item["days_before_deadline"])
            starts_at = clock.from_beijing(datetime.combine(day, time(14)))
        else:
            starts_at = _utc(item["starts_at"])
        creator = world.user(item["created_by"])
        event = MatchEvent(market_id=market.id, title=item["title"], starts_at=starts_at, place=item["place"],
                           fields=",".join(NeedField(f).value for f in item["fields"]),
                           description=item["description"], cancelled=item.get("cancelled", False),
                           created_by_id=creator.id, created_at=min(now, starts_at - timedelta(days=14)))
        db.session.add(event)
        db.session.flush()
    _presented(event, needs)
    _registrations(world, event, item, now)
    _contacts(world, event, item, tally)


def _presented(event: MatchEvent, needs: list[Need]) -> None:
    shown = set(db.session.scalars(sa.select(EventNeed.need_id).where(EventNeed.event_id == event.id)))
    db.session.add_all(EventNeed(event_id=event.id, need_id=n.id) for n in needs if n.id not in shown)


def _registrations(world: _World, event: MatchEvent, item: dict, now: datetime) -> None:
    known = set(db.session.scalars(sa.select(EventRegistration.user_id).where(EventRegistration.event_id == event.id)))
    at = min(now, event.starts_at - timedelta(days=5))
    for names, attended in ((item.get("attended", []), True), (item.get("absent", []), False),
                            (item.get("registered", []), False)):
        for username in names:
            user = world.user(username)
            if user is not None and user.id not in known:
                db.session.add(EventRegistration(event_id=event.id, user_id=user.id, registered_at=at,
                                                 attended=attended))
                known.add(user.id)


def _contacts(world: _World, event: MatchEvent, item: dict, tally: Tally) -> None:
    known = set(db.session.execute(sa.select(EventContact.need_id, EventContact.team_id)
                                   .where(EventContact.event_id == event.id)).all())
    brokers = dict(db.session.execute(
        sa.select(User.username, Broker.id).join(Broker, Broker.user_id == User.id)).all())
    for contact in item.get("contacts", []):
        need, team = world.needs.get(contact["need"]), world.teams.get(contact["team"])
        if need is None or team is None:
            continue
        tally.add("contacts", (need.id, team.id) not in known)
        if (need.id, team.id) in known:
            continue
        broker_id = brokers.get(contact.get("broker", ""))
        db.session.add(EventContact(event_id=event.id, need_id=need.id, team_id=team.id,
                                    broker_id=broker_id, note=contact.get("note", ""),
                                    recorded_by_id=event.created_by_id,
                                    recorded_at=event.starts_at + timedelta(hours=3)))
        known.add((need.id, team.id))
