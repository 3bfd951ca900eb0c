"""The network's markets as records, their staff, pre-screening and collecting needs for firms."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest.domain.states import BidStatus, EditionStage, NeedStatus, ReviewDecision, Role
from contest.models import AuditEvent, Market, Need, Notice, Organization, User
from tests.conftest import market_id

HAISHU, JIANGBEI = "海曙区科技大市场", "江北区科技大市场"
NEW_PASSWORD = "Market-staff-passphrase-2026"


def text(response) -> str:
    return response.get_data(as_text=True)


def need_form(edition, **overrides) -> dict:
    data = {"edition": str(edition.id), "name": "注塑件在线视觉检测", "category": "firm_specific",
            "field": "electronic_info", "industry": "汽车零部件", "keywords": "机器视觉、缺陷检测",
            "problem": "人工目检漏检率高。", "key_points": "检测节拍不大于 1 秒/件。", "goals": "形成在线检测系统。",
            "budget_wan": "300.00", "period_start": "2026-06-01", "period_end": "2027-05-31",
            "cooperation": "commissioned", "market_id": str(market_id(HAISHU)), "save": "保存草稿"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


@pytest.fixture
def staff(make_user):
    """Staff of 海曙区科技大市场."""
    return make_user(Role.MARKET, market_id=market_id(HAISHU))


@pytest.fixture
def other_staff(make_user):
    """Staff of another market (江北区科技大市场)."""
    return make_user(Role.MARKET, market_id=market_id(JIANGBEI))


@pytest.fixture
def market_firm(make_org, make_user):
    """A firm 海曙区科技大市场 registered on its behalf."""
    org = make_org(name="海曙代注册精工有限公司", market_id=market_id(HAISHU), consent_by="王总",
                   consent_at=datetime(2026, 3, 1))
    return make_user(Role.FIRM, org=org)


# --- the organizer's markets -----------------------------------------------------------------------------

def test_markets_page_lists_the_network_with_counts(client, login, organizer, staff, make_need):
    make_need(market_id=market_id(HAISHU))
    login(organizer)
    page = text(client.get("/organizer/markets"))
    assert page.count('data-market="') == 26
    row = page.split(f'data-market="{market_id(HAISHU)}"')[1].split("</tr>")[0]
    assert HAISHU in row and "330203" in row
    assert [c.split(">")[-1] for c in row.split("</td>")[4:6]] == ["1", "1"]  # one staff, one need


def test_organizer_edits_a_market_and_it_is_audited(client, db, login, organizer):
    login(organizer)
    mid = market_id(HAISHU)
    answer = client.post(f"/organizer/markets/{mid}", data={
        "name": HAISHU, "level": "sub", "area": "海曙区", "region_code": "330203", "contact_name": "陈老师",
        "contact_phone": "0574-87000000", "contact_email": "haishu@example.com", "active": "y"})
    assert answer.status_code == 302
    market = db.session.get(Market, mid)
    db.session.refresh(market)
    assert (market.contact_name, market.contact_email) == ("陈老师", "haishu@example.com")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "market.update"))
    assert event is not None and event.object_id == mid and "陈老师" in event.detail


@pytest.mark.parametrize("changes, message", [
    ({"region_code": ""}, "须填写行政区划代码"),
    ({"region_code": "33020"}, "6 位数字"),
    ({"region_code": "999999"}, "不在现行"),
    ({"name": "江北区科技大市场"}, "已有名为"),
    ({"level": "nonsense"}, ""),
])
def test_bad_market_input_is_refused_and_nothing_saved(client, db, login, organizer, changes, message):
    login(organizer)
    mid = market_id(HAISHU)
    data = {"name": "改名的海曙市场", "level": "sub", "area": "海曙区", "region_code": "330203",
            "contact_name": "陈老师", "active": "y", **changes}
    answer = client.post(f"/organizer/markets/{mid}", data=data)
    assert 400 <= answer.status_code < 500 and message in text(answer)
    db.session.expire_all()
    market = db.session.get(Market, mid)
    assert (market.name, market.contact_name) == (HAISHU, "")


def test_professional_market_may_have_no_region_and_a_new_market_is_added(client, db, login, organizer):
    login(organizer)
    answer = client.post("/organizer/markets/new", data={
        "name": "宁波市光学行业协会技术市场", "level": "professional", "area": "宁波市光学行业协会", "region_code": "",
        "active": "y"})
    assert answer.status_code == 302
    market = db.session.scalar(sa.select(Market).where(Market.name == "宁波市光学行业协会技术市场"))
    assert market.region_code == "" and market.active
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "market.create",
                                                            AuditEvent.object_id == market.id))


# --- staff accounts --------------------------------------------------------------------------------------

def _new_user(**overrides) -> dict:
    return {"role": "market", "username": "haishu-staff", "display_name": "海曙工作人员", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "org_id": "0", "market_id": str(market_id(HAISHU)), **overrides}


def test_organizer_creates_a_market_staff_account(client, db, login, organizer):
    login(organizer)
    assert client.post("/organizer/users/new", data=_new_user()).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "haishu-staff"))
    assert user.role == Role.MARKET and user.market.name == HAISHU


@pytest.mark.parametrize("overrides", [{"market_id": "0"}, {"role": "judge"}])
def test_staff_account_needs_a_market_and_only_staff_have_one(client, db, login, organizer, overrides):
    login(organizer)
    answer = client.post("/organizer/users/new", data=_new_user(**overrides))
    assert answer.status_code == 400 and "所属市场" in text(answer)
    assert db.session.scalar(sa.select(User.id).where(User.username == "haishu-staff")) is None


# --- pre-screening ---------------------------------------------------------------------------------------

def _submit_as_firm(client, login, firm, edition, **form) -> Need:
    login(firm)
    answer = client.post("/firm/needs/new", data=need_form(edition, save=None, save_and_submit="提交", **form))
    assert answer.status_code == 302
    need_id = int(answer.headers["Location"].rstrip("/").split("/")[-1])
    from contest.extensions import db
    return db.session.get(Need, need_id)


def test_a_staffed_market_pre_screens_and_passes_to_the_queue(client, db, login, edition, staff, organizer,
                                                               make_user):
    firm = make_user(Role.FIRM)
    need = _submit_as_firm(client, login, firm, edition)
    assert need.status == NeedStatus.MARKET_REVIEW
    assert "市场预审中" in text(client.get(f"/firm/needs/{need.id}"))
    login(organizer)
    assert need.name not in text(client.get("/organizer/queue"))
    login(staff)
    assert need.name in text(client.get("/market/"))
    assert client.post(f"/market/needs/{need.id}/pass").status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.SUBMITTED and need.submitted_at is not None
    login(organizer)
    assert need.name in text(client.get("/organizer/queue"))
    assert db.session.scalar(sa.select(Notice.id).where(Notice.user_id == firm.id,
                                                        Notice.event == "need.market_passed"))


def test_return_goes_back_to_the_firm_with_the_comment(client, db, login, edition, staff, make_user):
    firm = make_user(Role.FIRM)
    need = _submit_as_firm(client, login, firm, edition)
    login(staff)
    refused = client.post(f"/market/needs/{need.id}/return", data={"comment": "  "})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == NeedStatus.MARKET_REVIEW
    assert client.post(f"/market/needs/{need.id}/return", data={"comment": "请补充检测节拍指标"}).status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.RETURNED
    assert [(r.decision, r.reviewer_id) for r in need.reviews] == [(ReviewDecision.RETURN, staff.id)]
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == firm.id,
                                                       Notice.event == "need.market_returned"))
    assert notice is not None and HAISHU in notice.text
    login(firm)
    assert "请补充检测节拍指标" in text(client.get(f"/firm/needs/{need.id}"))
    assert "请补充检测节拍指标" in text(client.get("/firm/needs"))


def test_the_city_market_and_an_unstaffed_market_go_straight_to_the_queue(client, db, login, edition, staff,
                                                                           make_user):
    city = _submit_as_firm(client, login, make_user(Role.FIRM), edition, market_id="1", name="市场需求甲")
    unstaffed = _submit_as_firm(client, login, make_user(Role.FIRM), edition, market_id=str(market_id(JIANGBEI)),
                                name="市场需求乙")
    assert (city.status, unstaffed.status) == (NeedStatus.SUBMITTED, NeedStatus.SUBMITTED)


def test_a_disabled_staff_account_does_not_hold_needs(client, db, login, edition, staff, make_user):
    staff.active = False
    need = _submit_as_firm(client, login, make_user(Role.FIRM), edition)
    assert need.status == NeedStatus.SUBMITTED


# --- collecting needs for firms --------------------------------------------------------------------------

def _firm_body(**overrides) -> dict:
    code = "91330203MA2HXNEW0"
    data = {"account-username": "hs-new-firm", "account-display_name": "赵经理", "account-password": NEW_PASSWORD,
            "account-confirm": NEW_PASSWORD, "org-name": "海曙新注册科技有限公司", "org-kind": "enterprise",
            "org-credit_code": code + uscc.calc_check_digit(code), "org-region_code": "330203",
            "org-nature_code": "150", "org-address": "宁波市海曙区", "org-legal_rep": "周八",
            "org-contact_name": "吴九", "org-contact_phone": "0574-87654321",
            "consent-consent_by": "周八", "consent-consented": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_register_a_firm_with_its_consent(client, db, login, staff, clock):
    login(staff)
    assert client.post("/market/firms/new", data=_firm_body()).status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name == "海曙新注册科技有限公司"))
    assert (org.market_id, org.consent_by, org.consent_at) == (staff.market_id, "周八", clock.now)
    user = db.session.scalar(sa.select(User).where(User.username == "hs-new-firm"))
    assert user.role == Role.FIRM and user.org_id == org.id
    assert "海曙新注册科技有限公司" in text(client.get("/market/firms"))


@pytest.mark.parametrize("overrides", [{"consent-consented": None}, {"consent-consent_by": ""},
                                       {"org-credit_code": "91330203MA2HSNEW00"}])
def test_registering_a_firm_without_consent_or_a_valid_code_is_refused(client, db, login, staff, overrides):
    login(staff)
    answer = client.post("/market/firms/new", data=_firm_body(**overrides))
    assert answer.status_code == 400
    assert db.session.scalar(sa.select(User.id).where(User.username == "hs-new-firm")) is None
    assert db.session.scalar(sa.select(Organization.id).where(Organization.name == "海曙新注册科技有限公司")) is None


def test_staff_collect_a_need_for_their_firm_straight_to_the_queue(client, db, login, edition, staff, market_firm):
    login(staff)
    form = client.get("/market/needs/new")
    assert "海曙代注册精工有限公司" in text(form) and "直接进入组织方甄别" in text(form)
    submit = {"firm": str(market_firm.org_id), "save": None, "save_and_submit": "提交"}
    assert client.post("/market/needs/new", data=need_form(edition, market_id="1", **submit)).status_code == 400
    assert db.session.scalar(sa.select(Need.id)) is None  # the channel is the staff's own market, no other
    answer = client.post("/market/needs/new", data=need_form(edition, **submit))
    assert answer.status_code == 302
    need = db.session.scalar(sa.select(Need))
    assert (need.firm_org_id, need.created_by_id, need.market_id, need.status) == (
        market_firm.org_id, staff.id, staff.market_id, NeedStatus.SUBMITTED)
    login(market_firm)
    assert need.name in text(client.get("/firm/needs"))


def test_staff_draft_then_submit_a_collected_need(client, db, login, edition, staff, market_firm):
    login(staff)
    answer = client.post("/market/needs/new", data=need_form(edition, firm=str(market_firm.org_id)))
    need = db.session.scalar(sa.select(Need))
    assert answer.status_code == 302 and need.status == NeedStatus.DRAFT
    assert client.post(f"/market/needs/{need.id}/edit", data=need_form(edition, name="改名后的需求")).status_code == 302
    assert client.post(f"/market/needs/{need.id}/submit").status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert (need.name, need.status) == ("改名后的需求", NeedStatus.SUBMITTED)


def test_staff_cannot_collect_for_a_firm_their_market_did_not_register(client, db, login, edition, staff,
                                                                       make_user):
    stranger = make_user(Role.FIRM)
    login(staff)
    answer = client.post("/market/needs/new", data=need_form(edition, firm=str(stranger.org_id)))
    assert answer.status_code == 400
    assert db.session.scalar(sa.select(Need.id)) is None


# --- one market sees nothing of another's ----------------------------------------------------------------

def test_another_markets_staff_get_404_and_see_none_of_its_firms(client, db, login, edition, staff, other_staff,
                                                                  market_firm, make_need):
    need = make_need(status=NeedStatus.MARKET_REVIEW, firm=market_firm, market_id=market_id(HAISHU))
    login(other_staff)
    for url in (f"/market/needs/{need.id}", f"/market/needs/{need.id}/edit"):
        assert client.get(url).status_code == 404
    assert client.post(f"/market/needs/{need.id}/pass").status_code == 404
    assert client.post(f"/market/needs/{need.id}/return", data={"comment": "退回"}).status_code == 404
    for url in ("/market/needs", "/market/firms", "/market/needs/new", "/market/"):
        page = text(client.get(url))
        assert "海曙代注册精工有限公司" not in page and need.name not in page
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == NeedStatus.MARKET_REVIEW


def test_needs_list_shows_bid_counts_and_published_results(client, db, login, staff, make_need, make_bid,
                                                          make_team):
    need = make_need(market_id=market_id(HAISHU), name="有人揭榜的需求")
    make_bid(need=need)
    make_bid(need=need, status=BidStatus.DRAFT)
    winner_team = make_team(name="优胜揭榜团队")
    awarded = make_need(status=NeedStatus.AWARDED, market_id=market_id(HAISHU), name="已揭榜的需求")
    make_bid(need=awarded, team=winner_team, status=BidStatus.WINNER)
    login(staff)
    page = text(client.get("/market/needs"))
    assert 'data-bids="1"' in page and "优胜揭榜团队" not in page  # results not yet published
    awarded.edition.stage = EditionStage.RESULTS
    db.session.commit()
    assert "优胜揭榜团队" in text(client.get("/market/needs"))
    assert "采用深度学习" not in page  # a bid's content stays confidential


def test_market_needs_list_statement_count_is_flat(client, db, login, staff, make_need, make_bid, count_queries):
    make_bid(need=make_need(market_id=market_id(HAISHU)))
    login(staff)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/market/needs").status_code == 200
    for _ in range(6):
        make_bid(need=make_need(market_id=market_id(HAISHU)))
    db.session.commit()
    with count_queries() as many:
        page = text(client.get("/market/needs"))
    assert "共 7 条" in page and page.count('data-bids="1"') == 7
    assert len(many) == len(few)


@pytest.mark.parametrize("key", ["id", "name", "firm", "edition", "status", "submitted", "bids"])
def test_market_needs_list_sorts_by_each_column_and_searches(client, db, login, staff, make_need, key):
    first = make_need(market_id=market_id(HAISHU), name="甲需求")
    second = make_need(market_id=market_id(HAISHU), name="乙需求")
    make_need(market_id=market_id(JIANGBEI), name="江北的需求")
    login(staff)
    for direction in ("asc", "desc"):
        page = text(client.get(f"/market/needs?sort={key}&dir={direction}"))
        assert f'data-need="{first.id}"' in page and f'data-need="{second.id}"' in page and "江北的需求" not in page
    found = text(client.get("/market/needs?q=乙需"))
    assert f'data-need="{second.id}"' in found and f'data-need="{first.id}"' not in found
    filtered = text(client.get("/market/needs?status=market_review"))
    assert "没有符合条件的需求" in filtered


def test_a_need_still_with_its_market_when_the_review_opens_is_closed_unpublished(db, edition, staff, organizer,
                                                                                  make_user, make_need):
    from contest.services.judging import stages

    waiting = make_need(status=NeedStatus.MARKET_REVIEW, market_id=market_id(HAISHU), name="仍在市场预审的需求")
    db.session.commit()
    stages.open_online_review(edition, organizer, edition.bidding_deadline)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Need, waiting.id).status == NeedStatus.REJECTED
