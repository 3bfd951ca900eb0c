"""The open API (/api/v1): the public catalogue's needs with filters, pagination and ETags; markets, published
results and public figures; nothing names an anonymous firm; market staff create needs with a personal token
(hashed at rest, scoped, revocable); CORS for configured origins only; a rate limit answered in JSON."""
from __future__ import annotations

import json
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.domain.choices import NeedField
from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.extensions import db as _db, limiter
from contest.models import ApiToken, AuditEvent, Edition, Need
from contest.services.api import tokens

from .conftest import csrf_token_from, market_id

ANONYMOUS_FIRM = "隐名精密机械有限公司"
NAMED_FIRM = "明光模具有限公司"
HAISHU = "海曙区科技大市场"
JIANGBEI = "江北区科技大市场"


def _edition(db, code: str, *, published: bool) -> Edition:
    e = Edition(code=code, name=f"{code} 届", year=2025, collection_start=date(2025, 2, 1),
                collection_end=date(2025, 3, 31), bidding_deadline=datetime(2025, 4, 30, 9, 0),
                review_start=date(2025, 5, 6), review_end=date(2025, 5, 20), final_date=date(2025, 6, 10),
                results_date=date(2025, 6, 20), stage=EditionStage.RESULTS if published else EditionStage.FINAL,
                results_published_at=datetime(2025, 6, 20, 2, 0) if published else None)
    db.session.add(e)
    db.session.flush()
    return e


@pytest.fixture
def world(db, edition, make_org, make_user, make_need, make_team, make_bid):
    """Published needs of a named and an anonymous firm in the collecting edition, a published edition's results
    (the anonymous firm's need won), an edition whose decisions are not yet published, and a draft."""
    named = make_user(Role.FIRM, org=make_org(name=NAMED_FIRM))
    hidden = make_user(Role.FIRM, org=make_org(name=ANONYMOUS_FIRM))
    haishu, jiangbei = market_id(HAISHU), market_id(JIANGBEI)
    open_named = make_need(firm=named, name="注塑模具冷却优化", market_id=haishu, field=NeedField.MECHATRONICS)
    open_anonymous = make_need(firm=hidden, name="精密轴承噪声诊断", market_id=jiangbei, anonymous=True)
    make_need(NeedStatus.DRAFT, firm=named, name="草稿需求不公开", market_id=haishu)
    done = _edition(db, "CIC7-NB", published=True)
    won = make_need(NeedStatus.AWARDED, firm=hidden, name="隐名企业的已揭榜需求", market_id=jiangbei,
                    anonymous=True, edition_id=done.id)
    failed = make_need(NeedStatus.FAILED, firm=named, name="流榜的需求", market_id=haishu, edition_id=done.id)
    winner = make_bid(need=won, team=make_team(name="甬江视觉团队"), status=BidStatus.WINNER)
    pending = _edition(db, "CIC6-NB", published=False)
    secret_award = make_need(NeedStatus.AWARDED, firm=named, name="结果未公布的需求", market_id=haishu,
                             edition_id=pending.id)
    db.session.commit()
    return SimpleNamespace(named=named, hidden=hidden, open_named=open_named, open_anonymous=open_anonymous,
                           won=won, failed=failed, winner=winner, done=done, pending=pending,
                           secret_award=secret_award, credit_code=hidden.organization.credit_code,
                           haishu=haishu, jiangbei=jiangbei)


def _get(client, url, **kw):
    response = client.get(url, **kw)
    assert response.mimetype == "application/json", (url, response.status_code, response.get_data(as_text=True))
    return response


def _names(response) -> list[str]:
    return [item["name"] for item in response.get_json()["items"]]


# --- the needs ----------------------------------------------------------------------------------------------

def test_the_needs_are_those_of_the_public_catalogue(client, world):
    body = _get(client, "/api/v1/needs").get_json()
    assert set(n["name"] for n in body["items"]) == {"注塑模具冷却优化", "精密轴承噪声诊断", "隐名企业的已揭榜需求",
                                                      "流榜的需求", "结果未公布的需求"}
    assert body["total"] == 5 and body["page"] == 1
    need = next(n for n in body["items"] if n["name"] == "注塑模具冷却优化")
    assert need["firm_name"] == NAMED_FIRM and need["market_name"] == HAISHU and need["budget_wan"] == "300.00"
    assert need["url"].endswith(f"/needs/{world.open_named.id}") and need["keywords"] == ["机器视觉", "缺陷检测"]


