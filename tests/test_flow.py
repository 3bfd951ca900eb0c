"""The whole path of stages 1–4 through HTTP, as the four roles live it.

firm posts → organizer returns → firm revises → organizer publishes → public sees it →
team bids with a PDF → the deadline passes (frozen clock) → every change is refused.
"""
import io
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from contest.domain.states import BidStatus, NeedStatus, Role
from contest.models import AuditEvent, Bid, Need

from .conftest import PDF

NEED_FORM = {
    "name": "稀土永磁电机转子在线动平衡检测", "category": "firm_specific", "field": "mechatronics",
    "industry": "电机制造", "keywords": "动平衡、在线检测", "problem": "转子动平衡依赖离线检测，节拍慢。",
    "key_points": "平衡精度 G1.0，检测节拍不超过 30 秒。", "goals": "建成一条在线检测示范线。",
    "budget_wan": "260", "period_start": "2026-07-01", "period_end": "2027-06-30",
    "cooperation": "commissioned", "market_id": "1",
}
BID_FORM = {
    "approach": "基于激光测振与自适应去重的在线平衡方案。", "innovation": "多工位并行测量。",
    "indicators": "平衡精度 G0.8，节拍 25 秒。", "plan": "第 1-4 月样机，第 5-9 月产线验证。",
    "price_wan": "240", "duration_months": "12", "ip_background": "相关发明专利 2 项。",
    "strengths": "团队承担过国家重点研发计划项目。", "declaration_accepted": "y",
}


def as_user(client, user):
    with client.session_transaction() as session:
        session.clear()
    assert client.post("/auth/login", data={"username": user.username, "password": "test-pass-123"}).status_code == 302


def test_stages_one_to_four(app, client, db, edition, make_user, make_team, clock):
    firm = make_user(Role.FIRM)
    organizer = make_user(Role.ORGANIZER)
    team = make_team()
    other_team = make_team()
    db.session.commit()

    # 1. The firm posts its need and submits it for screening.
    as_user(client, firm)
    r = client.post("/firm/needs/new", data={**NEED_FORM, "edition": str(edition.id), "save_and_submit": "y"})
    assert r.status_code == 302
    need = db.session.scalar(sa.select(Need).where(Need.name == NEED_FORM["name"]))
    assert need.status == NeedStatus.SUBMITTED
    firm_name = need.firm.name
    # Not public before screening.
    assert NEED_FORM["name"] not in client.get("/needs").get_data(as_text=True)
    assert client.get(f"/needs/{need.id}").status_code == 404

    # 2. The organizer finds it in the queue and returns it with a comment.
    as_user(client, organizer)
    assert NEED_FORM["name"] in client.get("/organizer/queue").get_data(as_text=True)
    r = client.post(f"/organizer/needs/{need.id}/review",
                    data={"decision": "return", "comment": "请补充平衡精度的检测标准"})
    assert r.status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.RETURNED

    # 3. The firm reads the comment, revises and resubmits.
    as_user(client, firm)
    assert "请补充平衡精度的检测标准" in client.get(f"/firm/needs/{need.id}").get_data(as_text=True)
    revised = {**NEED_FORM, "key_points": "平衡精度 G1.0（GB/T 9239.1），检测节拍不超过 30 秒。",
               "save_and_submit": "y"}
    assert client.post(f"/firm/needs/{need.id}/edit", data=revised).status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.SUBMITTED and "GB/T 9239.1" in need.key_points

    # 4. The organizer approves: the need is published.
    as_user(client, organizer)
    assert client.post(f"/organizer/needs/{need.id}/review", data={"decision": "approve", "comment": ""}).status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.PUBLISHED and need.published_at is not None

    # 5. The public sees it in the catalogue and on its page.
    client.post("/auth/logout")
    catalogue = client.get("/needs", query_string={"q": "动平衡"}).get_data(as_text=True)
    assert NEED_FORM["name"] in catalogue and firm_name in catalogue
    assert "GB/T 9239.1" in client.get(f"/needs/{need.id}").get_data(as_text=True)

    # 6. A team bids with its challenge report.
    as_user(client, team.owner)
    r = client.post(f"/team/needs/{need.id}/bid", content_type="multipart/form-data",
                    data={**BID_FORM, "submit_report": "y", "pdf": (io.BytesIO(PDF), "挑战报告.pdf")})
    assert r.status_code == 302
    bid = db.session.scalar(sa.select(Bid).where(Bid.need_id == need.id))
    assert bid.status == BidStatus.SUBMITTED and bid.team_id == team.id
    stored = Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name
    assert stored.read_bytes() == PDF and bid.pdf_stored_name != "挑战报告.pdf"
    assert client.get(f"/team/bids/{bid.id}/file").data == PDF
    assert "动平衡" in client.get("/team/").get_data(as_text=True)

    # Another team sees nothing of it.
    as_user(client, other_team.owner)
    for url in (f"/team/bids/{bid.id}", f"/team/bids/{bid.id}/edit", f"/team/bids/{bid.id}/file"):
        assert client.get(url).status_code == 404, url

    # 7. The deadline passes: the page the team still has open cannot change anything.
    as_user(client, team.owner)
    clock(edition.bidding_deadline + timedelta(minutes=1))
    edit = client.post(f"/team/bids/{bid.id}/edit", content_type="multipart/form-data",
                       data={**BID_FORM, "price_wan": "1", "submit_report": "y"})
    assert edit.status_code == 403 and "揭榜已截止" in edit.get_data(as_text=True)
    assert client.post(f"/team/bids/{bid.id}/withdraw").status_code == 403
    late = client.post(f"/team/needs/{need.id}/bid", content_type="multipart/form-data",
                       data={**BID_FORM, "submit_report": "y", "pdf": (io.BytesIO(PDF), "late.pdf")})
    assert late.status_code in (403, 409)
    db.session.refresh(bid)
    assert bid.status == BidStatus.SUBMITTED and str(bid.price_wan) == "240.00"
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 1

    # Every decision left its trace.
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"need.create", "need.submit", "need.return", "need.update", "need.approve",
            "bid.create", "bid.submit"} <= actions
