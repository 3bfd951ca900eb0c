"""The firm's pages: drafting, validating, submitting, revising after a return, withdrawing."""
from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from contest.domain.states import NeedStatus, ReviewDecision, Role
from contest.models import Edition, Need
from contest.services.needs import review_need
from tests.conftest import csrf_token_from


def form_data(**overrides) -> dict:
    """A valid need-collection form as the browser posts it."""
    data = {
        "edition": "", "name": "高精度注塑件在线视觉检测", "category": "firm_specific", "field": "electronic_info",
        "industry": "汽车零部件", "keywords": "机器视觉、缺陷检测，深度学习", "problem": "人工目检漏检率高。",
        "key_points": "检测节拍不大于 1 秒/件，漏检率低于 0.1%。", "goals": "形成可部署的在线检测系统。",
        "budget_wan": "300.50", "period_start": "2026-06-01", "period_end": "2027-05-31",
        "cooperation": "commissioned", "market_id": "2", "save": "保存草稿",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def firm(make_user, login):
    return login(make_user(Role.FIRM))


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


def needs_in_db(db) -> list[Need]:
    return list(db.session.scalars(sa.select(Need)))


def text(response) -> str:
    return response.get_data(as_text=True)


def test_create_draft(client, db, edition, firm):
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id), anonymous="y"))
    assert response.status_code == 302
    need = db.session.scalar(sa.select(Need))
    assert (need.status, need.firm_org_id, need.edition_id) == (NeedStatus.DRAFT, firm.org_id, edition.id)
    assert need.keyword_list == ["机器视觉", "缺陷检测", "深度学习"]
    assert str(need.budget_wan) == "300.50" and need.anonymous and need.market.name == "海曙区科技大市场"
    page = text(client.get(response.headers["Location"]))
    assert "高精度注塑件在线视觉检测" in page and "草稿" in page and "提交甄别" in page


def test_new_form_lists_only_editions_collecting_needs(client, db, edition, firm):
    db.session.add(Edition(code="CIC7-NB", name="第七届往届赛", year=2025, collection_start=date(2025, 2, 1),
                           collection_end=date(2025, 3, 31), bidding_deadline=datetime(2025, 4, 30, 9),
                           review_start=date(2025, 5, 6), review_end=date(2025, 5, 20),
                           final_date=date(2025, 6, 10), results_date=date(2025, 6, 20)))
    db.session.commit()
    page = text(client.get("/firm/needs/new"))
    assert edition.name in page and "第七届往届赛" not in page
    assert "海曙区科技大市场" in page and "保存并提交" in page


def test_no_edition_collecting_says_so(client, db, edition, firm, clock):
    clock(datetime(2026, 4, 1, 2, 0))  # collection ended 31 Mar (Beijing)
    response = client.get("/firm/needs/new")
    assert response.status_code == 200 and "当前没有正在征集需求的届次" in text(response)
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id)))
    assert response.status_code == 400 and needs_in_db(db) == []


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, "此项必填"),
    ({"problem": "问" * 501}, "不能超过 500 个字符"),
    ({"goals": "标" * 501}, "不能超过 500 个字符"),
    ({"period_end": "2026-05-31"}, "结束日期不能早于开始日期"),
    ({"budget_wan": "0"}, "必须为正数"),
    ({"budget_wan": "-5"}, "必须为正数"),
    ({"budget_wan": "三百万"}, "请输入金额数字"),
    ({"budget_wan": "12.345"}, "最多保留两位小数"),
    ({"keywords": "一,二,三,四,五,六"}, "关键词须为 1 至 5 个"),
    ({"period_start": "明年"}, "请输入有效日期"),
])
def test_invalid_fields_are_refused_and_nothing_saved(client, db, edition, firm, overrides, message):
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id), **overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert needs_in_db(db) == []


def test_500_characters_are_accepted_with_windows_line_breaks(client, db, edition, firm):
    problem = "问" * 249 + "\r\n" + "题" * 250  # 500 characters once the browser's CRLF is one break
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id), problem=problem))
    assert response.status_code == 302
    assert len(db.session.scalar(sa.select(Need)).problem) == 500


