"""Exports for the organizer: the score table as CSV and XLSX, the printable on-site score sheet (PDF),
and the PDF renderer's URL fetcher that loads nothing but the site's static files."""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from contest.domain.rubric import Round
from contest.domain.states import BidStatus, NeedStatus, Role, SheetStatus
from contest.models import PanelMember, ScoreItem, ScoreSheet
from contest.pdf import StaticFetcher, render_pdf, render_pdf_string
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for
from tests.test_contract_document import embedded_font_files

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


# --- streamed exports: equal to the in-memory reference, bounded whatever the size -------------------------

def xlsx_cells(content: bytes) -> dict:
    """Everything a reader of the workbook sees: each cell's value, type, format and weight, and the sheet's
    title, frozen panes, filter and column widths."""
    sheet = load_workbook(io.BytesIO(content)).active
    return {
        "cells": [[(c.value, c.data_type, c.number_format, bool(c.font.b)) for c in row]
                  for row in sheet.iter_rows()],
        "title": sheet.title, "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
        "widths": {key: dim.width for key, dim in sheet.column_dimensions.items()},
    }


def test_the_download_is_the_reference_export(client, app, judged, organizer):
    from tests import reference_exports as reference

    edition = judged["need_one"].edition
    for query, by_code in (("", False), ("?codes=1", True)):
        with app.test_request_context():
            header, rows = reference.score_rows(edition, judges_by_code=by_code)
            expected_csv, expected_xlsx = reference.to_csv(header, rows), reference.to_xlsx(header, rows)
        assert client.get(CSV_URL + query).get_data() == expected_csv
        assert xlsx_cells(client.get(XLSX_URL + query).get_data()) == xlsx_cells(expected_xlsx)


def test_streamed_export_tells_its_progress_every_few_thousand_rows(app, judged, monkeypatch):
    from contest.services.judging import exports

    edition = judged["need_one"].edition
    calls = []
    with app.test_request_context():
        assert exports.write_scores_csv(edition, io.BytesIO(), judges_by_code=False,
                                        progress=lambda done, total: calls.append((done, total))) == 6
        assert calls == [(0, 6), (6, 6)]  # the total at once, then the end
        monkeypatch.setattr(exports, "PROGRESS_EVERY", 4)
        calls.clear()
        exports.write_scores_xlsx(edition, io.BytesIO(), judges_by_code=True,
                                  progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 6), (4, 6), (6, 6)]


def test_streamed_export_reads_rows_not_objects_in_a_fixed_number_of_streamed_statements(
        app, db, judged, make_bid, make_team):
    """No ORM object per row, the same statements for 6 rows or 12, and the table read through a cursor that
    fetches a batch at a time (a server-side cursor on PostgreSQL)."""
    from contest.services.judging import exports

    edition = judged["need_one"].edition

    def export() -> tuple[int, int, list[dict]]:
        db.session.expire_all()
        loaded, statements = [], []

        def on_load(target, context):
            loaded.append(type(target).__name__)

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append({"sql": statement, "options": dict(context.execution_options)})

        sa.event.listen(db.Model, "load", on_load, propagate=True)
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            with app.test_request_context():
                rows = exports.write_scores_csv(edition, io.BytesIO(), judges_by_code=True,
                                                progress=lambda done, total: None)
        finally:
            sa.event.remove(db.Model, "load", on_load)
            sa.event.remove(db.engine, "before_cursor_execute", before)
        return rows, len(loaded), statements

    rows_before, loaded_before, statements_before = export()
    judge_a, judge_b = judged["judges"]
    for _n in range(3):
        bid = make_bid(judged["need_two"], team=make_team())
        for judge in (judge_a, judge_b):
            db.session.add(ScoreSheet(round=Round.ONLINE, bid_id=bid.id, judge_id=judge.id,
                                      status=SheetStatus.SUBMITTED, submitted_at=datetime(2026, 5, 11),
                                      items=[ScoreItem(criterion_id=c.id, points=Decimal("5"))
                                             for c in judged["online"]]))
    db.session.flush()
    rows_after, loaded_after, statements_after = export()
    assert (rows_before, rows_after) == (6, 12)
    assert 0 < loaded_after == loaded_before  # the rubrics and criteria (for the header), never a sheet
    assert len(statements_after) == len(statements_before)
    streamed = [s for s in statements_after if "GROUP BY" in s["sql"] and "score_sheet" in s["sql"]]
    assert len(streamed) == 1
    assert streamed[0]["options"].get("yield_per") == exports.FETCH_ROWS


