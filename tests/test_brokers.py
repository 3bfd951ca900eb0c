"""Technology brokers: the organizer's register, credits named by firms and teams and confirmed by the broker,
the brokers recorded on the contract, the statistics and the reward rule's payable list (page and XLSX)."""
from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from contest.domain.choices import BrokerLevel
from contest.domain.contracts import ContractStatus
from contest.domain.states import BidStatus, CreditStatus, EditionStage, NeedStatus, Role
from contest.models import AuditEvent, Broker, BrokerCredit, Contract, Notice, RewardRule, User
from contest.services.contracts import drafting


NEW_PASSWORD = "Broker-passphrase-2026"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def make_broker(db, make_user):
    def make(name: str, certificate: str, market: int = 2, active: bool = True) -> Broker:
        user = make_user(Role.BROKER, display_name=name)
        broker = Broker(user_id=user.id, name=name, level=BrokerLevel.INTERMEDIATE, certificate_no=certificate,
                        market_id=market, fields="electronic_info", active=active)
        db.session.add(broker)
        db.session.flush()
        return broker
    return make


def broker_form(**overrides) -> dict:
    data = {"name": "周经纪", "level": "senior", "certificate_no": "NBJJ-2024-0001", "market_id": "2",
            "fields": ["electronic_info", "new_materials"], "phone": "13800000000", "active": "y",
            "username": "broker-zhou", "display_name": "周经纪", "email": "zhou@example.com",
            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    data.update(overrides)
    return data


# --- the organizer's register -------------------------------------------------------------------------------

def test_organizer_registers_a_broker_with_its_account(client, db, make_user, login):
    organizer = login(make_user(Role.ORGANIZER))
    r = client.post("/organizer/brokers/new", data=broker_form())
    assert r.status_code == 302, text(r)
    broker = db.session.scalar(sa.select(Broker).where(Broker.certificate_no == "NBJJ-2024-0001"))
    assert broker.level == BrokerLevel.SENIOR and broker.market_id == 2
    assert broker.fields == "electronic_info,new_materials"
    assert broker.user.role == Role.BROKER and broker.user.username == "broker-zhou"
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "broker.create",
                                                         AuditEvent.actor_id == organizer.id))
    page = text(client.get("/organizer/brokers?q=NBJJ-2024"))
    assert "周经纪" in page and "broker-zhou" in page


def test_a_duplicate_certificate_is_refused_and_nothing_is_saved(client, db, make_user, make_broker, login):
    make_broker("先登记的", "NBJJ-DUP-1")
    login(make_user(Role.ORGANIZER))
    r = client.post("/organizer/brokers/new", data=broker_form(certificate_no="nbjj-dup-1", username="dup-account"))
    assert r.status_code == 409
    assert "已登记给经纪人“先登记的”" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Broker)) == 1
    assert db.session.scalar(sa.select(User).where(User.username == "dup-account")) is None


def test_the_broker_list_costs_the_same_whatever_its_length(client, db, make_user, make_broker, login,
                                                            count_queries):
    login(make_user(Role.ORGANIZER))
    make_broker("甲", "C-1")
    db.session.commit()
    with count_queries() as few:
        assert client.get("/organizer/brokers").status_code == 200
    for n in range(2, 12):
        make_broker(f"经纪人{n}", f"C-{n}", market=n)
    db.session.commit()
    with count_queries() as many:
        assert client.get("/organizer/brokers").status_code == 200
    assert len(many) == len(few)


# --- credits ------------------------------------------------------------------------------------------------

@pytest.fixture
def results(db, edition):
    """The edition's results published on 1 March: the objection window closed before the clock's 10 March."""
    edition.stage, edition.results_published_at = EditionStage.RESULTS, datetime(2026, 3, 1, 2, 0)
    return edition


