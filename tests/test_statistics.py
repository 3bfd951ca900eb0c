"""An edition's statistics (service, JSON, dashboard page with SVG charts), the registration export and the
batch PDF download, on a small edition built by hand: drafts, withdrawn bids and void contracts excluded."""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from contest.domain.choices import NeedField, OrgKind
from contest.domain.contracts import ContractStatus
from contest.domain.rubric import Round
from contest.domain.states import AssignmentStatus, BidStatus, NeedStatus, Role
from contest.models import Assignment, Contract, Edition, PanelMember, Payment, ScoreSheet
from contest.services.contracts.statistics import edition_stats, stats_json

from .conftest import market_id

YUXIAO = "余姚市科技大市场"
MARKET = "宁波科技大市场"  # need_data's default source channel
PAGES = ("statistics", "registration.xlsx", "contracts.pdf")


def blank_pdf(pages: int, width: int) -> bytes:
    """A PDF of `pages` blank pages, `width` points wide (the width tells contracts apart once merged)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def snapshot(org, **overrides) -> str:
    data = {"name": org.name, "region_code": org.region_code, "kind": org.kind.value, "credit_code": org.credit_code}
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def add_contract(db, bid, status: ContractStatus, amount: str, sequence: int | None = None, version: int = 1,
                 pdf: bytes | None = None, **kw) -> Contract:
    """A contract row for the bid's need, as the contracts service would leave it in `status`."""
    need, team = bid.need, bid.team
    issued = status != ContractStatus.DRAFT
    if issued and pdf is None:
        pdf = blank_pdf(1, 595)
    number = None
    if issued:
        number = f"{need.edition.code}-{need.edition.year}-{sequence:03d}" + ("" if version == 1 else f"-V{version}")
    contract = Contract(
        edition_id=need.edition_id, need_id=need.id, bid_id=bid.id, version=version, status=status,
        sequence=sequence if issued else None, number=number, project_name=kw.pop("project_name", need.name),
        party_a=kw.pop("party_a", snapshot(need.firm)), party_b=kw.pop("party_b", snapshot(team.lead_org)),
        total_amount=Decimal(amount), pdf=pdf if issued else None,
        pdf_sha256=hashlib.sha256(pdf).hexdigest() if issued else None,
        verify_token=f"token-{need.id}-{version}" if issued else None,
        issued_at=datetime(2026, 7, 1) if issued else None, **kw)
    if status == ContractStatus.SIGNED and contract.signed_on is None:
        contract.signed_on = date(2026, 7, 8)
    db.session.add(contract)
    db.session.flush()
    return contract


def pay(db, contract: Contract, amount: str, recorder, bank_receipt: str = "HD20260801001") -> None:
    db.session.add(Payment(contract_id=contract.id, amount=Decimal(amount), received_on=date(2026, 8, 1),
                           bank_receipt=bank_receipt, recorded_by_id=recorder.id))
    db.session.flush()


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, username="organizer1")