def test_filters_edition_field_market_status_and_words(client, world):
    assert set(_names(_get(client, "/api/v1/needs?edition=cic7-nb"))) == {"隐名企业的已揭榜需求", "流榜的需求"}
    assert _names(_get(client, "/api/v1/needs?field=mechatronics")) == ["注塑模具冷却优化"]
    assert set(_names(_get(client, f"/api/v1/needs?market={world.jiangbei}"))) == {"精密轴承噪声诊断",
                                                                                   "隐名企业的已揭榜需求"}
    assert set(_names(_get(client, "/api/v1/needs?status=published"))) == {"注塑模具冷却优化", "精密轴承噪声诊断"}
    assert _names(_get(client, "/api/v1/needs?q=轴承")) == ["精密轴承噪声诊断"]
    assert _names(_get(client, "/api/v1/needs?edition=NO-SUCH")) == []


def test_a_decision_not_yet_published_is_neither_shown_nor_found_by_its_status(client, world):
    assert _names(_get(client, "/api/v1/needs?status=awarded")) == ["隐名企业的已揭榜需求"]
    assert _names(_get(client, "/api/v1/needs?status=results_pending")) == ["结果未公布的需求"]
    detail = _get(client, f"/api/v1/needs/{world.secret_award.id}").get_json()
    assert detail["status"] == "results_pending" and detail["status_label"] == "结果待公布"


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=101", "per_page=0", "field=nonsense",
                                   "status=draft", "market=0", "market=1e3", "page=" + "9" * 40, "q=" + "x" * 101])
def test_bad_query_parameters_are_answered_422_in_json(client, world, query):
    response = _get(client, f"/api/v1/needs?{query}")
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == 422 and body["message"] and body["errors"]["query"]


def test_pages_are_bounded_and_the_total_is_told(client, world):
    first = _get(client, "/api/v1/needs?per_page=2").get_json()
    third = _get(client, "/api/v1/needs?per_page=2&page=3").get_json()
    beyond = _get(client, "/api/v1/needs?per_page=2&page=9").get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(third["items"])) == (5, 3, 2, 1)
    assert beyond["items"] == [] and beyond["total"] == 5
    seen = [n["id"] for p in (1, 2, 3) for n in _get(client, f"/api/v1/needs?per_page=2&page={p}").get_json()["items"]]
    assert len(set(seen)) == 5


def test_an_unpublished_need_is_404_in_json(client, world, db):
    draft = db.session.scalar(sa.select(Need).where(Need.status == NeedStatus.DRAFT))
    for url in (f"/api/v1/needs/{draft.id}", "/api/v1/needs/999999", "/api/v1/no-such-thing"):
        response = _get(client, url)
        assert response.status_code == 404 and response.get_json()["message"] == "未找到请求的内容"