def test_closed_edition_cannot_be_chosen(client, db, edition, firm):
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id + 99)))
    assert response.status_code == 400 and needs_in_db(db) == []


def test_save_and_submit_creates_a_submitted_need(client, db, edition, firm):
    data = form_data(edition=str(edition.id), save=None, save_and_submit="保存并提交")
    response = client.post("/firm/needs/new", data=data, follow_redirects=True)
    assert "等待组织方甄别" in text(response)
    need = db.session.scalar(sa.select(Need))
    assert need.status == NeedStatus.SUBMITTED and need.submitted_at == datetime(2026, 3, 10, 2, 0)


def test_submit_a_draft(client, db, make_need, firm):
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    db.session.commit()
    response = client.post(f"/firm/needs/{need.id}/submit")
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.SUBMITTED


def test_submit_after_collection_closed_is_refused(client, db, make_need, firm, clock):
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    db.session.commit()
    clock(datetime(2026, 4, 2, 2, 0))
    response = client.post(f"/firm/needs/{need.id}/submit")
    assert response.status_code == 403 and "需求征集已截止" in text(response)
    data = form_data(name="改过的名称", save=None, save_and_submit="保存并提交")
    response = client.post(f"/firm/needs/{need.id}/edit", data=data)
    assert response.status_code == 403 and "需求征集已截止" in text(response)
    assert 'value="改过的名称"' in text(response)  # the form keeps what was typed
    db.session.refresh(need)
    assert (need.status, need.name) == (NeedStatus.DRAFT, "高精度注塑件在线视觉检测")


def test_returned_need_shows_the_organizer_comment(client, db, make_need, firm, organizer, clock):
    need = make_need(status=NeedStatus.SUBMITTED, firm=firm)
    review_need(need, organizer, ReviewDecision.RETURN, "请补充检测节拍的测试条件", now=clock.now)
    db.session.commit()
    listing = text(client.get("/firm/needs"))
    assert "请补充检测节拍的测试条件" in listing and "退回修改" in listing
    page = text(client.get(f"/firm/needs/{need.id}"))
    assert "请补充检测节拍的测试条件" in page and organizer.display_name in page
    assert f"/firm/needs/{need.id}/edit" in page and f"/firm/needs/{need.id}/submit" in page


