"""The open API against its own OpenAPI document, on a live server: schemathesis loads /api/v1/openapi.json over
HTTP and, for every GET operation, sends valid and invalid requests (a bounded, derandomized number of each);
no answer may be a 5xx, and each must match the document: a documented status, the documented content type and
a body valid against the documented schema. The data has published needs (one of an anonymous firm, whose name
no answer may carry) and an edition's published results."""
from __future__ import annotations

from datetime import date, datetime

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from contest.domain.choices import NeedField, OrgKind
from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.extensions import db
from contest.models import Bid, Edition, Need, Organization, Team, User

from .conftest import _credit_code, bid_data, need_data
from .e2e.live import make_app, serving

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation and per kind (valid, invalid): about 350 requests in all
ANONYMOUS_FIRM = "匿名测试精工有限公司"


def _org(n: int, name: str, kind: OrgKind = OrgKind.ENTERPRISE) -> Organization:
    org = Organization(name=name, kind=kind, credit_code=_credit_code(900 + n), region_code="330203", address="宁波",
                       legal_rep="张三", contact_name="李四", contact_phone="0574-88888888")
    db.session.add(org)
    db.session.flush()
    return org


def _firm(n: int, name: str) -> User:
    org = _org(n, name)
    user = User(username=f"live-firm{n}", role=Role.FIRM, display_name="企业用户", org_id=org.id,
                password_hash="x", email=f"live{n}@example.com")
    db.session.add(user)
    db.session.flush()
    return user


def _need(edition: Edition, firm: User, status: NeedStatus, **kw) -> Need:
    data = need_data(**kw)
    keywords = data.pop("keywords")
    need = Need(edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status,
                published_at=datetime(2026, 3, 1), **data)
    need.keyword_list = keywords.split(",")
    db.session.add(need)
    db.session.flush()
    return need


def _edition(code: str, year: int, **kw) -> Edition:
    edition = Edition(code=code, name=f"{code} 届", year=year, collection_start=date(year, 2, 1),
                      collection_end=date(year, 3, 31), bidding_deadline=datetime(year, 4, 30, 9, 0),
                      review_start=date(year, 5, 6), review_end=date(year, 5, 20), final_date=date(year, 6, 10),
                      results_date=date(year, 6, 20), **kw)
    db.session.add(edition)
    db.session.flush()
    return edition


def _populate() -> None:
    """Published needs of a named and an anonymous firm, and an edition whose results are published."""
    named, hidden = _firm(1, "具名测试模具有限公司"), _firm(2, ANONYMOUS_FIRM)
    current = _edition("CIC8-NB", 2026)
    _need(current, named, NeedStatus.PUBLISHED, market_id=2, field=NeedField.MECHATRONICS)
    _need(current, hidden, NeedStatus.PUBLISHED, market_id=3, anonymous=True, name="匿名发布的需求")
    _need(current, named, NeedStatus.DRAFT, market_id=2, name="草稿")
    done = _edition("CIC7-NB", 2025, stage=EditionStage.RESULTS, results_published_at=datetime(2025, 6, 20, 2))
    won = _need(done, hidden, NeedStatus.AWARDED, market_id=3, anonymous=True, name="匿名企业已揭榜")
    _need(done, named, NeedStatus.FAILED, market_id=2, name="流榜需求")
    lead = _org(3, "宁波测试大学", OrgKind.UNIVERSITY)
    owner = User(username="live-team", role=Role.TEAM, display_name="团队", org_id=lead.id, password_hash="x",
                 email="team@example.com")
    db.session.add(owner)
    db.session.flush()
    team = Team(name="甬江测试团队", lead_org_id=lead.id, owner_id=owner.id, leader_name="王教授")
    db.session.add(team)
    db.session.flush()
    db.session.add(Bid(need_id=won.id, team_id=team.id, status=BidStatus.WINNER, pdf_stored_name="x.pdf",
                       pdf_original_name="x.pdf", pdf_size=1, submitted_at=datetime(2025, 3, 5), **bid_data()))
    db.session.commit()


@pytest.fixture(scope="module")
def live_api(tmp_path_factory, databases):
    """The app, with the data above, served on a free port: its base URL."""
    folder = tmp_path_factory.mktemp("api-live")
    app = make_app(folder, databases.fresh(folder), WTF_CSRF_ENABLED=False, PAGE_CACHE_FRESH_SECONDS=0,
                   FROZEN_NOW=datetime(2026, 3, 10, 2, 0))
    with app.app_context():
        _populate()
        db.session.remove()
        db.engine.dispose()
    with serving(app) as url:
        yield url
    with app.app_context():
        db.engine.dispose()


def _run(operation, url: str, session: requests.Session) -> None:
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES * 2, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def requests_answer_as_documented(case):
        response = case.call_and_validate(base_url=url, session=session, checks=CHECKS)
        assert ANONYMOUS_FIRM not in response.text, f"{case.method} {case.formatted_path} names the anonymous firm"

    requests_answer_as_documented()


def test_every_get_operation_answers_as_its_document_says(live_api):
    schema = schemathesis.openapi.from_url(f"{live_api}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    gets = [op for op in operations if op.method.upper() == "GET"]
    assert {op.path for op in gets} >= {"/api/v1/needs", "/api/v1/needs/{need_id}", "/api/v1/markets",
                                        "/api/v1/results", "/api/v1/results/{code}", "/api/v1/statistics",
                                        "/api/v1/statistics/{code}"}
    failures = []
    with requests.Session() as session:
        for operation in gets:
            try:
                _run(operation, live_api, session)
            except Exception as e:  # noqa: BLE001  (every operation is tried; all failures are reported)
                failures.append(f"GET {operation.path}: {e}")
    assert not failures, "\n\n".join(failures)


def test_a_published_edition_and_an_anonymous_need_answer_without_the_firm(live_api):
    needs = requests.get(f"{live_api}/api/v1/needs", params={"per_page": 100}, timeout=10).json()["items"]
    anonymous = next(n for n in needs if n["name"] == "匿名发布的需求")
    assert anonymous["firm_name"] is None and {n["name"] for n in needs} >= {"流榜需求", "匿名企业已揭榜"}
    results = requests.get(f"{live_api}/api/v1/results/CIC7-NB", timeout=10)
    assert results.status_code == 200 and ANONYMOUS_FIRM not in results.text
    assert {r["outcome"] for r in results.json()["items"]} == {"awarded", "failed"}
