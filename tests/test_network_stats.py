"""The network's statistics per market (contest/services/network/statistics.py), the organizer's page and its
export, and the edition dashboard filtered by market: a small world across three markets with exact figures."""
from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from contest.domain.choices import BrokerLevel
from contest.domain.contracts import ContractStatus
from contest.domain.states import BidStatus, CreditStatus, NeedStatus, Role
from contest.models import Broker, BrokerCredit, MatchEvent
from contest.services.network.statistics import Period, network_table, period_for

from .test_statistics import add_contract

HAISHU, BEILUN, MOULD = 2, 4, 18   # 海曙区科技大市场, 北仑区科技大市场, 宁波市模具行业协会技术市场
NOW = datetime(2026, 3, 10, 2, 0)  # the app's frozen clock


def page(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, username="organizer1")


def add_broker(db, make_user, market_id: int, n: int) -> Broker:
    broker = Broker(user_id=make_user(Role.BROKER).id, name=f"经纪人{n}", level=BrokerLevel.SENIOR,
                    certificate_no=f"NBJJR-2026-T{n:02d}", market_id=market_id)
    db.session.add(broker)
    db.session.flush()
    return broker


def credit(db, broker, named_by, *, need=None, bid=None, status=CreditStatus.CONFIRMED) -> None:
    db.session.add(BrokerCredit(broker_id=broker.id, need_id=need.id if need else None, bid_id=bid.id if bid else None,
                                status=status, named_by_id=named_by.id))
    db.session.flush()


def event(db, organizer, market_id: int, starts_at: datetime, cancelled: bool = False) -> None:
    db.session.add(MatchEvent(market_id=market_id, title="对接活动", starts_at=starts_at, place="宁波",
                              cancelled=cancelled, created_by_id=organizer.id))
    db.session.flush()


@pytest.fixture
def world(db, edition, organizer, make_user, make_need, make_bid, make_team):
    """海曙: a draft, a submitted, a published need with one bid and a withdrawn one, an awarded need with a
    signed contract (2,000,000.00, of which 300,000.00 equipment); a broker credited on the awarded need.
    北仑: a published need with only a draft bid, a failed need; a broker with a pending credit only, and one whose
    confirmed credit is on a bid; a held event and a cancelled one. 模具: an event still to come; nothing else."""
    make_need(status=NeedStatus.DRAFT, market_id=HAISHU)
    make_need(status=NeedStatus.SUBMITTED, market_id=HAISHU)
    published = make_need(status=NeedStatus.PUBLISHED, market_id=HAISHU)
    make_bid(published, status=BidStatus.SUBMITTED)
    make_bid(published, status=BidStatus.WITHDRAWN)
    awarded = make_need(status=NeedStatus.AWARDED, market_id=HAISHU)
    winner = make_bid(awarded, status=BidStatus.WINNER)
    make_bid(awarded, status=BidStatus.NOT_SELECTED)
    add_contract(db, winner, ContractStatus.SIGNED, "2000000.00", sequence=1, equipment_amount=Decimal("300000.00"))
    beilun = make_need(status=NeedStatus.PUBLISHED, market_id=BEILUN)
    drafted = make_bid(beilun, status=BidStatus.DRAFT)
    failed = make_need(status=NeedStatus.FAILED, market_id=BEILUN)
    team_side = make_bid(failed, status=BidStatus.NOT_SELECTED)
    credit(db, add_broker(db, make_user, HAISHU, 1), organizer, need=awarded)
    credit(db, add_broker(db, make_user, BEILUN, 2), organizer, need=beilun, status=CreditStatus.PENDING)
    credit(db, add_broker(db, make_user, BEILUN, 3), organizer, bid=team_side)
    credit(db, add_broker(db, make_user, BEILUN, 4), organizer, bid=drafted, status=CreditStatus.DECLINED)
    event(db, organizer, BEILUN, datetime(2026, 1, 15, 2))
    event(db, organizer, BEILUN, datetime(2026, 2, 15, 2), cancelled=True)
    event(db, organizer, MOULD, datetime(2026, 4, 15, 2))           # after the clock: not held yet
    event(db, organizer, HAISHU, datetime(2025, 12, 31, 15, 30))    # 2025-12-31 23:30 Beijing: the year before
    db.session.commit()
    return {"awarded": awarded}