@pytest.fixture
def built(db, edition, organizer, make_user, make_need, make_team, make_bid, make_org):
    """Needs: draft (left out), submitted, awarded ×2, failed, published. Bids and judges around them.
    Contracts: one signed (45,000,000.00, replacing a void version), one issued (27,500,000.00), one draft."""
    make_need(status=NeedStatus.DRAFT)
    make_need(status=NeedStatus.SUBMITTED)
    firm = make_user(Role.FIRM, org=make_org(name="宁波甬江智能装备有限公司"))
    awarded_one = make_need(status=NeedStatus.AWARDED, firm=firm, name="注塑件在线视觉检测")
    awarded_two = make_need(status=NeedStatus.AWARDED, field=NeedField.NEW_MATERIALS, market_id=market_id(YUXIAO),
                            name="反渗透膜抗污染改性")
    failed = make_need(status=NeedStatus.FAILED, field=NeedField.NEW_MATERIALS, market_id=market_id(YUXIAO))
    published = make_need(status=NeedStatus.PUBLISHED)
    uni = make_org(name="宁波大学", kind=OrgKind.UNIVERSITY)
    uni.region_code = "330203"
    team_a = make_team(user=make_user(Role.TEAM, org=uni), name="甬江视觉团队")
    team_b, team_c, team_d, team_e = (make_team() for _ in range(4))
    winner_one = make_bid(awarded_one, team_a, status=BidStatus.WINNER)
    beaten = make_bid(awarded_one, team_b, status=BidStatus.NOT_SELECTED)
    make_bid(awarded_one, team_c, status=BidStatus.DRAFT)
    make_bid(awarded_one, team_d, status=BidStatus.WITHDRAWN)
    winner_two = make_bid(awarded_two, team_b, status=BidStatus.WINNER)
    pitched = make_bid(awarded_two, team_e, status=BidStatus.NOT_SELECTED)
    make_bid(published, team_a, status=BidStatus.SUBMITTED)
    judge_one, judge_two, judge_three = (make_user(Role.JUDGE) for _ in range(3))
    db.session.add_all([
        Assignment(bid_id=beaten.id, judge_id=judge_one.id),
        Assignment(bid_id=winner_one.id, judge_id=judge_two.id, status=AssignmentStatus.RECUSED),
        ScoreSheet(round=Round.ONLINE, bid_id=beaten.id, judge_id=judge_one.id),
        ScoreSheet(round=Round.ONSITE, bid_id=pitched.id, judge_id=judge_three.id),
        PanelMember(need_id=awarded_two.id, user_id=judge_three.id),
        PanelMember(need_id=awarded_two.id, user_id=judge_one.id),
        PanelMember(need_id=awarded_two.id, user_id=make_user(Role.FIRM).id, firm_representative=True),
    ])
    void = add_contract(db, winner_one, ContractStatus.VOID, "40000000.00", sequence=1)
    signed = add_contract(db, winner_one, ContractStatus.SIGNED, "45000000.00", sequence=1, version=2,
                          replaces_id=void.id, valid_from=date(2026, 7, 1), valid_to=date(2027, 6, 30),
                          party_a=snapshot(firm.organization, region_code="330212", nature_code="160"),
                          equipment_amount=Decimal("800000.00"), materials_amount=Decimal("200000.00"),
                          registration_number="20263302030001", registered_tech_amount=Decimal("44000000.00"),
                          registered_on=date(2026, 7, 20))
    issued = add_contract(db, winner_two, ContractStatus.ISSUED, "27500000.00", sequence=2)
    add_contract(db, make_bid(published, team_b, status=BidStatus.DRAFT), ContractStatus.DRAFT, "990000.00")
    pay(db, signed, "2000000.00", organizer)
    pay(db, signed, "1000000.00", organizer)
    pay(db, void, "500000.00", organizer)
    db.session.commit()
    return {"signed": signed, "issued": issued, "void": void, "failed": failed}


def test_stats_count_what_the_organizer_expects(built, edition):
    stats = edition_stats(edition)
    assert {k: stats[k] for k in ("needs_collected", "needs_published", "failed_needs", "bids", "teams", "judges",
                                  "finalists", "winners", "contracts_issued", "contracts_signed",
                                  "key_programme_eligible")} == {
        "needs_collected": 5, "needs_published": 4, "failed_needs": 1, "bids": 5, "teams": 3, "judges": 2,
        "finalists": 3, "winners": 2, "contracts_issued": 2, "contracts_signed": 1, "key_programme_eligible": 1}
    assert stats["contract_amount_signed"] == Decimal("45000000.00")
    assert stats["contract_amount_issued"] == Decimal("72500000.00")
    # Side by side: the total and its technology amount (less the signed contract's equipment and materials).
    assert (stats["tech_amount_signed"], stats["tech_amount_issued"]) == (Decimal("44000000.00"),
                                                                         Decimal("71500000.00"))
    assert stats["firms_signed"] == 1
    assert stats["payments_received"] == Decimal("3000000.00")  # the void version's payment is left out


def test_stats_break_down_by_field_and_channel(built, edition):
    stats = edition_stats(edition)
    assert list(stats["by_field"]) == [NeedField.ELECTRONIC_INFO, NeedField.NEW_MATERIALS]
    assert stats["by_field"][NeedField.ELECTRONIC_INFO] == {
        "needs_published": 2, "winners": 1, "contracts_signed": 1, "contract_amount_signed": Decimal("45000000.00"),
        "tech_amount_signed": Decimal("44000000.00")}
    assert stats["by_field"][NeedField.NEW_MATERIALS] == {
        "needs_published": 2, "winners": 1, "contracts_signed": 0, "contract_amount_signed": Decimal("0.00"),
        "tech_amount_signed": Decimal("0.00")}
    assert stats["by_channel"][MARKET]["contract_amount_signed"] == Decimal("45000000.00")
    assert stats["by_channel"][YUXIAO]["needs_published"] == 2


