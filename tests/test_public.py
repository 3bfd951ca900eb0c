"""The public pages: home, the catalogue of published needs, a need's page, health."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.domain.choices import NeedCategory, NeedField
from contest.domain.states import NeedStatus, Role
from contest.models import Edition, Need

from .conftest import PASSWORD

HIDDEN = [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED, NeedStatus.REJECTED, NeedStatus.WITHDRAWN]


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def other_edition(db):
    e = Edition(code="CIC9-NB", name="第九届中国创新挑战赛（宁波）", year=2027,
                collection_start=date(2027, 2, 1), collection_end=date(2027, 3, 31),
                bidding_deadline=datetime(2027, 4, 30, 9, 0), review_start=date(2027, 5, 6),
                review_end=date(2027, 5, 20), final_date=date(2027, 6, 10), results_date=date(2027, 6, 20))
    db.session.add(e)
    db.session.flush()
    return e


# --- the catalogue -------------------------------------------------------------------------------

def test_catalogue_shows_public_needs_and_hides_the_others(client, db, make_need):
    make_need(name="已发布的需求甲")
    make_need(name="已截止的需求乙", status=NeedStatus.BIDDING_CLOSED)
    for status in HIDDEN:
        make_need(name=f"隐藏需求-{status.value}", status=status)
    db.session.commit()
    page = html(client.get("/needs"))
    assert "已发布的需求甲" in page and "已截止的需求乙" in page
    assert "隐藏需求" not in page
    assert "共 2 条" in page


def test_catalogue_card_shows_the_need_summary(client, db, make_need, make_user, make_org):
    firm = make_user(Role.FIRM, org=make_org(name="宁波甬江精密模具有限公司"))
    make_need(name="模具寿命提升", firm=firm, keywords="模具钢,热处理", budget_wan=Decimal("1234.50"),
              field=NeedField.NEW_MATERIALS, category=NeedCategory.INDUSTRY_COMMON,
              period_start=date(2026, 7, 1), period_end=date(2027, 6, 30))
    db.session.commit()
    page = html(client.get("/needs"))
    for text in ("模具寿命提升", "已发布", "新材料及应用", "行业重大关键共性", "第八届中国创新挑战赛（宁波）",
                 "1,234.50", "2026-07-01", "2027-06-30", "模具钢", "热处理", "宁波甬江精密模具有限公司"):
        assert text in page, text


@pytest.mark.parametrize("column, value, query", [
    ("name", "海水淡化膜组件", "淡化膜"),
    ("keywords", "反渗透,石墨烯", "石墨烯"),
    ("industry", "船舶制造", "船舶"),
    ("problem", "焊缝气孔导致返修率高", "气孔"),
    ("key_points", "PLC 控制周期小于 2ms", "plc"),
])
def test_keyword_search_looks_in_every_searched_column(client, db, make_need, column, value, query):
    make_need(name="命中的需求" if column != "name" else value, **({column: value} if column != "name" else {}))
    make_need(name="无关的需求")
    db.session.commit()
    page = html(client.get("/needs", query_string={"q": query}))
    assert ("命中的需求" if column != "name" else value) in page
    assert "无关的需求" not in page


def test_search_needs_every_word_and_ignores_case(client, db, make_need):
    make_need(name="AGV 调度算法", industry="智能物流")
    make_need(name="AGV 电池管理", industry="新能源")
    db.session.commit()
    page = html(client.get("/needs", query_string={"q": "agv  物流"}))
    assert "AGV 调度算法" in page and "AGV 电池管理" not in page


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_search_takes_like_wildcards_literally(client, db, make_need, wildcard):
    make_need(name=f"良率提升至99{wildcard}9", key_points="无通配符")
    make_need(name="普通的需求", key_points="无通配符")
    db.session.commit()
    page = html(client.get("/needs", query_string={"q": wildcard}))
    assert f"良率提升至99{wildcard}9" in page
    assert "普通的需求" not in page


def test_filter_by_field(client, db, make_need):
    make_need(name="海洋需求", field=NeedField.MARINE)
    make_need(name="医疗需求", field=NeedField.HEALTHCARE)
    db.session.commit()
    page = html(client.get("/needs?field=marine"))
    assert "海洋需求" in page and "医疗需求" not in page


def test_filter_by_category(client, db, make_need):
    make_need(name="区域共性需求", category=NeedCategory.REGIONAL_COMMON)
    make_need(name="企业个性需求", category=NeedCategory.FIRM_SPECIFIC)
    db.session.commit()
    page = html(client.get("/needs?category=regional_common"))
    assert "区域共性需求" in page and "企业个性需求" not in page


def test_filter_by_edition_code(client, db, make_need, other_edition):
    make_need(name="第八届的需求")
    make_need(name="第九届的需求", edition_id=other_edition.id)
    db.session.commit()
    page = html(client.get("/needs?edition=CIC9-NB"))
    assert "第九届的需求" in page and "第八届的需求" not in page


def test_invalid_filters_are_ignored_not_an_error(client, db, make_need):
    make_need(name="照常显示的需求")
    db.session.commit()
    response = client.get("/needs?field=bogus&category=%3Cx%3E&edition=NOPE&page=abc")
    assert response.status_code == 200
    assert "照常显示的需求" in html(response)
    assert "部分筛选条件无效" in html(response)


def test_catalogue_is_newest_published_first(client, db, make_need):
    for day, name in ((1, "最早发布"), (20, "最新发布"), (10, "居中发布")):
        need = make_need(name=name)
        need.published_at = datetime(2026, 3, day)
    db.session.commit()
    page = html(client.get("/needs"))
    assert page.index("最新发布") < page.index("居中发布") < page.index("最早发布")


def test_pagination_keeps_the_filters(app, client, db, make_need):
    app.config["PAGE_SIZE"] = 2
    for i in range(5):
        need = make_need(name=f"海洋需求{i}", field=NeedField.MARINE)
        need.published_at = datetime(2026, 3, 1 + i)
    make_need(name="医疗需求", field=NeedField.HEALTHCARE)
    db.session.commit()
    first = html(client.get("/needs?field=marine&q=海洋"))
    assert "海洋需求4" in first and "海洋需求3" in first and "海洋需求2" not in first
    assert "共 5 条" in first
    # Links to the other pages keep both filters.
    links = re.findall(r'href="([^"]*page=[^"]*)"', first)
    assert any("page=3" in link for link in links)
    assert all("field=marine" in link and "q=" in link for link in links)
    last = html(client.get("/needs?field=marine&q=海洋&page=3"))
    assert "海洋需求0" in last and "海洋需求4" not in last and "医疗需求" not in last


@pytest.mark.parametrize("page_size", [100, None])
def test_catalogue_query_count_does_not_grow_with_results(app, client, db, make_need, count_queries, page_size):
    if page_size:
        app.config["PAGE_SIZE"] = page_size

    def queries_for(total: int) -> int:
        while db.session.scalar(sa.select(sa.func.count(Need.id))) < total:
            make_need(name="计数用需求", anonymous=False)
        db.session.commit()
        with count_queries() as queries:
            response = client.get("/needs")
        assert response.status_code == 200
        shown = html(response).count('class="card h-100 need-card"')
        assert shown == min(total, app.config["PAGE_SIZE"])
        return len(queries)

    assert queries_for(5) == queries_for(60)


# --- anonymous needs ------------------------------------------------------------------------------

def test_anonymous_need_never_shows_the_firm(client, db, make_need, make_user, make_org):
    secret = make_user(Role.FIRM, org=make_org(name="宁波隐名科技股份有限公司"))
    open_firm = make_user(Role.FIRM, org=make_org(name="宁波公开制造有限公司"))
    hidden = make_need(name="匿名的需求", firm=secret, anonymous=True)
    shown = make_need(name="署名的需求", firm=open_firm)
    db.session.commit()
    for url in ("/", "/needs", f"/needs/{hidden.id}", "/needs?q=匿名"):
        page = html(client.get(url))
        assert "宁波隐名科技" not in page, url
    assert "匿名发布" in html(client.get(f"/needs/{hidden.id}"))
    assert "匿名发布" in html(client.get("/needs"))
    assert "宁波公开制造有限公司" in html(client.get(f"/needs/{shown.id}"))
    assert "宁波公开制造有限公司" in html(client.get("/needs"))


# --- a need's page --------------------------------------------------------------------------------

def test_need_page_shows_every_public_field(client, db, make_need):
    need = make_need(name="锂电池极片缺陷检测", industry="新能源电池", keywords="极片,表面缺陷",
                     problem="极片划痕难以识别。", key_points="分辨率 0.05 mm。", goals="检出率不低于 99.5%。",
                     budget_wan=Decimal("580.00"), market_id=4)  # 北仑区科技大市场
    db.session.commit()
    page = html(client.get(f"/needs/{need.id}"))
    for text in ("锂电池极片缺陷检测", "企业个性化", "电子信息", "新能源电池", "极片", "表面缺陷",
                 "极片划痕难以识别。", "分辨率 0.05 mm。", "检出率不低于 99.5%。", "580.00", "2026-06-01",
                 "2027-05-31", "委托研发", "北仑区科技大市场", "第八届中国创新挑战赛（宁波）",
                 "2026-04-30 17:00"):
        assert text in page, text


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_need_page_is_404(client, db, make_need, status):
    need = make_need(name="不该看到的需求", status=status)
    db.session.commit()
    response = client.get(f"/needs/{need.id}")
    assert response.status_code == 404
    assert "不该看到的需求" not in html(response)


def test_missing_need_page_is_404(client):
    assert client.get("/needs/99999").status_code == 404


def test_team_user_gets_the_bid_button(client, make_need, make_team, login):
    need = make_need()
    team = make_team()
    login(team.owner)
    page = html(client.get(f"/needs/{need.id}"))
    assert f'href="/team/needs/{need.id}/bid"' in page and "我要揭榜" in page


def test_visitor_is_invited_to_log_in_and_firm_gets_no_bid_button(client, db, make_need, make_user, login):
    need = make_need()
    db.session.commit()
    visitor_page = html(client.get(f"/needs/{need.id}"))
    assert "我要揭榜" not in visitor_page and "团队登录后揭榜" in visitor_page
    login(make_user(Role.FIRM))
    firm_page = html(client.get(f"/needs/{need.id}"))
    assert "我要揭榜" not in firm_page and "团队登录后揭榜" not in firm_page


def test_no_bid_button_after_the_deadline(client, clock, make_need, make_team, login):
    need = make_need()
    login(make_team().owner)
    clock(datetime(2026, 4, 30, 9, 0))  # 17:00 Beijing, the deadline itself
    page = html(client.get(f"/needs/{need.id}"))
    assert "我要揭榜" not in page and "该需求当前不接受揭榜" in page


# --- home -----------------------------------------------------------------------------------------

def test_home_page_shows_the_editions_calendar_and_calls_to_action(client, db, edition, make_need):
    make_need(budget_wan=Decimal("300.00"))
    make_need(budget_wan=Decimal("200.00"))
    make_need(status=NeedStatus.SUBMITTED, budget_wan=Decimal("999.00"))
    db.session.commit()
    page = html(client.get("/"))
    for text in ("第八届中国创新挑战赛（宁波）", "2026-02-01", "2026-03-31", "2026-04-30 17:00", "2026-05-06",
                 "2026-05-20", "2026-06-10", "2026-06-20", "需求征集中", "已发布需求 2 项", "500.00",
                 'href="/auth/register"', 'href="/auth/login"', 'href="/needs"', 'href="/needs?edition=CIC8-NB"'):
        assert text in page, text


def test_home_page_lists_the_six_latest_needs_with_constant_queries(client, db, make_need, count_queries):
    def render(total: int) -> tuple[str, int]:
        for i in range(total):
            need = make_need(name=f"首页需求{total}-{i}")
            need.published_at = datetime(2026, 3, 1 + i)
        db.session.commit()
        with count_queries() as queries:
            response = client.get("/")
        assert response.status_code == 200
        return html(response), len(queries)

    few_page, few = render(2)
    many_page, many = render(9)
    assert "首页需求2-1" in few_page
    assert few == many
    shown = [i for i in range(9) if f"首页需求9-{i}<" in many_page]
    assert shown == [3, 4, 5, 6, 7, 8]


# --- health ---------------------------------------------------------------------------------------

def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_the_database_fails(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("database is down"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_healthz_503_when_the_database_is_unreachable(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    unreachable = tmp_path / "no-such-folder" / "contest.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{unreachable}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.is_json


# --- the catalogue served from memory to anonymous visitors --------------------------------------------------

def test_the_catalogue_kept_in_memory_changes_as_soon_as_what_it_shows_changes(client, db, make_need, make_user,
                                                                              login):
    need = make_need(name="缓存中的需求甲")
    db.session.commit()
    first = html(client.get("/needs"))
    assert "缓存中的需求甲" in first and html(client.get("/needs")) == first   # the same page, from memory
    make_need(name="新发布的需求乙")                                            # a need published
    db.session.commit()
    assert "新发布的需求乙" in html(client.get("/needs"))
    need.status = NeedStatus.BIDDING_CLOSED                                      # a need closed
    db.session.commit()
    assert "揭榜已截止" in html(client.get("/needs"))
    assert 'lang="en"' in html(client.get("/needs?lang=en"))                     # each language its own page
    client.get("/needs?lang=zh_CN")
    need.edition.name = "改名后的届次"                                            # an edition renamed
    db.session.commit()
    assert "改名后的届次" in html(client.get("/needs"))
    firm = make_user(Role.FIRM)
    login(firm)                                                                  # a logged-in user's own bar
    assert firm.display_name in html(client.get("/needs"))


def test_visitors_without_cookies_get_the_catalogue_of_the_last_second_without_a_query(app, db, make_need,
                                                                                       make_user, count_queries):
    from contest.web.page_cache import SharedPages

    make_need(name="缓存中的需求甲")
    db.session.commit()
    served = create_app({key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "FROZEN_NOW",
        "RATELIMIT_ENABLED")}
        | {"PAGE_CACHE_FRESH_SECONDS": 60})
    shared = served.wsgi_app
    assert isinstance(shared, SharedPages)
    visitor = served.test_client(use_cookies=False)
    first = html(visitor.get("/needs"))
    assert "缓存中的需求甲" in first
    make_need(name="新发布的需求乙")
    db.session.commit()
    with served.app_context(), count_queries() as queries:
        again = visitor.get("/needs")
    assert html(again) == first and queries == []                     # the same answer, no statement
    assert "default-src" in again.headers["Content-Security-Policy"]       # its headers kept
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert "新发布的需求乙" in html(visitor.get("/needs?q="))             # another query: another page
    shared.fresh = 0                                                       # the second has passed
    assert "新发布的需求乙" in html(visitor.get("/needs"))

    shared.fresh = 60
    english = visitor.get("/needs?lang=en")                                # sets a cookie: never kept
    assert "Set-Cookie" in english.headers and 'lang="en"' in html(english)
    with served.app_context(), count_queries() as queries:
        assert "Set-Cookie" in visitor.get("/needs?lang=en").headers
    assert queries                                                         # rendered again: its cookie is its own
    firm = make_user(Role.FIRM)
    db.session.commit()
    member = served.test_client()                                          # with a session cookie: never served
    member.post("/auth/login", data={"username": firm.username, "password": PASSWORD})
    assert firm.display_name in html(member.get("/needs"))