def figures(table) -> dict[int, dict]:
    return {row.market_id: row.values for _level, rows, _sub in table.groups for row in rows}


def test_each_market_has_its_exact_figures_and_the_totals_add_up(world, edition):
    table = network_table(Period(edition.year, edition), now=NOW)
    rows = figures(table)
    assert len(rows) == 26
    assert rows[HAISHU] == {"needs_collected": 3, "needs_published": 2, "needs_bid": 2, "needs_awarded": 1,
                            "contracts_signed": 1, "contract_amount": Decimal("2000000.00"),
                            "tech_amount": Decimal("1700000.00"), "brokers_active": 1, "events_held": 0}
    assert rows[BEILUN] == {"needs_collected": 2, "needs_published": 2, "needs_bid": 1, "needs_awarded": 0,
                            "contracts_signed": 0, "contract_amount": Decimal("0.00"), "tech_amount": Decimal("0.00"),
                            "brokers_active": 1, "events_held": 1}
    assert not any(rows[MOULD].values())
    assert table.totals.values == {"needs_collected": 5, "needs_published": 4, "needs_bid": 3, "needs_awarded": 1,
                                   "contracts_signed": 1, "contract_amount": Decimal("2000000.00"),
                                   "tech_amount": Decimal("1700000.00"), "brokers_active": 2, "events_held": 1}
    levels = [(level.value, len(members)) for level, members, _sub in table.groups]
    assert levels == [("city", 1), ("sub", 12), ("professional", 13)]
    assert table.groups[1][2].values["needs_collected"] == 5


def test_a_year_covers_its_editions_and_its_events(world, edition, clock):
    assert figures(network_table(Period(2026), now=NOW))[HAISHU]["needs_collected"] == 3
    last_year = network_table(Period(2025), now=NOW)
    assert figures(last_year)[HAISHU]["events_held"] == 1 and last_year.totals.values["needs_collected"] == 0
    clock(datetime(2026, 5, 1))
    assert figures(network_table(Period(2026), now=clock.now))[MOULD]["events_held"] == 1


def test_period_defaults_to_the_latest_edition_and_ignores_a_year_out_of_range(world, edition):
    assert period_for(None, None, now=NOW) == Period(2026, edition)
    assert period_for("CIC8-NB", 2025, now=NOW) == Period(2026, edition)
    assert period_for("NOPE", 2025, now=NOW) == Period(2025)
    assert period_for(None, 1900, now=NOW) == Period(2026, edition)


def test_statement_count_does_not_grow_with_markets_data(db, world, edition, organizer, make_user, make_need,
                                                         make_bid, count_queries):
    period = Period(edition.year, edition)
    with count_queries() as few:
        network_table(period, now=NOW)
    for n, market_id in enumerate(range(5, 26)):
        need = make_need(status=NeedStatus.AWARDED, market_id=market_id)
        bid = make_bid(need, status=BidStatus.WINNER)
        add_contract(db, bid, ContractStatus.SIGNED, "100000.00", sequence=10 + n)
        credit(db, add_broker(db, make_user, market_id, 10 + n), organizer, bid=bid)
        event(db, organizer, market_id, datetime(2026, 2, 1))
    db.session.commit()
    assert edition.id  # loaded again after the commit, before counting
    with count_queries() as many:
        table = network_table(period, now=NOW)
    assert table.totals.values["contracts_signed"] == 22 and table.totals.values["events_held"] == 22
    assert len(many) == len(few) <= 6


# --- the organizer's page and export ---------------------------------------------------------------------

def test_network_page_shows_the_table_grouped_by_level(client, login, organizer, world):
    login(organizer)
    html = page(client.get("/organizer/network/statistics"))
    assert "网络统计" in html and "第八届中国创新挑战赛（宁波）" in html
    haishu = re.search(r'<tr data-market="2">(.*?)</tr>', html).group(1)
    assert re.findall(r'data-cell="\w+">([^<]*)<', haishu) == ["3", "2", "2", "1", "1", "200.00", "170.00", "1", "0"]
    assert html.count("<tr data-market=") == 26
    assert re.search(r'data-totals>.*?data-cell="needs_collected">5<', html)
    assert 'href="/organizer/network/statistics"' in html  # in the 管理 menu


