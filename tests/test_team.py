"""The team's pages: dashboard, bidding with a PDF, edits, withdrawal, the deadline, other teams' bids."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest.domain.states import BidStatus, NeedStatus, Role
from contest.models import Bid
from tests.conftest import PDF, csrf_token_from

MULTIPART = "multipart/form-data"


def bid_form(pdf: bytes | None = PDF, filename: str = "report.pdf", submit: bool = True, **overrides) -> dict:
    """What the bid form posts: text fields, optionally a file, and one of the two buttons."""
    data = {
        "approach": "采用深度学习与多光谱成像结合的检测路线。", "innovation": "小样本缺陷学习。",
        "indicators": "漏检率 < 0.1%，节拍 0.8 秒/件。", "plan": "第 1-3 月样机，第 4-6 月现场验证。",
        "price_wan": "280.00", "duration_months": "12", "ip_background": "已授权发明专利 3 项。",
        "strengths": "团队长期从事工业视觉研究。", "declaration_accepted": "y",
    }
    data["submit_report" if submit else "save_draft"] = "x"
    if pdf is not None:
        data["pdf"] = (io.BytesIO(pdf), filename)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def uploaded_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "bids"
    return sorted(folder.glob("*")) if folder.exists() else []


def bids_of(db, team) -> list[Bid]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Bid).where(Bid.team_id == team.id).order_by(Bid.id)))


@pytest.fixture
def team(make_team, login):
    """A team whose account is logged in."""
    t = make_team(name="甬江视觉团队")
    login(t.owner)
    return t


@pytest.fixture
def need(make_need, team, db):
    """A published need, committed so that a refused request's rollback keeps it."""
    n = make_need(name="注塑件在线视觉检测", budget_wan=Decimal("300.00"))
    db.session.commit()
    return n


def post_bid(client, need, **kw):
    return client.post(f"/team/needs/{need.id}/bid", data=bid_form(**kw), content_type=MULTIPART)


# --- dashboard ---------------------------------------------------------------------------------------------

def test_firm_user_gets_403_on_team_pages(make_user, login, client, need):
    login(make_user(Role.FIRM))
    assert client.get("/team/").status_code == 403
    assert client.get(f"/team/needs/{need.id}/bid").status_code == 403


def test_dashboard_shows_team_card_and_only_its_own_bids(team, make_team, make_need, make_bid, client):
    make_bid(need=make_need(name="我方需求甲"), team=team, price_wan=Decimal("123.45"))
    make_bid(need=make_need(name="他方需求乙"), team=make_team())
    html = client.get("/team/").get_data(as_text=True)
    assert "甬江视觉团队" in html and "王教授" in html and "赵工" in html and team.lead_org.name in html
    assert "我方需求甲" in html and "123.45" in html and "第八届中国创新挑战赛（宁波）" in html
    assert "他方需求乙" not in html
    assert 'href="/needs"' in html  # the public catalogue, to find needs


def test_dashboard_query_count_is_flat(team, make_user, make_need, make_bid, client, db, count_queries):
    firm = make_user(Role.FIRM)
    for _ in range(2):
        make_bid(need=make_need(firm=firm), team=team)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/team/").status_code == 200
    for _ in range(28):
        make_bid(need=make_need(firm=firm), team=team)
    db.session.commit()
    with count_queries() as many:
        html = client.get("/team/").get_data(as_text=True)
    assert "共 30 条" in html
    assert len(many) == len(few)


# --- bidding with a PDF ------------------------------------------------------------------------------------