def test_revise_a_returned_need_and_resubmit(client, db, make_need, firm, organizer, clock):
    need = make_need(status=NeedStatus.SUBMITTED, firm=firm)
    review_need(need, organizer, ReviewDecision.RETURN, "预算需细化", now=clock.now)
    db.session.commit()
    clock(datetime(2026, 4, 5, 2, 0))  # after collection: a returned need may still be resubmitted
    edit_page = text(client.get(f"/firm/needs/{need.id}/edit"))
    assert "预算需细化" in edit_page and "机器视觉、缺陷检测" in edit_page
    data = form_data(name="修订后的视觉检测需求", budget_wan="450", save=None, save_and_submit="保存并提交")
    response = client.post(f"/firm/needs/{need.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(need)
    assert (need.status, need.name, str(need.budget_wan)) == (NeedStatus.SUBMITTED, "修订后的视觉检测需求", "450.00")
    assert need.edition_id and len(need.reviews) == 1  # the history stays


def test_edit_keeps_draft_when_only_saved(client, db, make_need, firm):
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    db.session.commit()
    response = client.post(f"/firm/needs/{need.id}/edit", data=form_data(industry="模具制造"))
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.DRAFT and need.industry == "模具制造"


def test_invalid_edit_changes_nothing(client, db, make_need, firm):
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    db.session.commit()
    response = client.post(f"/firm/needs/{need.id}/edit", data=form_data(name="新名称", key_points="指" * 501))
    assert response.status_code == 400
    db.session.refresh(need)
    assert need.name == "高精度注塑件在线视觉检测"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_submitted_need_cannot_be_edited(client, db, make_need, firm, method):
    need = make_need(status=NeedStatus.SUBMITTED, firm=firm)
    db.session.commit()
    response = client.open(f"/firm/needs/{need.id}/edit", method=method, data=form_data(name="偷偷改名"))
    assert response.status_code == 409
    assert "只有草稿或退回修改的需求可以修改" in text(response)
    db.session.refresh(need)
    assert need.name == "高精度注塑件在线视觉检测"


def test_withdraw(client, db, make_need, firm):
    need = make_need(status=NeedStatus.PUBLISHED, firm=firm)
    db.session.commit()
    assert "撤回需求" in text(client.get(f"/firm/needs/{need.id}"))
    response = client.post(f"/firm/needs/{need.id}/withdraw", follow_redirects=True)
    assert "需求已撤回" in text(response)
    db.session.refresh(need)
    assert need.status == NeedStatus.WITHDRAWN


def test_withdraw_after_bidding_deadline_is_refused(client, db, make_need, firm, clock):
    need = make_need(status=NeedStatus.PUBLISHED, firm=firm)
    db.session.commit()
    clock(datetime(2026, 4, 30, 9, 0))
    assert "撤回需求" not in text(client.get(f"/firm/needs/{need.id}"))
    response = client.post(f"/firm/needs/{need.id}/withdraw")
    assert response.status_code == 403 and "揭榜已截止" in text(response)
    db.session.refresh(need)
    assert need.status == NeedStatus.PUBLISHED


@pytest.mark.parametrize("method, suffix", [
    ("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("POST", "/submit"), ("POST", "/withdraw"),
])
def test_another_firms_need_is_404(client, db, make_need, make_user, firm, method, suffix):
    other = make_need(status=NeedStatus.DRAFT, firm=make_user(Role.FIRM), name="别家的需求")
    db.session.commit()
    response = client.open(f"/firm/needs/{other.id}{suffix}", method=method, data=form_data(name="篡改"))
    assert response.status_code == 404
    db.session.refresh(other)
    assert (other.status, other.name) == (NeedStatus.DRAFT, "别家的需求")
    assert "别家的需求" not in text(client.get("/firm/needs"))


def test_colleague_of_the_same_firm_sees_the_need(client, db, make_need, make_user, login, firm):
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    colleague = make_user(Role.FIRM, org=firm.organization)
    login(colleague)
    assert need.name in text(client.get("/firm/needs"))


def test_list_is_newest_first_and_paginated(app, client, db, make_need, firm):
    app.config["PAGE_SIZE"] = 2
    for n, created in enumerate([datetime(2026, 2, 1), datetime(2026, 2, 3), datetime(2026, 2, 2)]):
        make_need(status=NeedStatus.DRAFT, firm=firm, name=f"需求{n}", created_at=created)
    db.session.commit()
    first = text(client.get("/firm/needs"))
    assert first.index("需求1") < first.index("需求2") and "需求0" not in first
    assert "需求0" in text(client.get("/firm/needs?page=2"))


def test_list_query_count_is_flat(client, db, make_need, firm, organizer, clock, count_queries):
    def add_returned_needs(n):
        for _ in range(n):
            need = make_need(status=NeedStatus.SUBMITTED, firm=firm)
            review_need(need, organizer, ReviewDecision.RETURN, "请修改", now=clock.now)
        db.session.commit()

    add_returned_needs(2)
    with count_queries() as few:
        assert client.get("/firm/needs").status_code == 200
    add_returned_needs(5)
    with count_queries() as many:
        assert text(client.get("/firm/needs")).count("请修改") == 7
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [Role.TEAM, Role.JUDGE, Role.ORGANIZER])
def test_other_roles_get_403(client, make_user, login, role):
    login(make_user(role))
    assert client.get("/firm/needs").status_code == 403
    assert client.get("/firm/needs/new").status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/firm/needs")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_need_form_posts_need_the_csrf_token(app, client, db, edition, firm):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/firm/needs/new", data=form_data(edition=str(edition.id))).status_code == 400
    assert needs_in_db(db) == []
    token = csrf_token_from(text(client.get("/firm/needs/new")))
    response = client.post("/firm/needs/new", data=form_data(edition=str(edition.id), csrf_token=token))
    assert response.status_code == 302 and len(needs_in_db(db)) == 1
