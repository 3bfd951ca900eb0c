"""Exports for the organizer: every submitted score sheet of an edition as a table (CSV, XLSX), and
the plain-value context of a need's printable on-site score sheet."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ...domain.rubric import Round
from ...domain.states import BidStatus, Role, SheetStatus
from ...extensions import db
from ...models import Bid, Edition, Need, PanelMember, Rubric, ScoreSheet
from .. import clock
from ..files.spreadsheet import workbook_bytes
from .codes import judge_codes
from .rubrics import rubric_for

ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}
ROUND_ORDER = (Round.ONLINE, Round.ONSITE)
# A text cell starting with one of these is a formula to Excel (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | Decimal | datetime | None


def _points_label(points: Decimal) -> str:
    """30 for 30.0, 12.5 for 12.5 (normalize() alone would print 3E+1)."""
    return f"{points.normalize():f}"


def _criterion_columns(edition: Edition) -> list[tuple[int, str]]:
    """(criterion id, column label) for both rounds' criteria: online first, in rubric order."""
    rubrics = {r.round: r for r in db.session.scalars(
        sa.select(Rubric).where(Rubric.edition_id == edition.id).options(selectinload(Rubric.criteria)))}
    return [(c.id, f"{ROUND_NAMES[round_]}-{c.name}（{_points_label(c.max_points)}）")
            for round_ in ROUND_ORDER if round_ in rubrics for c in rubrics[round_].criteria]


def _submitted_sheets(edition: Edition) -> list[ScoreSheet]:
    """The edition's submitted sheets with their bid, team, need, judge and points, in one go."""
    sheets = db.session.scalars(
        sa.select(ScoreSheet).join(ScoreSheet.bid).join(Bid.need)
        .where(Need.edition_id == edition.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(contains_eager(ScoreSheet.bid).contains_eager(Bid.need),
                 contains_eager(ScoreSheet.bid).joinedload(Bid.team),
                 joinedload(ScoreSheet.judge), selectinload(ScoreSheet.items))
    ).unique().all()
    return sorted(sheets, key=lambda s: (s.bid.need_id, s.bid_id, ROUND_ORDER.index(s.round), s.judge_id))


def _judge_label(sheet: ScoreSheet, codes: dict[int, str] | None) -> str:
    if sheet.judge.role == Role.FIRM:  # the firm's own representative on an on-site panel
        return _("企业代表") if codes is not None else _("%(name)s（企业代表）", name=sheet.judge.display_name)
    if codes is not None:
        return codes.get(sheet.judge_id, _("专家"))
    return sheet.judge.display_name


def score_rows(edition: Edition, *, judges_by_code: bool) -> tuple[list[str], list[list[Cell]]]:
    """One row per submitted score sheet of the edition (both rounds), every criterion a column.

    Judges appear by name for the organizer, by code (专家A…) in anything a firm may see.
    """
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
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_text(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows: list[list[Cell]]) -> bytes:
    """An Excel workbook: bold frozen header, filters, points as numbers with one decimal."""
    return workbook_bytes(_("评分明细"), header, rows, _put, filters=True)


def _put(cell, value: Cell) -> None:
    """One cell: Decimals stay exact numbers (openpyxl writes them as numbers), text is never a formula."""
    if isinstance(value, Decimal):
        cell.value, cell.number_format = value, "0.0"
    elif isinstance(value, datetime):
        cell.value, cell.number_format = value, "yyyy-mm-dd hh:mm"
    elif isinstance(value, int):
        cell.value = value
    elif value is not None:
        cell.value = str(value)
        cell.data_type = "s"


# The printable on-site score sheet ------------------------------------------------------------

def score_sheet_context(need_id: int) -> dict | None:
    """Plain values for a need's on-site score sheet: one page per panel member (a blank one while
    the panel is not set), finalists as rows, the on-site criteria as columns, submitted points filled in."""
    need = db.session.scalar(sa.select(Need).where(Need.id == need_id)
                             .options(joinedload(Need.edition), joinedload(Need.firm)))
    if need is None:
        return None
    criteria = [{"id": c.id, "name": c.name, "description": c.description, "max_points": c.max_points,
                 "max_label": _points_label(c.max_points)}
                for c in rubric_for(need.edition_id, Round.ONSITE).criteria]
    finalists = _finalists(need.id)
    points = _onsite_points(need.id)
    members = db.session.scalars(sa.select(PanelMember).where(PanelMember.need_id == need.id)
                                 .options(joinedload(PanelMember.user))).all()
    members = sorted(members, key=lambda m: (m.firm_representative, m.user_id))
    pages = [_panel_page(m.user_id, m.user.display_name, m.firm_representative, finalists, criteria, points)
             for m in members] or [_panel_page(None, "", False, finalists, criteria, points)]
    return {
        "edition_name": need.edition.name, "edition_code": need.edition.code,
        "need_id": need.id, "need_name": need.name, "firm_name": need.firm.name,
        "final_date": need.edition.final_date, "criteria": criteria, "pages": pages,
        "max_total": _points_label(sum((c["max_points"] for c in criteria), Decimal("0"))),
        "printed_on": clock.beijing_date(clock.now()),
    }


def _finalists(need_id: int) -> list[dict]:
    """The need's finalists: bids in the final, its winner, and any bid already scored on site."""
    onsite = sa.select(ScoreSheet.bid_id).where(ScoreSheet.round == Round.ONSITE)
    bids = db.session.scalars(
        sa.select(Bid).where(Bid.need_id == need_id,
                             sa.or_(Bid.status.in_((BidStatus.FINALIST, BidStatus.WINNER)), Bid.id.in_(onsite)))
        .options(joinedload(Bid.team)).order_by(Bid.id)
    ).all()
    return [{"bid_id": b.id, "team_name": b.team.name} for b in bids]


def _onsite_points(need_id: int) -> dict[tuple[int, int], dict[int, Decimal]]:
    """{(judge id, bid id): {criterion id: points}} of the need's submitted on-site sheets."""
    sheets = db.session.scalars(
        sa.select(ScoreSheet).join(Bid, Bid.id == ScoreSheet.bid_id)
        .where(Bid.need_id == need_id, ScoreSheet.round == Round.ONSITE, ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(selectinload(ScoreSheet.items))
    ).all()
    return {(s.judge_id, s.bid_id): {i.criterion_id: i.points for i in s.items} for s in sheets}


def _panel_page(user_id: int | None, name: str, firm_rep: bool, finalists: list[dict], criteria: list[dict],
                points: dict) -> dict:
    rows = []
    for finalist in finalists:
        given = points.get((user_id, finalist["bid_id"]))
        cells = [given.get(c["id"]) if given else None for c in criteria]
        total = sum((c for c in cells if c is not None), Decimal("0")) if given else None
        rows.append({**finalist, "points": cells, "total": total})
    return {"member_name": name, "firm_representative": firm_rep, "rows": rows}