def test_bid_with_pdf_is_stored_under_generated_name_and_downloadable(team, need, client, db, app):
    response = post_bid(client, need)
    assert response.status_code == 302
    [bid] = bids_of(db, team)
    assert bid.status == BidStatus.SUBMITTED and bid.pdf_original_name == "report.pdf"
    assert bid.pdf_stored_name != "report.pdf"
    stored = Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name
    assert stored.read_bytes() == PDF and uploaded_files(app) == [stored]
    download = client.get(f"/team/bids/{bid.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "report.pdf" in download.headers["Content-Disposition"]


def test_bid_page_shows_fields_file_and_status(team, need, client, db):
    post_bid(client, need)
    [bid] = bids_of(db, team)
    html = client.get(f"/team/bids/{bid.id}").get_data(as_text=True)
    assert "多光谱成像" in html and "report.pdf" in html and "已提交" in html
    assert f"/team/bids/{bid.id}/file" in html and "KB" in html


def test_non_pdf_renamed_pdf_is_refused_and_nothing_saved(team, need, client, db, app):
    response = post_bid(client, need, pdf=b"MZ\x90\x00 this is an executable", filename="report.pdf")
    assert response.status_code == 400
    assert "只接受 PDF" in response.get_data(as_text=True)
    assert bids_of(db, team) == [] and uploaded_files(app) == []


def test_pdf_over_size_limit_is_refused_413(team, need, client, db, app):
    app.config["BID_PDF_MAX_BYTES"] = 1024
    response = post_bid(client, need, pdf=PDF + b"0" * 2048)
    assert response.status_code == 413
    assert bids_of(db, team) == [] and uploaded_files(app) == []


def test_request_over_max_content_length_is_413(team, need, client, db, app):
    app.config["MAX_CONTENT_LENGTH"] = 8 * 1024
    response = post_bid(client, need, pdf=PDF + b"0" * 16 * 1024)
    assert response.status_code == 413
    assert bids_of(db, team) == [] and uploaded_files(app) == []


def test_second_live_bid_for_same_need_is_409_and_get_goes_to_edit(team, need, client, db):
    assert post_bid(client, need).status_code == 302
    [first] = bids_of(db, team)
    page = client.get(f"/team/needs/{need.id}/bid")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/team/bids/{first.id}/edit")
    response = post_bid(client, need, approach="另一份方案")
    assert response.status_code == 409
    assert "已对该需求提交过" in response.get_data(as_text=True)
    assert [b.id for b in bids_of(db, team)] == [first.id]


def test_bid_form_shows_need_summary_deadline_and_declaration(team, need, client):
    html = client.get(f"/team/needs/{need.id}/bid").get_data(as_text=True)
    assert "注塑件在线视觉检测" in html and "人工目检漏检率高" in html and "300.00" in html
    assert "2026-04-30 17:00" in html  # the deadline in Beijing time
    assert "不侵犯任何第三方的知识产权" in html and "保存草稿" in html and "提交挑战报告" in html


def test_unpublished_need_is_404(team, make_need, client, db):
    draft = make_need(status=NeedStatus.SUBMITTED)
    db.session.commit()
    assert client.get(f"/team/needs/{draft.id}/bid").status_code == 404
    assert post_bid(client, draft).status_code == 404


# --- the deadline ------------------------------------------------------------------------------------------

def test_bid_after_deadline_is_refused_403(team, need, client, db, app, clock, edition):
    clock(edition.bidding_deadline)
    page = client.get(f"/team/needs/{need.id}/bid").get_data(as_text=True)
    assert "揭榜已关闭" in page and 'type="file"' not in page
    response = post_bid(client, need)
    assert response.status_code == 403 and "揭榜已截止" in response.get_data(as_text=True)
    assert bids_of(db, team) == [] and uploaded_files(app) == []


def test_edit_after_deadline_is_refused_403_and_nothing_changes(team, need, make_bid, client, db, clock, edition):
    bid = make_bid(need=need, team=team)
    db.session.commit()
    clock(edition.bidding_deadline + timedelta(minutes=1))
    response = client.post(f"/team/bids/{bid.id}/edit", data=bid_form(approach="截止后改的方案"),
                           content_type=MULTIPART)
    assert response.status_code == 403 and "揭榜已截止" in response.get_data(as_text=True)
    [same] = bids_of(db, team)
    assert same.approach.startswith("采用深度学习") and same.pdf_stored_name == bid.pdf_stored_name


def test_withdraw_after_deadline_is_refused_403_and_nothing_changes(team, need, make_bid, client, db, clock, edition):
    bid = make_bid(need=need, team=team)
    db.session.commit()
    clock(edition.bidding_deadline)
    response = client.post(f"/team/bids/{bid.id}/withdraw")
    assert response.status_code == 403
    [same] = bids_of(db, team)
    assert same.status == BidStatus.SUBMITTED and same.withdrawn_at is None


# --- drafts, edits, withdrawal -----------------------------------------------------------------------------

def test_draft_without_file_or_declaration_then_submit(team, need, client, db):
    response = post_bid(client, need, pdf=None, submit=False, declaration_accepted=None)
    assert response.status_code == 302
    [bid] = bids_of(db, team)
    assert bid.status == BidStatus.DRAFT and bid.submitted_at is None and bid.pdf_stored_name is None
    assert "草稿" in client.get("/team/").get_data(as_text=True)
    response = client.post(f"/team/bids/{bid.id}/edit", data=bid_form(), content_type=MULTIPART)
    assert response.status_code == 302
    [bid] = bids_of(db, team)
    assert bid.status == BidStatus.SUBMITTED and bid.submitted_at is not None and bid.pdf_stored_name


def test_submit_without_declaration_is_refused(team, need, client, db, app):
    response = post_bid(client, need, declaration_accepted=None)
    assert response.status_code == 400
    assert "挑战声明" in response.get_data(as_text=True)
    assert bids_of(db, team) == [] and uploaded_files(app) == []


def test_submit_without_pdf_is_refused(team, need, client, db):
    response = post_bid(client, need, pdf=None)
    assert response.status_code == 400
    assert "须上传挑战报告" in response.get_data(as_text=True)
    assert bids_of(db, team) == []


def test_edit_keeps_existing_pdf_unless_a_new_one_is_uploaded(team, need, make_bid, client, db):
    bid = make_bid(need=need, team=team)
    old_name = bid.pdf_stored_name
    response = client.post(f"/team/bids/{bid.id}/edit", data=bid_form(pdf=None, plan="新的计划"),
                           content_type=MULTIPART)
    assert response.status_code == 302
    [bid] = bids_of(db, team)
    assert bid.plan == "新的计划" and bid.pdf_stored_name == old_name
    newer = PDF + b"%new version\n"
    client.post(f"/team/bids/{bid.id}/edit", data=bid_form(pdf=newer, filename="v2.pdf"), content_type=MULTIPART)
    [bid] = bids_of(db, team)
    assert bid.pdf_original_name == "v2.pdf" and bid.pdf_stored_name != old_name
    assert client.get(f"/team/bids/{bid.id}/file").data == newer


def test_withdraw_then_bid_again_is_allowed(team, need, make_bid, client, db):
    bid = make_bid(need=need, team=team)
    assert client.post(f"/team/bids/{bid.id}/withdraw").status_code == 302
    assert "重新揭榜" in client.get(f"/team/bids/{bid.id}").get_data(as_text=True)
    assert post_bid(client, need).status_code == 302
    statuses = [b.status for b in bids_of(db, team)]
    assert statuses == [BidStatus.WITHDRAWN, BidStatus.SUBMITTED]


def test_over_budget_price_is_accepted_with_a_warning(team, need, client, db):
    response = post_bid(client, need, price_wan="350.50")
    assert response.status_code == 302
    [bid] = bids_of(db, team)
    assert bid.price_wan == Decimal("350.50")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "高于该需求拟投入资金" in html


@pytest.mark.parametrize("price, duration", [("0", "12"), ("-5", "12"), ("12.345", "12"), ("100", "0"), ("abc", "12")])
def test_invalid_price_or_duration_is_refused_400(team, need, client, db, price, duration):
    response = post_bid(client, need, price_wan=price, duration_months=duration)
    assert response.status_code == 400
    assert bids_of(db, team) == []


def test_text_over_its_limit_is_refused(team, need, client, db):
    response = post_bid(client, need, innovation="新" * 1001)
    assert response.status_code == 400 and "不能超过 1000 个字符" in response.get_data(as_text=True)
    assert bids_of(db, team) == []


# --- another team's bid ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/team/bids/{id}"), ("get", "/team/bids/{id}/edit"), ("post", "/team/bids/{id}/edit"),
    ("get", "/team/bids/{id}/file"), ("post", "/team/bids/{id}/withdraw"),
])
def test_another_teams_bid_is_404(team, make_team, need, make_bid, client, db, method, path):
    other = make_bid(need=need, team=make_team())
    db.session.commit()
    kwargs = {"data": bid_form(), "content_type": MULTIPART} if path.endswith("edit") and method == "post" else {}
    response = getattr(client, method)(path.format(id=other.id), **kwargs)
    assert response.status_code == 404
    db.session.expire_all()
    assert other.status == BidStatus.SUBMITTED and other.approach.startswith("采用深度学习")


def test_withdraw_needs_the_csrf_token(team, need, make_bid, client, db, app):
    bid = make_bid(need=need, team=team)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/team/bids/{bid.id}/withdraw").status_code == 400
    token = csrf_token_from(client.get(f"/team/bids/{bid.id}").get_data(as_text=True))
    assert client.post(f"/team/bids/{bid.id}/withdraw", data={"csrf_token": token}).status_code == 302
    assert bids_of(db, team)[0].status == BidStatus.WITHDRAWN


def test_refused_edit_leaves_no_new_file_behind(team, need, make_bid, client, db, app):
    bid = make_bid(need=need, team=team)
    db.session.commit()
    before = uploaded_files(app)
    # 保存草稿 on a submitted report still resubmits it, so the declaration is still required.
    response = client.post(f"/team/bids/{bid.id}/edit", content_type=MULTIPART,
                           data=bid_form(submit=False, declaration_accepted=None, approach="未声明的修改"))
    assert response.status_code == 400 and "挑战声明" in response.get_data(as_text=True)
    [same] = bids_of(db, team)
    assert same.approach.startswith("采用深度学习") and same.declaration_accepted
    assert uploaded_files(app) == before
