"""Exports for the organizer: the score table as CSV and XLSX, the printable on-site score sheet (PDF),
and the PDF renderer's URL fetcher that loads nothing but the site's static files."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from contest.domain.rubric import Round
from contest.domain.states import BidStatus, NeedStatus, Role, SheetStatus
from contest.models import PanelMember, ScoreItem, ScoreSheet
from contest.pdf import StaticFetcher, render_pdf, render_pdf_string
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

NEED_ONE, NEED_TWO = "高精度注塑件在线视觉检测", "海水淡化反渗透膜抗污染改性"
TEAM_ONE, TEAM_TWO, TEAM_THREE = "甬江视觉团队", "=HYPERLINK(\"http://evil\")", "东海膜材料团队"
CSV_URL, XLSX_URL = "/organizer/editions/CIC8-NB/scores.csv", "/organizer/editions/CIC8-NB/scores.xlsx"


def points_for(criteria, offset: str) -> list[Decimal]:
    """Distinct points per criterion, within each maximum, with a decimal."""
    return [(c.max_points * Decimal("0.8") - Decimal(offset) - i).quantize(Decimal("0.1"))
            for i, c in enumerate(criteria)]


@pytest.fixture
def judged(db, edition, make_user, make_need, make_team, make_bid):
    """Two needs; need one in its final with a two-member panel (an expert and the firm's representative)."""
    ensure_default_rubrics(edition)
    online, onsite = rubric_for(edition.id, Round.ONLINE).criteria, rubric_for(edition.id, Round.ONSITE).criteria
    judge_a, judge_b = make_user(Role.JUDGE), make_user(Role.JUDGE)
    judge_a.display_name, judge_b.display_name = "王建国", "李秀英"
    firm_user = make_user(Role.FIRM)
    representative = make_user(Role.FIRM, org=firm_user.organization)
    representative.display_name = "陈经理"
    need_one = make_need(name=NEED_ONE, status=NeedStatus.FINAL, firm=firm_user)
    need_two = make_need(name=NEED_TWO, status=NeedStatus.IN_REVIEW)
    bid_one = make_bid(need_one, team=make_team(name=TEAM_ONE), status=BidStatus.FINALIST)
    bid_two = make_bid(need_one, team=make_team(name=TEAM_TWO), status=BidStatus.FINALIST)
    bid_three = make_bid(need_two, team=make_team(name=TEAM_THREE))
    db.session.add_all([PanelMember(need_id=need_one.id, user_id=judge_a.id),
                        PanelMember(need_id=need_one.id, user_id=representative.id, firm_representative=True)])
    sheets = []

    def sheet(bid, judge, round_, criteria, offset, status=SheetStatus.SUBMITTED):
        points = points_for(criteria, offset)
        row = ScoreSheet(round=round_, bid_id=bid.id, judge_id=judge.id, status=status, comment=f"评语{offset}",
                         submitted_at=datetime(2026, 5, 10, 2, 30) if status == SheetStatus.SUBMITTED else None,
                         items=[ScoreItem(criterion_id=c.id, points=p) for c, p in zip(criteria, points)])
        db.session.add(row)
        if status == SheetStatus.SUBMITTED:
            sheets.append((bid.id, round_, judge.display_name, points))

    sheet(bid_one, judge_a, Round.ONLINE, online, "0")
    sheet(bid_one, judge_b, Round.ONLINE, online, "1.5")
    sheet(bid_two, judge_a, Round.ONLINE, online, "2")
    sheet(bid_two, judge_b, Round.ONLINE, online, "3", status=SheetStatus.DRAFT)  # drafts are not exported
    sheet(bid_three, judge_b, Round.ONLINE, online, "0.5")
    sheet(bid_one, judge_a, Round.ONSITE, onsite, "1")
    sheet(bid_one, representative, Round.ONSITE, onsite, "2.5")
    db.session.flush()
    return {"sheets": sheets, "online": online, "onsite": onsite, "need_one": need_one, "need_two": need_two,
            "judges": (judge_a, judge_b), "representative": representative}


@pytest.fixture
def organizer(make_user, login):
    return login(make_user(Role.ORGANIZER))


def parse_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def column(header: list[str], round_name: str, criterion) -> int:
    return header.index(f"{round_name}-{criterion.name}（{criterion.max_points.normalize():f}）")


def test_csv_has_one_row_per_submitted_sheet_with_every_criterion(client, judged, organizer):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and quote("CIC8-NB-评分明细.csv") in disposition
    header, *rows = parse_csv(response)
    assert "初评-技术创新性（30）" in header and "现场赛-现场答辩（15）" in header
    assert len(rows) == len(judged["sheets"]) == 6
    bid_col, round_col, judge_col = header.index("挑战报告编号"), header.index("轮次"), header.index("评审专家")
    found = {(int(r[bid_col]), r[round_col], r[judge_col]): r for r in rows}
    for bid_id, round_, judge, points in judged["sheets"]:
        round_name = "初评" if round_ == Round.ONLINE else "现场赛"
        judge_label = judge if judge != "陈经理" else "陈经理（企业代表）"
        row = found[(bid_id, round_name, judge_label)]
        criteria = judged["online"] if round_ == Round.ONLINE else judged["onsite"]
        other = judged["onsite"] if round_ == Round.ONLINE else judged["online"]
        other_name = "现场赛" if round_ == Round.ONLINE else "初评"
        assert [Decimal(row[column(header, round_name, c)]) for c in criteria] == points
        assert all(row[column(header, other_name, c)] == "" for c in other)
        assert Decimal(row[header.index("总分")]) == sum(points)
        assert row[header.index("提交时间（北京时间）")] == "2026-05-10 10:30"
        assert row[0] == "CIC8-NB"
    names = {r[header.index("需求名称")] for r in rows}
    assert names == {NEED_ONE, NEED_TWO}
    # A team name that looks like a formula stays text in Excel.
    assert "'" + TEAM_TWO in {r[header.index("揭榜团队")] for r in rows}


def test_xlsx_holds_the_same_table_with_numbers(client, judged, organizer):
    csv_rows = parse_csv(client.get(CSV_URL))
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert quote("CIC8-NB-评分明细.xlsx") in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == csv_rows[0]
    assert len(rows) == len(csv_rows) - 1 == 6
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    points_col = header.index("初评-技术创新性（30）") + 1
    first_points = sheet.cell(row=2, column=points_col)
    assert isinstance(first_points.value, (int, float)) and first_points.number_format == "0.0"
    total_col = header.index("总分")
    for xlsx_row, csv_row in zip(rows, csv_rows[1:]):
        assert isinstance(xlsx_row[total_col], (int, float))
        assert Decimal(str(xlsx_row[total_col])) == Decimal(csv_row[total_col])
        for value, text in zip(xlsx_row[7:total_col], csv_row[7:total_col]):
            assert (value is None and text == "") or Decimal(str(value)) == Decimal(text)
    team_col = header.index("揭榜团队") + 1
    cells = [sheet.cell(row=r, column=team_col) for r in range(2, sheet.max_row + 1)]
    assert {c.data_type for c in cells} == {"s"}  # never a formula, even for "=HYPERLINK(…)"
    assert TEAM_TWO in {c.value for c in cells}


@pytest.mark.parametrize("url", [CSV_URL + "?codes=1", XLSX_URL + "?codes=1"])
def test_codes_variant_shows_judges_by_code_only(client, judged, organizer, url):
    response = client.get(url)
    assert response.status_code == 200
    assert quote("评分明细（专家代码）") in response.headers["Content-Disposition"]
    if url.startswith(CSV_URL):
        header, *rows = parse_csv(response)
    else:
        header, *rows = [list(r) for r in load_workbook(io.BytesIO(response.get_data())).active.iter_rows(
            values_only=True)]
    everything = " ".join(str(v) for row in [header, *rows] for v in row)
    for name in ("王建国", "李秀英", "陈经理"):
        assert name not in everything
    judges = [r[header.index("评审专家")] for r in rows]
    # 王建国 was created first: 专家A; the firm's representative is no expert and gets no letter.
    assert sorted(set(judges)) == ["专家A", "专家B", "企业代表"]
    bid_col = header.index("挑战报告编号")
    need_two_row = next(r for r in rows if r[header.index("需求名称")] == NEED_TWO)
    assert need_two_row[header.index("评审专家")] == "专家B" and need_two_row[bid_col] is not None


def test_score_rows_run_a_constant_number_of_queries(app, db, judged, count_queries, make_bid, make_team):
    from contest.services.judging.exports import score_rows

    edition = judged["need_one"].edition

    def queries() -> int:
        db.session.expire_all()
        with app.test_request_context(), count_queries() as statements:
            _header, rows = score_rows(edition, judges_by_code=True)
        return len(statements), len(rows)

    before, rows_before = queries()
    judge_a, judge_b = judged["judges"]
    for _n in range(3):
        bid = make_bid(judged["need_two"], team=make_team())
        for judge in (judge_a, judge_b):
            db.session.add(ScoreSheet(round=Round.ONLINE, bid_id=bid.id, judge_id=judge.id,
                                      status=SheetStatus.SUBMITTED, submitted_at=datetime(2026, 5, 11),
                                      items=[ScoreItem(criterion_id=c.id, points=Decimal("5"))
                                             for c in judged["online"]]))
    db.session.flush()
    after, rows_after = queries()
    assert rows_after == rows_before + 6
    assert after == before


def pdf_fonts(reader: PdfReader) -> list:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0].get_object() if descendants else font)
    return fonts


