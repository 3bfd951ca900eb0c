"""Exports for the organizer: every submitted score sheet of an edition as a table (CSV, XLSX), and
the plain-value context of a need's printable on-site score sheet.

The score table of a national edition has some 118,000 rows (590,000 points): it is read by one Core
statement (one row per sheet, its points pivoted into columns by the database), streamed in batches
(a server-side cursor on PostgreSQL), and written row by row into a binary file, so memory stays bounded
and time linear. score_rows(), to_csv() and to_xlsx() keep the in-memory interface for small tables.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ...domain.rubric import Round
from ...domain.states import BidStatus, Role, SheetStatus
from ...extensions import db
from ...models import Bid, Edition, Need, PanelMember, Rubric, ScoreItem, ScoreSheet, Team, User
from .. import clock
from ..files.spreadsheet import Formatted, write_workbook
from .codes import judge_codes
from .rubrics import rubric_for

ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}
ROUND_ORDER = (Round.ONLINE, Round.ONSITE)
# A text cell starting with one of these is a formula to Excel (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff".encode("utf-8")  # so that Excel opens the Chinese text correctly
# Rows fetched per round trip while streaming, and how often progress(done, total) is told.
FETCH_ROWS = 2000
PROGRESS_EVERY = 5000

Cell = str | int | Decimal | datetime | None
Progress = Callable[[int, int], None]


def _points_label(points: Decimal) -> str:
    """30 for 30.0, 12.5 for 12.5 (normalize() alone would print 3E+1)."""
    return f"{points.normalize():f}"


def _criterion_columns(edition: Edition) -> list[tuple[int, str]]:
    """(criterion id, column label) for both rounds' criteria: online first, in rubric order."""
    rubrics = {r.round: r for r in db.session.scalars(
        sa.select(Rubric).where(Rubric.edition_id == edition.id).options(selectinload(Rubric.criteria)))}
    return [(c.id, f"{ROUND_NAMES[round_]}-{c.name}（{_points_label(c.max_points)}）")
            for round_ in ROUND_ORDER if round_ in rubrics for c in rubrics[round_].criteria]


def _submitted(edition: Edition):
    """The edition's submitted sheets, joined to their bid and need (Core tables: no ORM object per row)."""
    sheet, bid, need = ScoreSheet.__table__, Bid.__table__, Need.__table__
    return (sheet.join(bid, bid.c.id == sheet.c.bid_id).join(need, need.c.id == bid.c.need_id),
            sa.and_(need.c.edition_id == edition.id, sheet.c.status == SheetStatus.SUBMITTED))


def _sheet_statement(edition: Edition, criterion_ids: list[int]) -> sa.Select:
    """One row per submitted sheet, in (need, bid, round, judge) order, each criterion's points a column
    (NULL when the sheet has none for it) and the sum of all its points."""
    sheet, bid, need = ScoreSheet.__table__, Bid.__table__, Need.__table__
    team, judge, item = Team.__table__, User.__table__, ScoreItem.__table__
    joined, submitted = _submitted(edition)
    points = [sa.func.max(sa.case((item.c.criterion_id == cid, item.c.points))).label(f"c{n}")
              for n, cid in enumerate(criterion_ids)]
    round_order = sa.case(*((sheet.c.round == r, n) for n, r in enumerate(ROUND_ORDER)), else_=len(ROUND_ORDER))
    return (
        sa.select(need.c.id, need.c.name, bid.c.id, team.c.name, sheet.c.round, sheet.c.judge_id, judge.c.role,
                  judge.c.display_name, sheet.c.comment, sheet.c.submitted_at, sa.func.sum(item.c.points), *points)
        .select_from(joined.join(team, team.c.id == bid.c.team_id).join(judge, judge.c.id == sheet.c.judge_id)
                     .outerjoin(item, item.c.sheet_id == sheet.c.id))
        .where(submitted)
        # Every selected column depends on one of these keys (PostgreSQL checks it).
        .group_by(sheet.c.id, bid.c.id, need.c.id, team.c.id, judge.c.id)
        .order_by(need.c.id, bid.c.id, round_order, sheet.c.judge_id)
    )


def count_submitted(edition: Edition) -> int:
    """How many submitted sheets the edition has: the rows of its score table."""
    joined, submitted = _submitted(edition)
    return db.session.execute(sa.select(sa.func.count()).select_from(joined).where(submitted)).scalar_one()


