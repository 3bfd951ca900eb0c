"""One contest through the real UI in Chromium, with CSRF on: need → screening → bid with a PDF → judging →
results → an objection filed by a losing team and rejected by the organizer → the contract once the notice closed."""
from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from stdnum.cn import uscc
from werkzeug.security import generate_password_hash

from contest.domain.choices import NeedField, OrgKind
from contest.domain.states import BidStatus, NeedStatus, ObjectionStatus, Role
from contest.extensions import db
from contest.models import Bid, Contract, Need, Objection, Organization, Team, User
from contest.models.judging import JudgeExpertise
from contest.services.files import uploads
from contest.services.judging.rubrics import ensure_default_rubrics

from ..conftest import PDF
from .live import cic8_edition, login, make_app, serving

PASSWORD = "journey-pass-2026"
NEED_NAME = "稀土永磁电机转子在线动平衡检测"


def _code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _org(prefix: str, name: str, kind: str, code: str) -> dict:
    return {f"{prefix}-name": name, f"{prefix}-kind": kind, f"{prefix}-credit_code": code,
            f"{prefix}-region_code": "330212", f"{prefix}-address": "宁波市鄞州区首南街道",
            f"{prefix}-legal_rep": "陈立", f"{prefix}-contact_name": "周敏", f"{prefix}-contact_phone": "13800000000",
            f"{prefix}-contact_email": "zm@example.cn", f"{prefix}-bank_name": "宁波银行",
            f"{prefix}-bank_account": "12345678901234",
            **({f"{prefix}-nature_code": "150"} if kind == "enterprise" else {})}


def _account(username: str) -> dict:
    return {"account-username": username, "account-display_name": "周敏", "account-password": PASSWORD,
            "account-confirm": PASSWORD}


def fill(page, data: dict) -> None:
    """Fill form fields by their name attribute, whatever their kind."""
    for name, value in data.items():
        field = page.locator(f'[name="{name}"]').first
        tag = field.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if tag.startswith("select"):
            field.select_option(value)
        elif tag.endswith("checkbox"):
            field.check()
        elif tag.endswith("radio"):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        else:
            field.fill(value)