def test_firm_names_broker_who_confirms_and_the_contract_records_it(client, db, results, make_user, make_need,
                                                                    make_bid, make_team, make_broker, login):
    firm = make_user(Role.FIRM)
    firm.organization.name = "宁波明州注塑有限公司"
    need = make_need(status=NeedStatus.AWARDED, firm=firm, name="注塑件视觉检测")
    team = make_team(name="视觉攻关组")
    bid = make_bid(need=need, team=team, status=BidStatus.WINNER)
    broker, team_broker = make_broker("王经纪", "W-001"), make_broker("李经纪", "L-001", market=3)

    login(firm)
    assert "王经纪" in text(client.get(f"/firm/needs/{need.id}/broker?q=W-00"))
    assert "王经纪" not in text(client.get(f"/firm/needs/{need.id}/broker?q=李"))
    r = client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": broker.id})
    assert r.status_code == 302
    assert "待经纪人确认" in text(client.get(f"/firm/needs/{need.id}"))

    login(db.session.get(User, team.owner_id))
    assert client.post(f"/team/bids/{bid.id}/broker", data={"broker_id": team_broker.id}).status_code == 302

    login(broker.user)
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == broker.user_id))
    assert notice is not None and "注塑件视觉检测" in notice.text
    home = text(client.get("/broker/"))
    assert "注塑件视觉检测" in home and "宁波明州注塑有限公司" in home
    credit = db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.need_id == need.id))
    assert client.post(f"/broker/credits/{credit.id}/confirm").status_code == 302
    db.session.refresh(credit)
    assert credit.status == CreditStatus.CONFIRMED
    # the firm hears of it; the decision stands
    assert db.session.scalar(sa.select(Notice).where(Notice.user_id == firm.id,
                                                     Notice.event == "broker.credit_confirmed"))
    r = client.post(f"/broker/credits/{credit.id}/decline")
    assert r.status_code == 409
    db.session.refresh(credit)
    assert credit.status == CreditStatus.CONFIRMED

    login(team_broker.user)
    home = text(client.get("/broker/"))
    assert "视觉攻关组" in home and "注塑件视觉检测" in home
    team_credit = db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.bid_id == bid.id))
    assert client.post(f"/broker/credits/{team_credit.id}/confirm").status_code == 302

    organizer = make_user(Role.ORGANIZER)
    contract = drafting.draft_contract(need, organizer, datetime(2026, 3, 10, 2, 0))
    db.session.commit()
    assert (contract.firm_broker_id, contract.team_broker_id) == (broker.id, team_broker.id)
    login(organizer)
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "王经纪 W-001" in page and "李经纪 L-001" in page


def test_a_confirmed_credit_cannot_be_replaced(client, db, make_user, make_need, make_broker, login):
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm)
    first, other = make_broker("甲经纪", "A-1"), make_broker("乙经纪", "B-1")
    db.session.add(BrokerCredit(broker_id=first.id, need_id=need.id, status=CreditStatus.CONFIRMED,
                                named_by_id=firm.id))
    login(firm)
    r = client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": other.id})
    assert r.status_code == 409 and "不能再更换" in text(r)
    assert client.post(f"/firm/needs/{need.id}/broker/remove").status_code == 409
    assert db.session.scalar(sa.select(BrokerCredit.broker_id).where(BrokerCredit.need_id == need.id)) == first.id


def test_after_a_decline_the_firm_names_another_broker(client, db, make_user, make_need, make_broker, login):
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm, name="磁材配方优化")
    first, second = make_broker("甲经纪", "A-1"), make_broker("乙经纪", "B-1")
    login(firm)
    client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": first.id})
    login(first.user)
    credit = db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.need_id == need.id))
    assert client.post(f"/broker/credits/{credit.id}/decline").status_code == 302
    assert db.session.scalar(sa.select(Notice).where(Notice.user_id == firm.id,
                                                     Notice.event == "broker.credit_declined"))

    login(firm)
    assert "经纪人已拒绝" in text(client.get(f"/firm/needs/{need.id}"))
    assert client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": second.id}).status_code == 302
    db.session.expire_all()
    credit = db.session.scalar(sa.select(BrokerCredit).where(BrokerCredit.need_id == need.id))
    assert (credit.broker_id, credit.status) == (second.id, CreditStatus.PENDING)
    login(second.user)
    assert "磁材配方优化" in text(client.get("/broker/"))
    login(first.user)
    assert client.post(f"/broker/credits/{credit.id}/confirm").status_code == 404