def test_onsite_score_sheet_pdf_one_page_per_panel_member(client, judged, organizer):
    need = judged["need_one"]
    response = client.get(f"/organizer/needs/{need.id}/score-sheet.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert quote("现场赛评分表") in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 2  # 王建国, then the firm's representative 陈经理
    # Extracted text breaks lines inside table cells and spaces out the letter-spaced title.
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    text = "".join(texts)
    for expected in (NEED_ONE, "第八届中国创新挑战赛（宁波）", "现场赛评分表", TEAM_ONE, TEAM_TWO, "2026-06-10"):
        assert expected in text
    for criterion in judged["onsite"]:
        assert f"{criterion.name}（{criterion.max_points.normalize():f}分）" in text
    assert "王建国" in texts[0] and "评审专家签字" in texts[0] and "第1页共2页" in texts[0]
    assert "陈经理" in texts[1] and "企业代表签字" in texts[1] and "第2页共2页" in texts[1]
    # 王建国's submitted on-site points are printed on his page; 李秀英 is no panel member.
    mine = next(p for bid, r, judge, p in judged["sheets"] if r == Round.ONSITE and judge == "王建国")
    assert "".join(str(p) for p in [*mine, sum(mine)]) in texts[0]
    assert "".join(str(p) for p in mine) not in texts[1]
    assert "李秀英" not in text
    fonts = pdf_fonts(reader)
    assert fonts and all("CJK-SC" in str(font["/BaseFont"]) for font in fonts)  # Simplified Chinese glyphs
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.get("/BaseFont")


def test_score_sheet_without_panel_or_finalists_prints_a_blank_form(client, judged, organizer):
    response = client.get(f"/organizer/needs/{judged['need_two'].id}/score-sheet.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    text = re.sub(r"\s+", "", text)
    assert NEED_TWO in text and "暂无入围团队" in text and "评审专家签字" in text


def test_missing_edition_or_need_is_404(client, judged, organizer):
    assert client.get("/organizer/editions/NOPE/scores.csv").status_code == 404
    assert client.get("/organizer/editions/CIC8-NB/scores.pdf").status_code == 404
    assert client.get("/organizer/needs/99999/score-sheet.pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.FIRM, Role.TEAM, Role.JUDGE])
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL + "?codes=1", "/organizer/needs/{need}/score-sheet.pdf"])
def test_only_organizers_may_export(client, judged, make_user, login, role, url):
    login(make_user(role))
    response = client.get(url.format(need=judged["need_one"].id))
    assert response.status_code == 403
    assert "王建国".encode() not in response.get_data()


def test_anonymous_visitor_is_sent_to_login(client, judged, db):
    db.session.commit()
    response = client.get(CSV_URL)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


PROBE = """<!doctype html><html lang="zh-CN"><head>
<link rel="stylesheet" href="/static/css/pdf.css">
<link rel="stylesheet" href="file:///etc/passwd">
</head><body><p>探针</p>
<img src="file:///etc/passwd"><img src="http://example.com/x.png">
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
<img src="/static/../contest/config.py"><img src="/static/%2e%2e/contest/config.py">
</body></html>"""


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else(app):
    fetcher = StaticFetcher(app.static_folder)
    pdf = render_pdf_string(PROBE, url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == ["https://static.contest.invalid/static/css/pdf.css"]
    refused = " ".join(fetcher.refused)
    for url in ("file:///etc/passwd", "http://example.com/x.png", "data:image/svg+xml"):
        assert url in refused
    assert len(fetcher.refused) == 6
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "探针" in text and "root:" not in text and "SECRET_KEY" not in text
    assert b"root:x:0" not in pdf


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://example.com/x.png", "https://static.contest.invalid/etc/passwd",
    "https://static.contest.invalid/static/../contest/config.py", "https://evil.example/static/css/pdf.css",
    "https://static.contest.invalid/static/css/missing.css", "data:text/css,body{}",
])
def test_fetcher_raises_a_failed_fetch(app, url):
    from contest.pdf import RefusedURL

    fetcher = StaticFetcher(app.static_folder)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_render_pdf_refuses_orm_objects_in_its_context(app, judged):
    with app.test_request_context(), pytest.raises(TypeError):
        render_pdf("pdf/score_sheet.html", pages=[{"need": judged["need_one"]}])