def press(page, name: str | None = None, text: str | None = None) -> list[str]:
    """Click a submit button (by name, or by its visible text) and wait for the next page; an irreversible
    action's question (static/js/confirm.js) is answered yes. The questions asked, in order."""
    button = (page.locator(f'main [type=submit][name="{name}"]') if name
              else page.get_by_role("button", name=text, exact=True))
    asked: list[str] = []

    def agree(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", agree)
    try:
        with page.expect_navigation():
            button.first.click()
    finally:
        page.remove_listener("dialog", agree)
    return asked


def score_every_criterion(page) -> None:
    """Give every criterion of the sheet on the page its maximum points."""
    for field in page.locator('input[name^="points-"]').all():
        field.fill(field.get_attribute("max"))


@pytest.fixture(scope="module")
def world(tmp_path_factory, databases):
    folder = tmp_path_factory.mktemp("e2e-journey")
    app = make_app(folder, databases.fresh(folder), FROZEN_NOW=datetime(2026, 3, 10, 2, 0))
    with app.app_context():
        edition = cic8_edition(judges_per_bid=1, min_sheets=1, finalists_per_need=1)
        db.session.add(edition)
        ensure_default_rubrics(edition)
        hashed = generate_password_hash(PASSWORD)
        db.session.add(User(username="boss", role=Role.ORGANIZER, display_name="王海峰", password_hash=hashed))
        expert = User(username="expert", role=Role.JUDGE, display_name="陈国华", password_hash=hashed)
        db.session.add(expert)
        db.session.flush()
        db.session.add(JudgeExpertise(judge_id=expert.id, field=NeedField.MECHATRONICS))
        # A second team (registered earlier): its report on the need is not selected, and it objects to the result.
        rival_org = Organization(name="宁波工程学院", kind=OrgKind.UNIVERSITY, credit_code=_code("12330200420000099"),
                                 region_code="330205", address="宁波市江北区", legal_rep="孙立", contact_name="钱明",
                                 contact_phone="13900000000")
        db.session.add(rival_org)
        db.session.flush()
        rival = User(username="rival-e2e", role=Role.TEAM, display_name="钱明", password_hash=hashed, org_id=rival_org.id)
        db.session.add(rival)
        db.session.flush()
        db.session.add(Team(name="电机振动攻关组", lead_org_id=rival_org.id, owner_id=rival.id, leader_name="孙立"))
        db.session.commit()
        db.session.remove()
    with serving(app) as url:
        yield app, url


def test_a_contest_through_the_browser(page, world):
    app, url = world
    page.set_default_timeout(10_000)

    # 1. A firm registers and posts its need (save and submit).
    page.goto(url + "/auth/register/firm")
    fill(page, {**_account("firm-e2e"), **_org("org", "宁波示例智能装备有限公司", "enterprise",
                                                 _code("91330200MA2AB1234"))})
    press(page, text="注册")
    assert "/auth/register" not in page.url
    login(page, url, "firm-e2e", PASSWORD)
    page.goto(url + "/firm/needs/new")
    fill(page, {"name": NEED_NAME, "category": "firm_specific", "field": "mechatronics", "industry": "电机制造",
                "keywords": "动平衡、在线检测", "problem": "转子动平衡依赖离线检测，节拍慢。",
                "key_points": "平衡精度 G1.0，检测节拍不超过 30 秒。", "goals": "建成一条在线检测示范线。",
                "budget_wan": "260", "period_start": "2026-07-01", "period_end": "2027-06-30",
                "cooperation": "commissioned", "market_id": "1"})
    press(page, name="save_and_submit")
    with app.app_context():
        need = db.session.scalar(sa.select(Need).where(Need.name == NEED_NAME))
        assert need.status == NeedStatus.SUBMITTED
        need_id = need.id
        db.session.remove()

    # 2. The organizer publishes it from the screening queue.
    login(page, url, "boss", PASSWORD)
    page.goto(url + "/organizer/queue")
    page.get_by_role("link", name=NEED_NAME).first.click()
    page.wait_for_load_state()
    fill(page, {"decision": "approve"})
    press(page, text="提交甄别结论")
    page.goto(url + "/needs")
    assert NEED_NAME in page.content()

    # 3. A team registers, bids and uploads its report.
    page.context.clear_cookies()
    page.goto(url + "/auth/register/team")
    fill(page, {**_account("team-e2e"), **_org("org", "宁波大学", "university", _code("12330200420000000")),
                "team-name": "智能感知揭榜团队", "team-leader_name": "王强", "team-leader_title": "教授",
                "members-0-name": "李娜", "members-0-organization_name": "宁波大学", "members-0-title": "副教授"})
    press(page, text="注册")
    assert "/auth/register" not in page.url
    login(page, url, "team-e2e", PASSWORD)
    page.goto(f"{url}/team/needs/{need_id}/bid")
    fill(page, {"approach": "基于激光测振与自适应去重的在线平衡方案。", "innovation": "多工位并行测量。",
                "indicators": "平衡精度 G0.8，节拍 25 秒。", "plan": "第 1-4 月样机，第 5-9 月产线验证。",
                "price_wan": "240", "duration_months": "12", "ip_background": "相关发明专利 2 项。",
                "strengths": "团队承担过国家重点研发计划项目。", "declaration_accepted": "y"})
    page.locator('input[type=file][name="pdf"]').set_input_files(
        files=[{"name": "挑战报告.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    press(page, name="submit_report")
    with app.app_context():
        bid = db.session.scalar(sa.select(Bid).where(Bid.need_id == need_id))
        assert bid is not None and bid.status == BidStatus.SUBMITTED and bid.pdf_size == len(PDF)
        db.session.remove()

    # The second team's report (submitted before the deadline; nobody scores it, so it is not selected).
    with app.app_context():
        rival_team = db.session.scalar(sa.select(Team).where(Team.name == "电机振动攻关组"))
        report = uploads.check_pdf(io.BytesIO(PDF), "挑战报告.pdf")
        db.session.add(Bid(need_id=need_id, team_id=rival_team.id, status=BidStatus.SUBMITTED, approach="振动频谱法。",
                           innovation="无。", indicators="平衡精度 G1.0。", plan="12 个月。", price_wan=260,
                           duration_months=12, declaration_accepted=True, pdf_stored_name=uploads.store(report),
                           pdf_original_name="挑战报告.pdf", pdf_size=len(PDF), pdf_sha256=report.sha256,
                           submitted_at=datetime(2026, 4, 20, 2, 0)))
        db.session.commit()
        db.session.remove()

    # 4. The window closes; the organizer opens the online review and assigns the judges.
    app.config["FROZEN_NOW"] = datetime(2026, 5, 6, 1, 0)
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/organizer/editions/CIC8-NB/judging")
    asked = press(page, text="开启初评")
    assert len(asked) == 1 and "个需求进入评审" in asked[0] and "不能撤销" in asked[0]   # asked once, with what it does
    page.goto(f"{url}/organizer/editions/CIC8-NB/assignments")
    press(page, text="自动分配")
    with app.app_context():
        bid_id = db.session.scalar(sa.select(Bid.id).where(Bid.need_id == need_id))
        expert_id = db.session.scalar(sa.select(User.id).where(User.username == "expert"))
        rep_id = db.session.scalar(sa.select(User.id).where(User.username == "firm-e2e"))
        db.session.remove()

    # 5. The judge scores online: every criterion, then submits the sheet.
    login(page, url, "expert", PASSWORD)
    page.goto(url + "/judge/")
    page.goto(f"{url}/judge/online/{bid_id}")
    score_every_criterion(page)
    press(page, name="submit_sheet")
    assert "已提交" in page.content()

    # 6. The organizer confirms the finalists and sets the on-site panel.
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/organizer/editions/CIC8-NB/judging")
    press(page, text="确认入围")
    page.goto(f"{url}/organizer/needs/{need_id}/panel")
    page.locator(f'input[name="judges"][value="{expert_id}"]').check()
    page.locator('select[name="firm_rep"]').select_option(str(rep_id))
    press(page, text="保存评审组")

    # 7. The judge and the firm's representative score on site.
    for who in ("expert", "firm-e2e"):
        login(page, url, who, PASSWORD)
        page.goto(f"{url}/judge/panels/{need_id}")
        score_every_criterion(page)
        press(page, name="submit_sheet")

    # 8. The firm confirms its winner; the organizer publishes the results.
    login(page, url, "firm-e2e", PASSWORD)
    page.goto(f"{url}/firm/needs/{need_id}/ranking")
    assert press(page, text="确认第一名为优胜") == [
        "确认后该团队即为本需求的挑战第一名，并作为技术开发合同的受托方；除异议成立外不能撤销。确定确认吗？"]
    with app.app_context():
        assert db.session.get(Need, need_id).status == NeedStatus.AWARDED
        db.session.remove()
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/organizer/editions/CIC8-NB/judging")
    press(page, text="发布结果")
    page.context.clear_cookies()
    page.goto(f"{url}/results/CIC8-NB")
    assert "智能感知揭榜团队" in page.content()

    # 9. During the objection window the second team objects, with a PDF; the organizer rejects the objection.
    login(page, url, "rival-e2e", PASSWORD)
    page.goto(f"{url}/results/CIC8-NB")
    with page.expect_navigation():
        page.locator(f'tr[data-need="{need_id}"] a[data-object]').click()
    page.locator('textarea[name="reason"]').fill("第一名团队现场演示的平衡精度与报告不符。")
    page.locator('input[type=file][name="evidence"]').set_input_files(
        files=[{"name": "现场记录.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    press(page, text="提交异议")
    assert page.url.endswith("/team/objections") and "待组织方裁定" in page.content()
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/organizer/editions/CIC8-NB/judging")
    with page.expect_navigation():
        page.locator("a[data-objections-link]").click()
    with page.expect_navigation():
        page.get_by_role("link", name="查看与裁定").first.click()
    fill(page, {"decision": "rejected", "reason": "经核查现场记录，演示数据与报告一致。"})
    assert len(press(page, text="提交裁定")) == 1            # a ruling cannot be undone: asked once
    assert page.locator("#ruling").get_attribute("data-ruling") == "rejected"
    with app.app_context():
        objection = db.session.scalar(sa.select(Objection))
        assert objection.status == ObjectionStatus.REJECTED and objection.evidence_size == len(PDF)
        assert db.session.get(Need, need_id).status == NeedStatus.AWARDED
        db.session.remove()
    login(page, url, "rival-e2e", PASSWORD)
    page.goto(f"{url}/team/objections")
    assert "经核查现场记录，演示数据与报告一致。" in page.content()

    # 10. The notice closes (publication + 5 days); the organizer drafts the contract, issues it, downloads its PDF.
    app.config["FROZEN_NOW"] = datetime(2026, 5, 12, 1, 0)
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/organizer/editions/CIC8-NB/contracts")
    press(page, text="起草合同")
    press(page, text="出具合同")
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract).where(Contract.need_id == need_id))
        number, amount = contract.number, contract.total_amount
        db.session.remove()
    assert number and number in page.locator("#contract-number").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载合同 PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    text = re.sub(r"\s+", "", text)
    assert number in text
    assert "宁波示例智能装备有限公司" in text and "宁波大学" in text
    assert amount == 2_400_000 and "贰佰肆拾万元整" in text