def test_an_inactive_broker_cannot_be_named(client, db, make_user, make_need, make_broker, login):
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm)
    gone = make_broker("停用经纪", "X-1", active=False)
    login(firm)
    assert "停用经纪" not in text(client.get(f"/firm/needs/{need.id}/broker"))
    r = client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": gone.id})
    assert r.status_code == 409
    assert db.session.scalar(sa.select(BrokerCredit)) is None


def test_others_cannot_name_on_a_need_or_bid_not_theirs(client, db, make_user, make_need, make_bid, make_team,
                                                        make_broker, login):
    need = make_need()
    bid = make_bid(need=need)
    broker = make_broker("甲经纪", "A-1")
    login(make_user(Role.FIRM))
    assert client.post(f"/firm/needs/{need.id}/broker", data={"broker_id": broker.id}).status_code == 404
    assert client.get(f"/firm/needs/{need.id}/broker").status_code == 404
    login(db.session.get(User, make_team().owner_id))
    assert client.post(f"/team/bids/{bid.id}/broker", data={"broker_id": broker.id}).status_code == 404
    assert db.session.scalar(sa.select(BrokerCredit)) is None


def test_a_broker_cannot_decide_another_brokers_credit(client, db, make_user, make_need, make_broker, login):
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm)
    named, other = make_broker("甲经纪", "A-1"), make_broker("乙经纪", "B-1")
    credit = BrokerCredit(broker_id=named.id, need_id=need.id, named_by_id=firm.id)
    db.session.add(credit)
    db.session.flush()
    login(other.user)
    assert client.post(f"/broker/credits/{credit.id}/confirm").status_code == 404
    assert client.post(f"/broker/credits/{credit.id}/decline").status_code == 404
    db.session.refresh(credit)
    assert credit.status == CreditStatus.PENDING
    assert "甲经纪" not in text(client.get("/broker/"))


# --- statistics and rewards ---------------------------------------------------------------------------------

def _signed(db, need, bid, organizer, number: str, total: str, equipment: str = "0",
            firm_broker=None, team_broker=None) -> Contract:
    contract = drafting.draft_contract(need, organizer, datetime(2026, 3, 10, 2, 0))
    contract.total_amount, contract.equipment_amount = Decimal(total), Decimal(equipment)
    contract.firm_broker_id = firm_broker.id if firm_broker else None
    contract.team_broker_id = team_broker.id if team_broker else None
    contract.status, contract.number, contract.pdf_sha256 = ContractStatus.SIGNED, number, "0" * 64
    db.session.flush()
    return contract


@pytest.fixture
def small_world(db, results, make_user, make_need, make_bid, make_broker):
    """Broker 王 (market 2) brought two needs (one declined does not count) and one bid, which won; broker 李
    (market 3) brought one bid that won. Two signed contracts: C1 (王 firm side, 李 team side, tech 2,000,000),
    C2 (王 on both sides, tech 500,000 of 800,000)."""
    organizer = make_user(Role.ORGANIZER)
    wang, li = make_broker("王经纪", "W-1", market=2), make_broker("李经纪", "L-1", market=3)
    firm = make_user(Role.FIRM)
    n1 = make_need(status=NeedStatus.AWARDED, firm=firm, name="一号需求")
    n2 = make_need(status=NeedStatus.AWARDED, firm=firm, name="二号需求")
    n3 = make_need(status=NeedStatus.PUBLISHED, firm=firm, name="三号需求")
    b1 = make_bid(need=n1, status=BidStatus.WINNER)
    b2 = make_bid(need=n2, status=BidStatus.WINNER)
    lost = make_bid(need=n1, status=BidStatus.NOT_SELECTED)
    confirmed = CreditStatus.CONFIRMED
    db.session.add_all([
        BrokerCredit(broker_id=wang.id, need_id=n1.id, status=confirmed, named_by_id=firm.id),
        BrokerCredit(broker_id=wang.id, need_id=n2.id, status=confirmed, named_by_id=firm.id),
        BrokerCredit(broker_id=wang.id, need_id=n3.id, status=CreditStatus.DECLINED, named_by_id=firm.id),
        BrokerCredit(broker_id=li.id, bid_id=b1.id, status=confirmed, named_by_id=firm.id),
        BrokerCredit(broker_id=wang.id, bid_id=b2.id, status=confirmed, named_by_id=firm.id),
        BrokerCredit(broker_id=li.id, bid_id=lost.id, status=confirmed, named_by_id=firm.id),
    ])
    _signed(db, n1, b1, organizer, "CIC8-NB-2026-001", "2000000.00", firm_broker=wang, team_broker=li)
    _signed(db, n2, b2, organizer, "CIC8-NB-2026-002", "800000.00", equipment="300000.00",
            firm_broker=wang, team_broker=wang)
    db.session.commit()
    return {"organizer": organizer, "wang": wang, "li": li}


