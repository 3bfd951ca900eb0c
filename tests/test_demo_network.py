"""The demo's network (contest/demo/seed_network.py, data/network.toml): the 26 markets, market staff, a dozen
brokers whose confirmed credits the CIC8-NB contracts record, 2024 events whose contacts became CIC8-NB bids, and
the network statistics that follow from them; a second seeding adds nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from contest.domain.contracts import ContractStatus
from contest.domain.states import BidStatus, CreditStatus, Role
from contest.extensions import db as _db
from contest.models import (Bid, Broker, BrokerCredit, Contract, Edition, EventContact, EventNeed, EventRegistration,
                            Market, MatchEvent, Need, RewardRule, Team, User)
from contest.services.network.statistics import Period, network_table
from tests.conftest import DEMO_NOW, seeded_demo


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases):
    with seeded_demo(tmp_path_factory.mktemp("demo-network"), databases) as (app, output):
        yield app, output


@pytest.fixture
def demo(demo_app):
    app, output = demo_app
    with app.app_context():
        yield app, output
        _db.session.remove()


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _cic8() -> Edition:
    return _db.session.scalar(sa.select(Edition).where(Edition.code == "CIC8-NB"))


def test_the_network_has_its_26_markets_and_staff_of_three(demo):
    assert _count(Market) == 26
    staff = {u.username: u.market.name for u in _db.session.scalars(sa.select(User).where(User.role == Role.MARKET))}
    assert staff == {"market1": "海曙区科技大市场", "market2": "北仑区科技大市场", "market3": "宁波市模具行业协会技术市场"}
    assert _db.session.get(Market, 2).id == _db.session.scalar(sa.select(User.market_id).where(User.username == "market1"))
    assert _db.session.scalar(sa.select(Market.contact_name).where(Market.name == "北仑区科技大市场")) == "胡晓东"


def test_a_dozen_brokers_each_with_a_login(demo):
    brokers = list(_db.session.scalars(sa.select(Broker)))
    assert len(brokers) >= 12
    assert all(b.user is not None and b.user.role == Role.BROKER for b in brokers)
    assert brokers[0].user.check_password("demo-pass-2024")  # one hash for every demo account
    assert all(b.certificate_no.startswith("NBJJR-2023-0") for b in brokers)
    assert len({b.level for b in brokers}) == 3 and len({b.market_id for b in brokers}) >= 8


def test_cic8_contracts_record_the_brokers_of_confirmed_credits(demo):
    contracts = list(_db.session.scalars(sa.select(Contract).where(
        Contract.edition_id == _cic8().id, Contract.status == ContractStatus.SIGNED)))
    credited = [c for c in contracts if c.firm_broker_id or c.team_broker_id]
    assert len(credited) >= 3 and any(c.firm_broker_id and c.team_broker_id for c in credited)
    confirmed = BrokerCredit.status == CreditStatus.CONFIRMED
    for contract in contracts:
        firm = _db.session.scalar(sa.select(BrokerCredit.broker_id).where(confirmed,
                                                                          BrokerCredit.need_id == contract.need_id))
        team = _db.session.scalar(sa.select(BrokerCredit.broker_id).where(confirmed,
                                                                          BrokerCredit.bid_id == contract.bid_id))
        assert (contract.firm_broker_id, contract.team_broker_id) == (firm, team), contract.number
    rule = _db.session.scalar(sa.select(RewardRule).where(RewardRule.edition_id == _cic8().id))
    assert (str(rule.rate_pct), str(rule.cap_yuan), str(rule.firm_share_pct)) == ("1.50", "50000.00", "50.00")
    pending = _db.session.scalars(sa.select(BrokerCredit).where(BrokerCredit.status == CreditStatus.PENDING)).all()
    need_ids = [c.need_id or _db.session.get(Bid, c.bid_id).need_id for c in pending]
    assert need_ids and {_db.session.get(Need, n).edition.code for n in need_ids} == {"CIC9-NB"}


def test_2024_events_have_contacts_that_became_cic8_bids_and_contracts(demo):
    cic8 = _cic8()
    held = list(_db.session.scalars(sa.select(MatchEvent).where(
        MatchEvent.starts_at >= datetime(2023, 12, 31, 16), MatchEvent.starts_at < datetime(2024, 12, 31, 16))))
    assert len([e for e in held if not e.cancelled]) >= 3 and len({e.market_id for e in held}) >= 3
    assert all(e.starts_at < cic8.bidding_deadline for e in held)
    bids, contracts = 0, 0
    for event in held:
        presented = set(_db.session.scalars(sa.select(EventNeed.need_id).where(EventNeed.event_id == event.id)))
        came = set(_db.session.scalars(sa.select(EventRegistration.user_id).where(
            EventRegistration.event_id == event.id, EventRegistration.attended.is_(True))))
        for contact in _db.session.scalars(sa.select(EventContact).where(EventContact.event_id == event.id)):
            assert contact.need_id in presented and _db.session.get(Team, contact.team_id).owner_id in came
            bid = _db.session.scalar(sa.select(Bid).where(Bid.need_id == contact.need_id,
                                                          Bid.team_id == contact.team_id))
            if bid is not None:
                assert bid.need.edition_id == cic8.id and bid.submitted_at > event.starts_at
                bids += 1
                contracts += bid.status == BidStatus.WINNER and _db.session.scalar(sa.select(Contract.id).where(
                    Contract.bid_id == bid.id, Contract.status == ContractStatus.SIGNED)) is not None
    assert bids >= 5 and contracts >= 1
    attended = _db.session.scalar(sa.select(sa.func.count()).select_from(EventRegistration)
                                  .where(EventRegistration.attended.is_(True)))
    assert attended >= 10
    upcoming = _db.session.scalars(sa.select(MatchEvent).where(MatchEvent.starts_at > DEMO_NOW)).all()
    assert len(upcoming) >= 2 and all(not e.cancelled for e in upcoming)


def test_the_network_statistics_follow_from_the_records(demo):
    table = network_table(Period(2024, _cic8()), now=DEMO_NOW)
    totals = table.totals.values
    assert (totals["needs_collected"], totals["needs_awarded"], totals["contracts_signed"]) == (25, 18, 18)
    assert str(totals["contract_amount"]) == "72500000.00"
    assert totals["events_held"] == 5 and totals["brokers_active"] >= 8
    mould = next(r for _l, rows, _s in table.groups for r in rows if r.name == "宁波市模具行业协会技术市场")
    assert mould.values["events_held"] == 1 and mould.values["brokers_active"] == 1


def test_seeding_again_adds_nothing(demo):
    app, _ = demo
    models = (User, Broker, BrokerCredit, RewardRule, MatchEvent, EventContact, EventRegistration)
    before = {m.__name__: _count(m) for m in models}
    brokers = _db.session.execute(sa.select(Contract.id, Contract.firm_broker_id, Contract.team_broker_id)
                                  .order_by(Contract.id)).all()
    app.config["FROZEN_NOW"] = DEMO_NOW + timedelta(days=3)
    try:
        again = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["FROZEN_NOW"] = DEMO_NOW
    assert again.exit_code == 0, again.output
    assert "技术经纪人：新建 0 位，已存在 12 位" in again.output and "对接活动：新建 0 场" in again.output
    _db.session.expire_all()
    assert {m.__name__: _count(m) for m in models} == before
    assert _db.session.execute(sa.select(Contract.id, Contract.firm_broker_id, Contract.team_broker_id)
                               .order_by(Contract.id)).all() == brokers