def test_key_programme_needs_three_million_received(db, built, edition, organizer):
    built["issued"].registration_number = "20263302030002"
    pay(db, built["issued"], "2999999.99", organizer)
    assert edition_stats(edition)["key_programme_eligible"] == 1
    pay(db, built["issued"], "0.01", organizer)
    stats = edition_stats(edition)
    assert stats["key_programme_eligible"] == 2
    assert stats["payments_received"] == Decimal("6000000.00")


def test_other_editions_do_not_leak_in(db, built, edition, make_need, make_bid):
    other = Edition(code="CIC9-NB", name="第九届", year=2027, collection_start=date(2027, 2, 1),
                    collection_end=date(2027, 3, 31), bidding_deadline=datetime(2027, 4, 30, 9, 0),
                    review_start=date(2027, 5, 6), review_end=date(2027, 5, 20), final_date=date(2027, 6, 10),
                    results_date=date(2027, 6, 20))
    db.session.add(other)
    db.session.flush()
    bid = make_bid(make_need(status=NeedStatus.AWARDED, edition_id=other.id), status=BidStatus.WINNER)
    add_contract(db, bid, ContractStatus.SIGNED, "1000000.00", sequence=1)
    stats = edition_stats(edition)
    assert (stats["needs_collected"], stats["bids"], stats["contracts_signed"]) == (5, 5, 1)
    assert stats["contract_amount_signed"] == Decimal("45000000.00")
    assert edition_stats(other)["contract_amount_signed"] == Decimal("1000000.00")


def _signed_contracts(db, make_need, make_bid, organizer, first: int, n: int) -> None:
    for i in range(first, first + n):
        bid = make_bid(make_need(status=NeedStatus.AWARDED, field=list(NeedField)[i % 12], market_id=1 + i % 26),
                       status=BidStatus.WINNER)
        contract = add_contract(db, bid, ContractStatus.SIGNED, f"{(i + 1) * 100000}.00", sequence=i + 1)
        pay(db, contract, "50000.00", organizer)


def test_stats_query_count_does_not_grow_with_contracts(db, edition, organizer, make_need, make_bid, count_queries):
    _signed_contracts(db, make_need, make_bid, organizer, 0, 2)
    db.session.commit()
    with count_queries() as few:
        assert edition_stats(edition)["contracts_signed"] == 2
    _signed_contracts(db, make_need, make_bid, organizer, 2, 8)
    db.session.commit()
    with count_queries() as many:
        stats = edition_stats(edition)
    assert stats["contracts_signed"] == 10
    assert stats["contract_amount_signed"] == Decimal("5500000.00")
    assert len(many) == len(few) <= 7


def test_stats_json_amounts_are_decimal_strings_and_counts_ints(built, edition):
    data = json.loads(json.dumps(stats_json(edition_stats(edition))))
    for key in ("needs_published", "bids", "winners", "failed_needs", "contracts_signed", "key_programme_eligible"):
        assert type(data[key]) is int, key
    assert data["contract_amount_signed"] == "45000000.00"
    assert data["contract_amount_issued"] == "72500000.00"
    assert data["payments_received"] == "3000000.00"
    assert data["by_field"]["new_materials"]["contract_amount_signed"] == "0.00"
    assert data["by_channel"][MARKET] == {"needs_published": 2, "winners": 1, "contracts_signed": 1,
                                          "contract_amount_signed": "45000000.00", "tech_amount_signed": "44000000.00"}


def test_empty_edition_has_zero_figures(edition):
    data = stats_json(edition_stats(edition))
    assert data["contract_amount_signed"] == "0.00" and data["payments_received"] == "0.00"
    assert data["needs_published"] == 0 and data["by_field"] == {} and data["by_channel"] == {}


# --- the organizer's pages --------------------------------------------------------------------------