def test_network_page_by_year_and_bad_values_do_not_fail(client, login, organizer, world):
    login(organizer)
    html = page(client.get("/organizer/network/statistics?year=2025"))
    assert "2025 年" in html and re.search(r'<tr data-market="2">.*?data-cell="events_held">1<', html)
    for query in ("year=abc", "year=99999", "edition=NOPE", "year=%C2%B2%C2%B2%C2%B2%C2%B2", "edition=" + "x" * 500):
        response = client.get(f"/organizer/network/statistics?{query}")
        assert response.status_code == 200, query
        assert "第八届中国创新挑战赛（宁波）" in page(response)


def test_network_export_matches_the_table(client, login, organizer, world):
    login(organizer)
    response = client.get("/organizer/network/statistics.xlsx?edition=CIC8-NB")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert quote("CIC8-NB-网络统计.xlsx") in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("市场", "级别", "征集需求") and rows[0][-1] == "举办对接活动"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["海曙区科技大市场"] == ("海曙区科技大市场", "分市场", 3, 2, 2, 1, 1, 2000000, 1700000, 1, 0)
    assert by_name["北仑区科技大市场"][2:] == (2, 2, 1, 0, 0, 0, 0, 1, 1)
    assert rows[-1][0] == "合计" and rows[-1][2:] == (5, 4, 3, 1, 1, 2000000, 1700000, 2, 1)
    assert len(rows) == 1 + 26 + 3 + 1


@pytest.mark.parametrize("url", ["/organizer/network/statistics", "/organizer/network/statistics.xlsx"])
@pytest.mark.parametrize("role", [Role.FIRM, Role.TEAM, Role.JUDGE])
def test_only_the_organizer_sees_the_network(client, login, make_user, edition, url, role):
    login(make_user(role))  # market staff and brokers: the access matrix
    assert client.get(url).status_code == 403


# --- the edition dashboard filtered by market --------------------------------------------------------------

def test_edition_statistics_of_one_market(client, login, organizer, world):
    login(organizer)
    html = page(client.get(f"/organizer/editions/CIC8-NB/statistics?market={BEILUN}"))
    assert re.search(r'data-stat="needs_collected">2<', html) and re.search(r'data-stat="bids">1<', html)
    assert re.search(r'data-stat="contracts_signed">0<', html) and re.search(r'data-stat="failed_needs">1<', html)
    assert f'<option value="{BEILUN}" selected>' in html and f'data-market-filter="{BEILUN}"' in html
    table = html.split('data-table="by-channel"')[1].split("</table>")[0]
    assert "北仑区科技大市场" in table and "海曙区科技大市场" not in table
    whole = page(client.get("/organizer/editions/CIC8-NB/statistics"))
    assert re.search(r'data-stat="needs_collected">5<', whole) and re.search(r'data-stat="contracts_signed">1<', whole)


@pytest.mark.parametrize("value", ["abc", "0", "999999999999999999999", "9" * 5000, "-3", "²", " "])
def test_a_bad_market_shows_the_whole_edition(client, login, organizer, world, value):
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/statistics", query_string={"market": value})
    assert response.status_code == 200
    html = page(response)
    assert re.search(r'data-stat="needs_collected">5<', html)
    assert ("未找到所选市场" in html) == bool(value.strip())


def test_edition_stats_of_a_market_restrict_every_figure(world, edition):
    from contest.services.contracts.statistics import edition_stats

    haishu = edition_stats(edition, HAISHU)
    assert (haishu["needs_collected"], haishu["bids"], haishu["winners"], haishu["contracts_signed"],
            haishu["teams"], haishu["finalists"]) == (3, 3, 1, 1, 3, 1)
    assert haishu["contract_amount_signed"] == Decimal("2000000.00") and list(haishu["by_channel"]) == ["海曙区科技大市场"]
    mould = edition_stats(edition, MOULD)
    assert mould["needs_collected"] == 0 and mould["contract_amount_signed"] == Decimal("0.00")
