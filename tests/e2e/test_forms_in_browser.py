"""A form round trip in Chromium that keeps the chosen file: the team's report with a PDF and one field wrong
comes back with the field marked and the file named, and the corrected one saves the bid with that PDF; the
characters left update as one types; a quote above the need's budget is warned of before anything is sent."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind
from contest.domain.states import BidStatus, NeedStatus, Role
from contest.extensions import db
from contest.models import Bid, Need, Organization, Team, User

from ..conftest import PDF
from .live import cic8_edition, login, make_app, serving
from .test_journey import _code, fill

PASSWORD = "forms-pass-2026"


@pytest.fixture(scope="module")
def bidding(tmp_path_factory, databases):
    """An edition open for bids, one published need with a budget of 300 万元, a team account: (app, url, need id)."""
    folder = tmp_path_factory.mktemp("e2e-forms")
    app = make_app(folder, databases.fresh(folder), FROZEN_NOW=datetime(2026, 3, 10, 2, 0))
    with app.app_context():
        edition = cic8_edition()
        firm_org = Organization(name="宁波示例装备有限公司", kind=OrgKind.ENTERPRISE, credit_code=_code("91330200MA2AB1234"),
                                region_code="330212", address="宁波市鄞州区", legal_rep="陈立", contact_name="周敏",
                                contact_phone="13800000000")
        team_org = Organization(name="宁波大学", kind=OrgKind.UNIVERSITY, credit_code=_code("12330200420000000"),
                                region_code="330205", address="宁波市江北区", legal_rep="孙立", contact_name="钱明",
                                contact_phone="13900000000")
        db.session.add_all([edition, firm_org, team_org])
        db.session.flush()
        hashed = generate_password_hash(PASSWORD)
        firm = User(username="firm-forms", role=Role.FIRM, display_name="周敏", password_hash=hashed, org_id=firm_org.id)
        owner = User(username="team-forms", role=Role.TEAM, display_name="钱明", password_hash=hashed,
                     org_id=team_org.id)
        db.session.add_all([firm, owner])
        db.session.flush()
        db.session.add(Team(name="智能感知揭榜团队", lead_org_id=team_org.id, owner_id=owner.id, leader_name="孙立"))
        need = Need(edition_id=edition.id, firm_org_id=firm_org.id, created_by_id=firm.id, status=NeedStatus.PUBLISHED,
                    name="注塑件在线视觉检测", category=NeedCategory.FIRM_SPECIFIC, field=NeedField.ELECTRONIC_INFO,
                    industry="汽车零部件", problem="人工目检漏检率高。", key_points="节拍不大于 1 秒/件。",
                    goals="形成在线检测系统。", budget_wan=Decimal("300.00"), period_start=date(2026, 6, 1),
                    period_end=date(2027, 5, 31), cooperation=CooperationMode.COMMISSIONED,
                    market_id=1, anonymous=False, published_at=datetime(2026, 3, 1))
        need.keyword_list = ["机器视觉", "缺陷检测"]
        db.session.add(need)
        db.session.commit()
        need_id = need.id
        db.session.remove()
    with serving(app) as url:
        yield app, url, need_id


def test_a_failed_report_keeps_its_pdf_and_the_corrected_one_saves_it(page, bidding):
    app, url, need_id = bidding
    page.set_default_timeout(10_000)
    login(page, url, "team-forms", PASSWORD)
    page.goto(f"{url}/team/needs/{need_id}/bid")

    # The characters left follow the typing; a quote above the budget is warned of before anything is sent.
    counter = page.locator("#innovation-count")
    assert counter.inner_text() == "还可输入 1000 字"
    page.locator("#innovation").press_sequentially("多工位并行")
    assert counter.inner_text() == "还可输入 995 字"
    warning = page.locator("#budget-warning")
    page.locator("#price_wan").fill("240")
    assert warning.is_hidden()
    page.locator("#price_wan").fill("450")
    assert warning.is_visible() and "300" in warning.inner_text()

    # The approach is left empty: the form comes back with it marked and the chosen file named.
    fill(page, {"innovation": "多工位并行测量。", "indicators": "平衡精度 G0.8。", "plan": "第 1-4 月样机。",
                "price_wan": "240", "duration_months": "12", "declaration_accepted": "y"})
    page.locator('input[type=file][name="pdf"]').set_input_files(
        files=[{"name": "挑战报告.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.locator('main [type=submit][name="submit_report"]').click()
    approach = page.locator("#approach")
    assert approach.get_attribute("aria-invalid") == "true" and "is-invalid" in approach.get_attribute("class")
    assert page.locator("#approach-error").is_visible()
    assert page.locator("#form-errors a[href='#approach']").count() == 1
    assert "已选文件：挑战报告.pdf，可重新选择替换" in page.locator("main").inner_text()
    assert page.locator("#innovation").input_value() == "多工位并行测量。"  # what was typed stays
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 0
        db.session.remove()

    # Filled in, sent again without choosing the file again: the bid is submitted with the PDF.
    approach.fill("基于激光测振与自适应去重的在线检测方案。")
    with page.expect_navigation():
        page.locator('main [type=submit][name="submit_report"]').click()
    assert "/team/bids/" in page.url
    with app.app_context():
        bid = db.session.scalar(sa.select(Bid).where(Bid.need_id == need_id))
        assert bid.status == BidStatus.SUBMITTED and bid.pdf_original_name == "挑战报告.pdf"
        assert bid.pdf_size == len(PDF)
        db.session.remove()