def test_errors_speak_english_when_asked(client, world):
    response = _get(client, "/api/v1/needs/999999", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.get_json()["message"] == "Not found"


def test_an_etag_answers_304_until_a_need_changes(client, world, db):
    first = _get(client, "/api/v1/needs")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/needs", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    detail = _get(client, f"/api/v1/needs/{world.open_named.id}")
    assert client.get(f"/api/v1/needs/{world.open_named.id}",
                      headers={"If-None-Match": detail.headers["ETag"]}).status_code == 304
    world.open_named.goals = "形成可部署的冷却方案。"
    db.session.commit()
    changed = client.get("/api/v1/needs", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(f"/api/v1/needs/{world.open_named.id}",
                      headers={"If-None-Match": detail.headers["ETag"]}).status_code == 200


def test_the_list_costs_the_same_statements_whatever_its_length(client, world, make_need, count_queries, db):
    def statements() -> int:
        with count_queries() as queries:
            assert _get(client, "/api/v1/needs?per_page=100").status_code == 200
        return len(queries)

    few = statements()
    for i in range(6):
        make_need(name=f"新增需求{i}", market_id=world.haishu)
    db.session.commit()
    assert statements() == few


# --- markets, results, figures --------------------------------------------------------------------------------

def test_the_markets_are_the_networks(client, world):
    markets = _get(client, "/api/v1/markets").get_json()["items"]
    assert len(markets) == 26 and markets[0]["name"] == "宁波科技大市场" and markets[0]["level"] == "city"
    assert {"contact_name", "contact_phone", "contact_email"}.isdisjoint(markets[0])


def test_results_are_those_of_published_editions_only(client, world):
    assert [e["code"] for e in _get(client, "/api/v1/results").get_json()["items"]] == ["CIC7-NB"]
    for code in ("CIC6-NB", "CIC8-NB", "NOPE"):
        assert _get(client, f"/api/v1/results/{code}").status_code == 404
        assert _get(client, f"/api/v1/statistics/{code}").status_code == 404
    body = _get(client, "/api/v1/results/cic7-nb").get_json()
    rows = {r["need_name"]: r for r in body["items"]}
    assert rows["隐名企业的已揭榜需求"]["outcome"] == "awarded" and rows["隐名企业的已揭榜需求"]["firm_name"] is None
    assert rows["隐名企业的已揭榜需求"]["winner_team"] == "甬江视觉团队"
    assert rows["流榜的需求"]["outcome"] == "failed" and rows["流榜的需求"]["winner_team"] is None
    assert rows["流榜的需求"]["firm_name"] == NAMED_FIRM
    assert body["edition"]["objection_deadline"] == "2025-06-25" and body["total"] == 2


def test_statistics_count_what_the_public_pages_show(client, world):
    items = _get(client, "/api/v1/statistics").get_json()["items"]
    assert [s["edition"] for s in items] == ["CIC7-NB"]
    figures = _get(client, "/api/v1/statistics/CIC7-NB").get_json()
    assert (figures["needs"], figures["awarded"], figures["failed"], figures["budget_wan"]) == (2, 1, 1, "600.00")
    assert {m["market_name"]: m["needs"] for m in figures["by_market"]} == {HAISHU: 1, JIANGBEI: 1}


def _every_get_response(client) -> list:
    """Every GET the API answers over this world: each list page, each need, each published edition."""
    urls = ["/api/v1/needs?per_page=100", "/api/v1/markets", "/api/v1/results", "/api/v1/statistics",
            "/api/v1/openapi.json"]
    urls += [f"/api/v1/needs?{q}" for q in ("status=awarded", "status=results_pending", "status=published",
                                            "edition=CIC7-NB", "q=隐名", "q=精密")]
    ids = [n["id"] for n in client.get("/api/v1/needs?per_page=100").get_json()["items"]]
    urls += [f"/api/v1/needs/{i}" for i in ids]
    for edition in client.get("/api/v1/results").get_json()["items"]:
        urls += [f"/api/v1/results/{edition['code']}", f"/api/v1/statistics/{edition['code']}"]
    return [client.get(url) for url in urls]


def test_an_anonymous_firm_is_never_named_by_any_response(client, world):
    responses = _every_get_response(client)
    assert all(r.status_code == 200 for r in responses)
    for response in responses:
        text = response.get_data(as_text=True)
        parsed = json.dumps(response.get_json(), ensure_ascii=False)
        for secret in (ANONYMOUS_FIRM, world.credit_code):
            assert secret not in text and secret not in parsed, response.request.path
    detail = _get(client, f"/api/v1/needs/{world.open_anonymous.id}").get_json()
    assert detail["firm_name"] is None and detail["anonymous"] is True
    assert not any("firm" in key and key != "firm_name" for key in detail)


def test_json_is_utf8_without_escapes(client, world):
    response = _get(client, f"/api/v1/needs/{world.open_named.id}")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert NAMED_FIRM.encode("utf-8") in response.get_data()


# --- the OpenAPI document --------------------------------------------------------------------------------------

def test_the_openapi_document_describes_every_operation(client, app):
    doc = _get(client, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] and doc["servers"][0]["url"].startswith("http")
    api_rules = {r.rule.replace("<int:", "{").replace("<", "{").replace(">", "}") for r in app.url_map.iter_rules()
                 if r.endpoint.startswith("api.") and r.endpoint != "api.openapi_json"}
    assert set(doc["paths"]) == api_rules
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "市场工作人员的个人令牌（范围 needs:write）"}
    post = doc["paths"]["/api/v1/needs"]["post"]
    assert post["security"] == [{"bearerAuth": []}] and {"201", "401", "403", "422"} <= set(post["responses"])
    listing = doc["paths"]["/api/v1/needs"]["get"]
    named = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in listing["parameters"]}
    assert {"page", "per_page", "edition", "field", "market", "status", "IF_NONE_MATCH"} <= named
    assert doc["components"]["parameters"]["IF_NONE_MATCH"]["in"] == "header"
    assert {"200", "304", "422", "429"} <= set(listing["responses"])


# --- tokens --------------------------------------------------------------------------------------------------