def _score_table(edition: Edition, judges_by_code: bool,
                 progress: Progress | None = None) -> tuple[list[str], Iterator[list[Cell]]]:
    """The header, and the rows as they are read from the database (the statement runs on first next())."""
    columns = _criterion_columns(edition)
    codes = judge_codes(edition) if judges_by_code else None
    header = [_("届次"), _("需求编号"), _("需求名称"), _("挑战报告编号"), _("揭榜团队"), _("轮次"), _("评审专家"),
              *(label for _id, label in columns), _("总分"), _("评语"), _("提交时间（北京时间）")]
    statement = _sheet_statement(edition, [cid for cid, _label in columns])
    return header, _score_rows(edition, statement, codes, progress)


def _score_rows(edition: Edition, statement: sa.Select, codes: dict[int, str] | None,
                progress: Progress | None) -> Iterator[list[Cell]]:
    total = count_submitted(edition) if progress is not None else 0
    if progress is not None:
        progress(0, total)  # the job page shows the total at once
    round_names = {r: str(name) for r, name in ROUND_NAMES.items()}
    representative, expert, zero = _("企业代表"), _("专家"), Decimal("0")
    done = 0
    result = db.session.execute(statement.execution_options(yield_per=FETCH_ROWS))
    try:
        for (need_id, need_name, bid_id, team_name, round_, judge_id, role, name, comment, submitted_at, points_sum,
             *points) in result:
            if role == Role.FIRM:  # the firm's own representative on an on-site panel
                judge = representative if codes is not None else _("%(name)s（企业代表）", name=name)
            else:
                judge = codes.get(judge_id, expert) if codes is not None else name
            yield [edition.code, need_id, need_name, bid_id, team_name, round_names[round_], judge, *points,
                   zero if points_sum is None else points_sum, comment,
                   clock.to_beijing(submitted_at) if submitted_at else None]
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done))
    finally:
        result.close()
    if progress is not None and (done % PROGRESS_EVERY or not done):  # the last call says done == total
        progress(done, max(total, done))


def score_rows(edition: Edition, *, judges_by_code: bool) -> tuple[list[str], list[list[Cell]]]:
    """One row per submitted score sheet of the edition (both rounds), every criterion a column, in memory:
    for small tables; write_scores_csv() / write_scores_xlsx() stream any size.

    Judges appear by name for the organizer, by code (专家A…) in anything a firm may see.
    """
    header, rows = _score_table(edition, judges_by_code)
    return header, list(rows)


def _text(value: Cell) -> str:
    if value.__class__ is str:  # most cells: checked first, for the 2 million cells of a national table
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """CSV in UTF-8 with a byte-order mark, written row by row into `out`; the number of rows."""
    out.write(CSV_BOM)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        writer = csv.writer(text)
        writer.writerow(header)
        written = 0
        for row in rows:
            writer.writerow([_text(v) for v in row])
            written += 1
        text.flush()
    finally:
        text.detach()  # leave `out` open: it is the caller's
    return written


def write_xlsx(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """An Excel workbook written row by row into `out`: bold frozen header, filters, points as numbers with
    one decimal; the number of rows."""
    return write_workbook(out, _("评分明细"), header, rows, _put, filters=True)


def write_scores_csv(edition: Edition, out: BinaryIO, *, judges_by_code: bool,
                     progress: Progress | None = None) -> int:
    """Stream the edition's score table as CSV into `out`; progress(done, total) every few thousand rows.

    The rows come through an open cursor: `progress` must not commit or roll back the session meanwhile.
    """
    header, rows = _score_table(edition, judges_by_code, progress)
    return write_csv(out, header, rows)


def write_scores_xlsx(edition: Edition, out: BinaryIO, *, judges_by_code: bool,
                      progress: Progress | None = None) -> int:
    """Stream the edition's score table as an XLSX workbook into `out` (see write_scores_csv)."""
    header, rows = _score_table(edition, judges_by_code, progress)
    return write_xlsx(out, header, rows)


def to_csv(header: list[str], rows: list[list[Cell]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    out = io.BytesIO()
    write_csv(out, header, rows)
    return out.getvalue()


def to_xlsx(header: list[str], rows: list[list[Cell]]) -> bytes:
    """An Excel workbook: bold frozen header, filters, points as numbers with one decimal."""
    out = io.BytesIO()
    write_xlsx(out, header, rows)
    return out.getvalue()


def _put(value: Cell):
    """What a cell holds: Decimals stay exact numbers with one decimal shown, times are dates, text is never a
    formula (the workbook writer keeps every string a string, even "=HYPERLINK(…)")."""
    if isinstance(value, Decimal):
        return Formatted(value, "0.0")
    if isinstance(value, datetime):
        return Formatted(value, "yyyy-mm-dd hh:mm")
    if value is None or isinstance(value, int):
        return value
    return str(value)


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
