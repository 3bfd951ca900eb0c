"""The score export as it was built in memory before it was streamed (contest/services/judging/exports.py and
contest/services/files/spreadsheet.py at commit c090278): ORM objects, the whole table in lists, an openpyxl
workbook in memory. Kept, like tests/domain/reference_assignment.py, as the reference the streamed writers
must equal on the demo: byte for byte for CSV, cell for cell for XLSX. Not to be used by the app.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from contest.domain.rubric import Round
from contest.domain.states import Role, SheetStatus
from contest.extensions import db
from contest.models import Bid, Edition, Need, Rubric, ScoreSheet
from contest.services import clock
from contest.services.judging.codes import judge_codes

ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}
ROUND_ORDER = (Round.ONLINE, Round.ONSITE)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 50

Cell = str | int | Decimal | datetime | None


def text_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def workbook_bytes(title, header, rows, put, *, filters: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row):
            put(cell, value)
    sheet.freeze_panes = "A2"
    if filters:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(zip(header, *rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(map(text_width, column)) + 2, MAX_WIDTH)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _points_label(points: Decimal) -> str:
    return f"{points.normalize():f}"


def _criterion_columns(edition: Edition) -> list[tuple[int, str]]:
    rubrics = {r.round: r for r in db.session.scalars(
        sa.select(Rubric).where(Rubric.edition_id == edition.id).options(selectinload(Rubric.criteria)))}
    return [(c.id, f"{ROUND_NAMES[round_]}-{c.name}（{_points_label(c.max_points)}）")
            for round_ in ROUND_ORDER if round_ in rubrics for c in rubrics[round_].criteria]


def _submitted_sheets(edition: Edition) -> list[ScoreSheet]:
    sheets = db.session.scalars(
        sa.select(ScoreSheet).join(ScoreSheet.bid).join(Bid.need)
        .where(Need.edition_id == edition.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(contains_eager(ScoreSheet.bid).contains_eager(Bid.need),
                 contains_eager(ScoreSheet.bid).joinedload(Bid.team),
                 joinedload(ScoreSheet.judge), selectinload(ScoreSheet.items))
    ).unique().all()
    return sorted(sheets, key=lambda s: (s.bid.need_id, s.bid_id, ROUND_ORDER.index(s.round), s.judge_id))


def _judge_label(sheet: ScoreSheet, codes: dict[int, str] | None) -> str:
    if sheet.judge.role == Role.FIRM:
        return _("企业代表") if codes is not None else _("%(name)s（企业代表）", name=sheet.judge.display_name)
    if codes is not None:
        return codes.get(sheet.judge_id, _("专家"))
    return sheet.judge.display_name


def score_rows(edition: Edition, *, judges_by_code: bool) -> tuple[list[str], list[list[Cell]]]:
    columns = _criterion_columns(edition)
    codes = judge_codes(edition) if judges_by_code else None
    header = [_("届次"), _("需求编号"), _("需求名称"), _("挑战报告编号"), _("揭榜团队"), _("轮次"), _("评审专家"),
              *(label for _id, label in columns), _("总分"), _("评语"), _("提交时间（北京时间）")]
    rows: list[list[Cell]] = []
    for sheet in _submitted_sheets(edition):
        points = {item.criterion_id: item.points for item in sheet.items}
        bid = sheet.bid
        rows.append([
            edition.code, bid.need_id, bid.need.name, bid.id, bid.team.name, str(ROUND_NAMES[sheet.round]),
            _judge_label(sheet, codes), *(points.get(cid) for cid, _label in columns), sheet.total,
            sheet.comment, clock.to_beijing(sheet.submitted_at) if sheet.submitted_at else None,
        ])
    return header, rows


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: list[str], rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_text(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows: list[list[Cell]]) -> bytes:
    return workbook_bytes(_("评分明细"), header, rows, _put, filters=True)


def _put(cell, value: Cell) -> None:
    if isinstance(value, Decimal):
        cell.value, cell.number_format = value, "0.0"
    elif isinstance(value, datetime):
        cell.value, cell.number_format = value, "yyyy-mm-dd hh:mm"
    elif isinstance(value, int):
        cell.value = value
    elif value is not None:
        cell.value = str(value)
        cell.data_type = "s"