def test_workbook_text_is_never_a_formula_and_numbers_keep_their_format():
    from contest.services.files.spreadsheet import Formatted, write_workbook

    def typed(value):
        return Formatted(value, "0.0") if isinstance(value, Decimal) else value

    rows = [["=1+1", Decimal("8.5"), "#N/A"], ["@SUM(A1)", Decimal("9.0"), "普通文字"], [None, 3, "=HYPERLINK(\"x\")"]]
    out = io.BytesIO()
    write_workbook(out, "表", ["甲", "乙", "丙"], rows, typed)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    cells = [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells == [[("=1+1", "s", "General"), (8.5, "n", "0.0"), ("#N/A", "s", "General")],
                     [("@SUM(A1)", "s", "General"), (9, "n", "0.0"), ("普通文字", "s", "General")],
                     [(None, "n", "General"), (3, "n", "General"), ('=HYPERLINK("x")', "s", "General")]]


def test_workbook_columns_are_sized_from_the_header_and_the_first_rows():
    from openpyxl.utils import get_column_letter

    from contest.services.files.spreadsheet import MAX_WIDTH, write_workbook

    def typed(value):
        return value

    rows = [["短", 1]] * 3 + [["很长很长很长的文字" * 10, 2]]
    out = io.BytesIO()
    assert write_workbook(out, "表", ["名称", "数"], iter(rows), typed, width_sample=3) == 4
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [sheet.column_dimensions[get_column_letter(i)].width for i in (1, 2)] == [6, 4]  # 名称 is 4 wide
    assert sheet.max_row == 5 and sheet.cell(row=5, column=1).value == rows[3][0]
    out = io.BytesIO()
    write_workbook(out, "表", ["名称", "数"], rows, typed)
    assert load_workbook(io.BytesIO(out.getvalue())).active.column_dimensions["A"].width == MAX_WIDTH


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases):
    """The seeded demo (CIC8-NB judged: a few hundred submitted sheets of both rounds), once for this module."""
    from tests.conftest import seeded_demo

    with seeded_demo(tmp_path_factory.mktemp("demo-exports"), databases) as (app, _output):
        yield app


@pytest.mark.parametrize("by_code", [False, True], ids=["names", "codes"])
def test_streamed_exports_equal_the_in_memory_reference_on_the_demo(demo_app, by_code):
    from contest.extensions import db as _db
    from contest.models import Edition
    from contest.services.judging import exports
    from tests import reference_exports as reference

    with demo_app.app_context(), demo_app.test_request_context():
        edition = _db.session.scalar(sa.select(Edition).where(Edition.code == "CIC8-NB"))
        header, rows = reference.score_rows(edition, judges_by_code=by_code)
        expected_csv, expected_xlsx = reference.to_csv(header, rows), reference.to_xlsx(header, rows)
        streamed_csv, streamed_xlsx = io.BytesIO(), io.BytesIO()
        assert exports.write_scores_csv(edition, streamed_csv, judges_by_code=by_code) == len(rows)
        assert exports.write_scores_xlsx(edition, streamed_xlsx, judges_by_code=by_code) == len(rows)
        in_memory = exports.score_rows(edition, judges_by_code=by_code)
        _db.session.remove()
    assert len(rows) > 300 and {row[5] for row in rows} == {"初评", "现场赛"}
    assert streamed_csv.getvalue() == expected_csv
    assert xlsx_cells(streamed_xlsx.getvalue()) == xlsx_cells(expected_xlsx)
    # The in-memory interface, kept for its callers, gives the same table and the same files.
    assert in_memory == (header, rows)
    assert exports.to_csv(*in_memory) == expected_csv
    assert xlsx_cells(exports.to_xlsx(*in_memory)) == xlsx_cells(expected_xlsx)


# --- PDFs: two font faces, WeasyPrint only when a PDF is made ----------------------------------------------


def test_the_score_sheet_embeds_two_font_faces_at_most(client, judged, organizer):
    fonts = embedded_font_files(client.get(f"/organizer/needs/{judged['need_one'].id}/score-sheet.pdf").get_data())
    assert 1 <= len(fonts) <= 2, fonts


def test_creating_the_app_does_not_import_weasyprint(tmp_path):
    """WeasyPrint takes seconds to import: it is loaded when a PDF is made, never by create_app()."""
    script = ("import sys, contest\n"
              "app = contest.create_app({'TESTING': True, 'SECRET_KEY': 't', 'UPLOAD_FOLDER': sys.argv[1],\n"
              "                          'SQLALCHEMY_DATABASE_URI': 'sqlite:///' + sys.argv[1] + '/c.sqlite'})\n"
              "assert app.url_map.bind('localhost').build('organizer.score_sheet_pdf', {'need_id': 1})\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))\n")
    env = {**os.environ, "CONTEST_INSTANCE": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