def _figures(page: str, key: str) -> dict[str, str]:
    row = re.search(rf'<tr data-broker="{key}">(.*?)</tr>', page, re.S).group(1)
    return dict(re.findall(r'data-k="(\w+)">([^<]*)<', row))


def test_statistics_per_broker_and_market(client, small_world, login, edition):
    login(small_world["organizer"])
    page = text(client.get(f"/organizer/editions/{edition.code}/brokers"))
    assert _figures(page, "W-1") == {"needs": "2", "bids": "1", "winners": "1", "contracts": "2",
                                     "amount": "2,800,000.00", "tech": "2,500,000.00"}
    assert _figures(page, "L-1") == {"needs": "0", "bids": "2", "winners": "1", "contracts": "1",
                                     "amount": "2,000,000.00", "tech": "2,000,000.00"}
    only = text(client.get(f"/organizer/editions/{edition.code}/brokers?market=3"))
    assert 'data-broker="L-1"' in only and 'data-broker="W-1"' not in only
    assert 'data-market="3"' in only and 'data-market="2"' not in only


def test_payable_list_and_its_xlsx(client, db, small_world, login, edition):
    login(small_world["organizer"])
    r = client.post(f"/organizer/editions/{edition.code}/broker-reward",
                    data={"rate_pct": "1.5", "cap_yuan": "20000", "firm_share_pct": "60"})
    assert r.status_code == 302
    rate = db.session.scalar(sa.select(RewardRule.rate_pct).where(RewardRule.edition_id == edition.id))
    assert rate == Decimal("1.5")
    # C1: min(2,000,000 × 1.5%, 20,000) = 20,000 → 王 12,000 (firm), 李 8,000 (team)
    # C2: 500,000 × 1.5% = 7,500 → 王 4,500 (firm) + 3,000 (team)
    page = text(client.get(f"/organizer/editions/{edition.code}/broker-payables"))
    assert "19,500.00" in page and "8,000.00" in page
    r = client.get(f"/organizer/editions/{edition.code}/broker-payables.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    totals = {row[1]: Decimal(str(row[7])) for row in rows if row[4] == "合计"}
    shares: dict[str, Decimal] = {}
    for row in rows:
        if row[4] != "合计":
            shares[row[1]] = shares.get(row[1], Decimal(0)) + Decimal(str(row[7]))
    assert totals == shares == {"W-1": Decimal("19500"), "L-1": Decimal("8000")}


def test_a_side_without_broker_is_not_paid(client, db, results, make_user, make_need, make_bid, make_broker, login,
                                           edition):
    organizer = make_user(Role.ORGANIZER)
    wang = make_broker("王经纪", "W-1")
    need = make_need(status=NeedStatus.AWARDED)
    bid = make_bid(need=need, status=BidStatus.WINNER)
    _signed(db, need, bid, organizer, "CIC8-NB-2026-009", "1000000.00", firm_broker=wang)
    db.session.add(RewardRule(edition_id=edition.id, rate_pct=Decimal("1"), cap_yuan=Decimal("50000"),
                              firm_share_pct=Decimal("50")))
    login(organizer)
    page = text(client.get(f"/organizer/editions/{edition.code}/broker-payables"))
    # the contract's reward is 10,000; the firm's broker gets its half, the team's half goes to no one
    assert re.findall(r"data-total>([^<]*)<", page) == ["5,000.00"]
    assert "该方份额不予支付" in page


def test_a_rule_out_of_range_is_refused(client, db, make_user, login, edition):
    login(make_user(Role.ORGANIZER))
    r = client.post(f"/organizer/editions/{edition.code}/broker-reward",
                    data={"rate_pct": "0", "cap_yuan": "100", "firm_share_pct": "50"})
    assert r.status_code == 400
    assert db.session.scalar(sa.select(RewardRule)) is None


def test_a_broker_confirmed_after_drafting_is_recorded_on_the_draft(client, db, results, make_user, make_need,
                                                                    make_bid, make_broker, login):
    firm = make_user(Role.FIRM)
    need = make_need(status=NeedStatus.AWARDED, firm=firm)
    make_bid(need=need, status=BidStatus.WINNER)
    broker = make_broker("晚确认", "LATE-1")
    contract = drafting.draft_contract(need, make_user(Role.ORGANIZER), datetime(2026, 3, 10, 2, 0))
    credit = BrokerCredit(broker_id=broker.id, need_id=need.id, named_by_id=firm.id)
    db.session.add(credit)
    db.session.flush()
    assert contract.firm_broker_id is None
    login(broker.user)
    assert client.post(f"/broker/credits/{credit.id}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).firm_broker_id == broker.id


def _more_credits(db, make_need, make_broker, firm, n: int) -> None:
    for i in range(n):
        broker = make_broker(f"批量经纪{i}", f"BULK-{i}", market=2 + i % 5)
        need = make_need(firm=firm, status=NeedStatus.AWARDED)
        db.session.add(BrokerCredit(broker_id=broker.id, need_id=need.id, status=CreditStatus.CONFIRMED,
                                    named_by_id=firm.id))
    db.session.commit()


def test_statistics_and_payables_cost_the_same_whatever_the_rows(client, db, small_world, make_user, make_need,
                                                                 make_broker, login, edition, count_queries):
    login(small_world["organizer"])
    db.session.add(RewardRule(edition_id=edition.id, rate_pct=Decimal("1"), cap_yuan=Decimal("9000"),
                              firm_share_pct=Decimal("50")))
    db.session.commit()
    pages = (f"/organizer/editions/{edition.code}/brokers", f"/organizer/editions/{edition.code}/broker-payables")
    with count_queries() as few:
        for page in pages:
            assert client.get(page).status_code == 200
    _more_credits(db, make_need, make_broker, make_user(Role.FIRM), 8)
    with count_queries() as many:
        for page in pages:
            assert client.get(page).status_code == 200
    assert len(many) == len(few)


def test_the_broker_home_costs_the_same_whatever_the_rows(client, db, make_user, make_need, make_broker, login,
                                                          count_queries):
    broker = make_broker("忙碌经纪", "BUSY-1")
    firm = make_user(Role.FIRM)

    def credit(status):
        db.session.add(BrokerCredit(broker_id=broker.id, need_id=make_need(firm=firm).id, status=status,
                                    named_by_id=firm.id, decided_at=None if status == CreditStatus.PENDING
                                    else datetime(2026, 3, 9)))

    credit(CreditStatus.PENDING)
    credit(CreditStatus.CONFIRMED)
    login(broker.user)
    with count_queries() as few:
        assert client.get("/broker/").status_code == 200
    for status in [CreditStatus.PENDING] * 4 + [CreditStatus.DECLINED] * 4:
        credit(status)
    db.session.commit()
    with count_queries() as many:
        page = text(client.get("/broker/"))
    assert len(many) == len(few)
    assert page.count('data-credit=') == 10