def page(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_statistics_page_shows_the_figures_and_svg_charts(client, login, organizer, built):
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/statistics")
    assert response.status_code == 200
    html = page(response)
    assert re.search(r'data-stat="contract_amount_signed">4,500.00 万元<', html)
    assert "45,000,000.00 元" in html
    assert re.search(r'data-stat="contract_amount_issued">7,250.00 万元<', html)
    assert re.search(r'data-stat="contracts_signed">1<', html) and re.search(r'data-stat="winners">2<', html)
    assert re.search(r'data-stat="payments_received">300.00 万元<', html)
    assert html.count("<svg") >= 3 and 'data-chart="chart-1"' in html
    assert "新材料及应用" in html and YUXIAO in html
    assert "<script" not in html.split("</main>")[0] and "http://" not in html and "https://" not in html


def test_statistics_page_links_from_the_judging_nav_and_dashboard(client, login, organizer, built):
    login(organizer)
    dashboard = page(client.get("/organizer/"))
    assert "/organizer/editions/CIC8-NB/statistics" in dashboard
    assert "已签订合同 1 份，签约金额 4,500.00 万元" in dashboard


@pytest.mark.parametrize("url", [f"/organizer/editions/NOPE/{page}" for page in PAGES])
def test_unknown_edition_is_404(client, login, organizer, url):
    login(organizer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [f"/organizer/editions/CIC8-NB/{page}" for page in PAGES])
def test_only_organizers_see_statistics_and_exports(client, login, make_user, edition, url):
    login(make_user(Role.FIRM))
    assert client.get(url).status_code == 403


def test_registration_export_has_one_row_per_signed_contract(client, login, organizer, built):
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/registration.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert quote("CIC8-NB-技术合同登记.xlsx") in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header == (
        "合同登记编号", "合同编号", "项目名称", "合同类型代码", "技术领域代码", "知识产权类别代码", "社会经济目标代码",
        "合同有效期限", "签订日期", "卖方（乙方）名称", "卖方（乙方）统一社会信用代码", "卖方（乙方）国别代码",
        "卖方（乙方）行政区划代码", "卖方（乙方）性质代码", "买方（甲方）名称", "买方（甲方）统一社会信用代码",
        "买方（甲方）国别代码", "买方（甲方）行政区划代码", "买方（甲方）性质代码", "成交金额（元）", "技术交易额（元）",
        "核定技术交易额（元）", "登记日期")
    assert all(cell.font.bold for cell in sheet[1])
    assert len(rows) == 2  # the issued and the void contracts are not registered
    row = dict(zip(header, rows[1]))
    assert row["合同登记编号"] == "20263302030001" and row["核定技术交易额（元）"] == 44000000
    assert row["合同编号"] == "CIC8-NB-2026-001-V2"
    assert row["项目名称"] == "注塑件在线视觉检测"
    assert row["合同类型代码"] == "11"  # 技术开发（委托开发）
    assert row["合同有效期限"] == "2026-07-01 至 2027-06-30"
    assert row["签订日期"].date() == date(2026, 7, 8)
    assert (row["买方（甲方）名称"], row["买方（甲方）国别代码"], row["买方（甲方）行政区划代码"],
            row["买方（甲方）性质代码"]) == ("宁波甬江智能装备有限公司", "156", "330212", "160")
    assert (row["卖方（乙方）名称"], row["卖方（乙方）行政区划代码"], row["卖方（乙方）性质代码"]) == (
        "宁波大学", "330203", "022")
    assert row["成交金额（元）"] == 45000000 and row["技术交易额（元）"] == 44000000


@pytest.mark.parametrize("party, code", [
    ({"kind": "university"}, "022"), ({"kind": "institute"}, "021"), ({"kind": "medical"}, "023"),
    ({"kind": "enterprise", "nature_code": "160"}, "160"), ({"kind": "enterprise"}, ""),
    ({"kind": "university", "nature_code": "022"}, "022"), ({}, "")])
def test_nature_codes_of_the_registration_form(party, code):
    from contest.services.contracts.registration import nature_code

    assert nature_code(party) == code


def test_contracts_pdf_download_is_the_issued_documents_in_number_order(client, login, organizer, db, built):
    built["signed"].pdf = blank_pdf(2, 201)
    built["issued"].pdf = blank_pdf(3, 202)
    db.session.commit()
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/contracts.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    widths = [round(float(p.mediabox.width)) for p in PdfReader(io.BytesIO(response.data)).pages]
    assert widths == [201, 201, 202, 202, 202]


def test_contracts_pdf_without_issued_contracts_is_refused(client, login, organizer, edition):
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/contracts.pdf")
    assert response.status_code == 400
    assert "尚无已出具的合同" in page(response)


def test_bar_chart_scales_to_the_largest_value_and_elides_long_labels():
    from contest.organizer.contracts.statistics import CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, bar_chart

    chart = bar_chart("签约金额", ["金额"], [("宁波市模具行业协会技术市场", [Decimal("500")]), ("北仑区科技大市场", [Decimal("250")]),
                                          ("海洋", [0])])
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [row.bars[0].width for row in chart.rows] == [plot, plot / 2, 0]
    assert [row.label for row in chart.rows] == ["宁波市模…技术市场", "北仑区科技大市场", "海洋"]
    assert chart.rows[0].full_label == "宁波市模具行业协会技术市场"
    assert chart.rows[1].bars[0].y > chart.rows[0].bars[0].y and chart.height > chart.rows[2].bars[0].y
    assert bar_chart("空", ["金额"], []).rows == []


# --- the batch as a ZIP: the stored PDFs, one at a time, in number order ------------------------------------

def zip_entries(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_contracts_zip_holds_each_issued_document_as_stored_in_number_order(client, login, organizer, db, built):
    built["signed"].pdf = blank_pdf(2, 201)
    built["issued"].pdf = blank_pdf(3, 202)
    db.session.commit()
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/contracts.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert quote("CIC8-NB-合同汇总.zip") in response.headers["Content-Disposition"]
    assert zip_entries(response.data) == [("0001-CIC8-NB-2026-001-V2.pdf", built["signed"].pdf),
                                          ("0002-CIC8-NB-2026-002.pdf", built["issued"].pdf)]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        assert archive.infolist()[0].date_time == (2026, 7, 1, 8, 0, 0)  # issued at 00:00 UTC, 08:00 Beijing


def test_contracts_zip_without_issued_contracts_is_refused(client, login, organizer, edition):
    login(organizer)
    response = client.get("/organizer/editions/CIC8-NB/contracts.zip")
    assert response.status_code == 400
    assert "尚无已出具的合同" in page(response)


@pytest.mark.parametrize("role, status", [(Role.FIRM, 403), (Role.TEAM, 403), (Role.JUDGE, 403)])
def test_only_organizers_download_the_zip(client, login, make_user, edition, role, status):
    login(make_user(role))
    assert client.get("/organizer/editions/CIC8-NB/contracts.zip").status_code == status


def test_contracts_zip_of_an_unknown_edition_is_404(client, login, organizer):
    login(organizer)
    assert client.get("/organizer/editions/NOPE/contracts.zip").status_code == 404


def test_statistics_page_prints_the_contracts_as_a_job_giving_the_same_zip(client, login, organizer, db, built):
    built["signed"].pdf = blank_pdf(2, 201)
    built["issued"].pdf = blank_pdf(3, 202)
    db.session.commit()
    login(organizer)
    html = page(client.get("/organizer/editions/CIC8-NB/statistics"))
    assert 'action="/organizer/editions/CIC8-NB/contracts-print"' in html and "批量打印合同（ZIP）" in html
    response = client.post("/organizer/editions/CIC8-NB/contracts-print", follow_redirects=True)
    assert response.status_code == 200 and "已汇总 2 份合同" in page(response)
    result = re.search(r'href="(/organizer/jobs/\d+/result)"', page(response)).group(1)
    download = client.get(result)
    assert download.mimetype == "application/zip"
    assert download.data == client.get("/organizer/editions/CIC8-NB/contracts.zip").data


def test_write_contracts_zip_reads_the_pdfs_a_few_at_a_time_and_tells_its_progress(app, db, built):
    """Never every PDF at once: the stored documents come through a cursor fetching FETCH_PDFS rows a time."""
    from contest.services.contracts import batch

    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, dict(context.execution_options)))

    db.session.expire_all()
    edition = db.session.get(Edition, built["signed"].edition_id)
    calls = []
    out = io.BytesIO()
    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        count = batch.write_contracts_zip(edition, out, lambda done, total: calls.append((done, total)))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert count == 2 and calls == [(1, 2), (2, 2)]
    assert [name for name, _content in zip_entries(out.getvalue())] == ["0001-CIC8-NB-2026-001-V2.pdf",
                                                                       "0002-CIC8-NB-2026-002.pdf"]
    reading_pdfs = [options for statement, options in seen if re.search(r"contract\.pdf\b(?! IS)", statement)]
    assert len(seen) == 2 and len(reading_pdfs) == 1
    assert reading_pdfs[0].get("yield_per") == batch.FETCH_PDFS


def test_write_contracts_zip_refuses_a_contract_without_its_pdf_before_writing(app, db, built):
    from contest.domain.errors import Invalid
    from contest.services.contracts import batch

    built["issued"].pdf = None
    db.session.flush()
    out = io.BytesIO()
    with pytest.raises(Invalid) as refused:
        batch.write_contracts_zip(built["issued"].edition, out)
    assert refused.value.message_id == "contract.batch.pdf_missing" and "CIC8-NB-2026-002" in refused.value.message
    assert out.getvalue() == b""