NEED_BODY = {
    "edition": "CIC8-NB", "name": "API 提交的需求", "category": "firm_specific", "field": "electronic_info",
    "industry": "电子", "keywords": "芯片、封装", "problem": "封装良率低。", "key_points": "良率提高到 99%。",
    "goals": "形成量产工艺。", "budget_wan": "120.50", "period_start": "2026-07-01", "period_end": "2027-06-30",
    "cooperation": "commissioned",
}


@pytest.fixture
def staff(db, make_user, make_org):
    """Staff of 海曙区科技大市场, a firm that market registered, and a firm of another market."""
    haishu = market_id(HAISHU)
    user = make_user(Role.MARKET, market_id=haishu)
    own = make_org(name="海曙代注册企业有限公司", market_id=haishu)
    other = make_org(name="江北企业有限公司", market_id=market_id(JIANGBEI))
    db.session.commit()
    return SimpleNamespace(user=user, own=own, other=other, market=haishu)


def _create_token_on_the_page(client, login, staff) -> str:
    login(staff.user)
    page = client.get("/market/tokens")
    assert page.status_code == 200
    response = client.post("/market/tokens", data={"name": "海曙网站", "scope": "needs:write",
                                                   "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = html.split('id="issued-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("ctk_")
    assert secret not in client.get("/market/tokens").get_data(as_text=True)  # shown once
    return secret


def _post_need(client, secret: str | None, **changes):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.post("/api/v1/needs", json={**NEED_BODY, **changes}, headers=headers)


def test_a_token_creates_a_need_until_it_is_revoked(client, login, staff, edition, db):
    secret = _create_token_on_the_page(client, login, staff)
    client.get("/auth/logout")
    with client.session_transaction() as session:
        session.clear()
    response = _post_need(client, secret, firm_id=staff.own.id, anonymous=True)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = db.session.get(Need, response.get_json()["id"])
    assert (created.market_id, created.firm_org_id, created.created_by_id) == (staff.market, staff.own.id,
                                                                               staff.user.id)
    assert created.status == NeedStatus.DRAFT and created.anonymous and created.budget_wan == 120.5
    submitted = _post_need(client, secret, firm_id=staff.own.id, submit=True, name="直接提交的需求")
    assert submitted.status_code == 201 and submitted.get_json()["status"] == "submitted"
    token = db.session.scalar(sa.select(ApiToken))
    assert token.last_used_at is not None and token.prefix == secret[:12]

    login(staff.user)
    page = client.get("/market/tokens").get_data(as_text=True)
    revoked = client.post(f"/market/tokens/{token.id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert revoked.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    refused = _post_need(client, secret, firm_id=staff.own.id)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"api_token.create", "api_token.revoke", "need.create", "need.submit"} <= actions


def test_a_token_is_kept_only_as_its_hash(client, login, staff, db):
    secret = _create_token_on_the_page(client, login, staff)
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == tokens.token_digest(secret) and len(token.token_hash) == 64
    with db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                assert not any(isinstance(v, str) and secret in v for v in row), table.name


def test_without_a_valid_token_or_the_scope_the_api_refuses(client, login, staff, edition, db):
    assert _post_need(client, None, firm_id=staff.own.id).status_code == 401
    assert _post_need(client, "ctk_not-a-token", firm_id=staff.own.id).status_code == 401
    login(staff.user)  # the session cookie is never taken for a write
    assert _post_need(client, None, firm_id=staff.own.id).status_code == 401
    unscoped = "ctk_unscoped-token-for-tests"
    db.session.add(ApiToken(user_id=staff.user.id, name="只读", token_hash=tokens.token_digest(unscoped),
                            prefix=unscoped[:12], scopes="needs:read"))
    db.session.commit()
    response = _post_need(client, unscoped, firm_id=staff.own.id)
    assert response.status_code == 403 and "needs:write" in response.get_json()["message"]
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_the_need_follows_the_need_forms_rules(client, staff, edition, db):
    secret = tokens.create_token(staff.user, "测试", ["needs:write"], now=datetime(2026, 3, 10)).secret
    db.session.commit()
    other = _post_need(client, secret, firm_id=staff.other.id)
    assert other.status_code == 403 and other.get_json()["message"] == "只能为本市场代为注册的企业征集需求"
    too_many = _post_need(client, secret, firm_id=staff.own.id, keywords="一,二,三,四,五,六")
    assert too_many.status_code == 400 and "关键词" in too_many.get_json()["message"]
    reversed_ = _post_need(client, secret, firm_id=staff.own.id, period_end="2026-01-01")
    assert reversed_.status_code == 400
    closed = _post_need(client, secret, firm_id=staff.own.id, edition="CIC7-NB")
    assert closed.status_code == 400 and "CIC7-NB" in closed.get_json()["message"]
    invalid = _post_need(client, secret, firm_id=staff.own.id, market_id=1, budget_wan="-3", name="  ")
    assert invalid.status_code == 422 and {"market_id", "budget_wan", "name"} <= set(invalid.get_json()["errors"]["json"])
    not_json = client.post("/api/v1/needs", data="name=x", headers={"Authorization": f"Bearer {secret}",
                                                                    "Content-Type": "text/plain"})
    assert 400 <= not_json.status_code < 500 and not_json.mimetype == "application/json"
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_the_api_needs_no_csrf_token_and_takes_no_cookie(app, client, login, staff, edition, db):
    secret = tokens.create_token(staff.user, "测试", ["needs:write"], now=datetime(2026, 3, 10)).secret
    login(staff.user)                       # the staff member's own session cookie rides along
    app.config["WTF_CSRF_ENABLED"] = True   # as in production: the site's forms need their CSRF token
    assert client.post("/market/tokens", data={"name": "无令牌", "scope": "needs:write"}).status_code == 400
    assert _post_need(client, None, firm_id=staff.own.id).status_code == 401
    assert _post_need(client, secret, firm_id=staff.own.id).status_code == 201


def test_another_staff_members_token_cannot_be_revoked(client, login, staff, make_user, db):
    other = make_user(Role.MARKET, market_id=staff.market)
    theirs = tokens.create_token(other, "他人的", ["needs:write"], now=datetime(2026, 3, 10)).token
    login(staff.user)
    page = client.get("/market/tokens").get_data(as_text=True)
    assert client.post(f"/market/tokens/{theirs.id}/revoke", data={"csrf_token": csrf_token_from(page)}).status_code == 404
    assert "他人的" not in page


def test_a_token_needs_a_name(client, login, staff, db):
    login(staff.user)
    response = client.post("/market/tokens", data={"name": "  ", "scope": "needs:write"})
    assert response.status_code == 400 and db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


# --- CORS and the rate limit -----------------------------------------------------------------------------------

def _second_app(app, **config):
    keep = ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "FROZEN_NOW",
            "PAGE_CACHE_FRESH_SECONDS", "RATELIMIT_ENABLED")
    return create_app({**{k: app.config[k] for k in keep}, **config})


def test_cors_answers_the_configured_origins_only(app, client, world):
    site = "https://haishu.example.cn"
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/needs", headers={"Origin": site}).headers
    other = _second_app(app, API_CORS_ORIGINS=[site]).test_client()
    allowed = other.get("/api/v1/needs", headers={"Origin": site})
    assert allowed.headers["Access-Control-Allow-Origin"] == site
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    assert "Access-Control-Allow-Origin" not in other.get("/api/v1/needs", headers={"Origin": "https://evil.example"}).headers
    assert "Access-Control-Allow-Origin" not in other.get("/needs", headers={"Origin": site}).headers
    preflight = other.options("/api/v1/needs", headers={
        "Origin": site, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Authorization"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == site
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()


@pytest.fixture
def limited(app):
    limited_app = _second_app(app, RATELIMIT_ENABLED=True, API_RATE_LIMIT="3/minute")
    limiter.reset()
    yield limited_app
    limiter.reset()


def test_the_rate_limit_answers_429_in_json(limited, world):
    client = limited.test_client()
    answers = [client.get(url).status_code for url in ("/api/v1/needs", "/api/v1/markets", "/api/v1/results")]
    assert answers == [200, 200, 200]
    refused = client.get("/api/v1/statistics")
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    assert refused.get_json()["code"] == 429 and int(refused.headers["Retry-After"]) > 0
    assert client.get("/needs").status_code == 200  # the site's own pages are not counted


def test_the_tokens_page_costs_the_same_statements_whatever_the_number_of_tokens(client, login, staff, db,
                                                                                  count_queries):
    def statements() -> int:
        with count_queries() as queries:
            page = client.get("/market/tokens")
        assert page.status_code == 200
        return len(queries)

    tokens.create_token(staff.user, "第一个", ["needs:write"], now=datetime(2026, 3, 10))
    login(staff.user)
    few = statements()
    for n in range(5):
        tokens.create_token(staff.user, f"令牌{n}", ["needs:write"], now=datetime(2026, 3, 10))
    db.session.commit()
    page = client.get("/market/tokens").get_data(as_text=True)
    assert page.count("data-token=") == 6 and "ctk_" in page
    assert statements() == few
