"""The submitted score sheets' totals, summed by the database: one row per sheet, never one per point (a
national edition has 590,000 points), and exact on every database."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from ...domain.rubric import Round
from ...domain.states import SheetStatus
from ...extensions import db
from ...models import Bid, Edition, Need, Rubric, RubricCriterion, ScoreItem, ScoreSheet


@dataclass
class SheetTotal:
    """A submitted sheet: its judge, bid and round, its total and its points on the round's top criterion."""

    judge_id: int
    bid_id: int
    round: Round
    total: Decimal = Decimal("0")
    top: Decimal | None = None


def _top_criteria(edition_id: int) -> dict[Round, int]:
    """Per round, the criterion with the largest maximum (the first by position among equals)."""
    rows = db.session.execute(
        sa.select(RubricCriterion.id, RubricCriterion.max_points, Rubric.round)
        .join(Rubric, Rubric.id == RubricCriterion.rubric_id).where(Rubric.edition_id == edition_id)
        .order_by(Rubric.round, RubricCriterion.position, RubricCriterion.id)
    ).all()
    top: dict[Round, int] = {}
    best: dict[Round, Decimal] = {}
    for r in rows:
        if r.round not in best or r.max_points > best[r.round]:
            best[r.round], top[r.round] = r.max_points, r.id
    return top


def _tenths(points) -> sa.ColumnElement:
    """Points (one decimal) as a whole number of tenths, so that SQL sums them exactly on every database
    (SQLite keeps NUMERIC as floating point: 7.1 + 8.3 would not be 15.4 there)."""
    return sa.func.round(points * 10)


def submitted_totals(edition: Edition, need_ids: list[int]) -> list[SheetTotal]:
    """The submitted sheets with their totals, summed by the database (one row per sheet, not per point): the
    edition's online ones when normalizing, else the needs'. A point on a criterion of another round's
    rubric never counts."""
    top = _top_criteria(edition.id)
    counted = (
        sa.select(ScoreItem.sheet_id, ScoreItem.criterion_id, ScoreItem.points, Rubric.round)
        .join(RubricCriterion, RubricCriterion.id == ScoreItem.criterion_id)
        .join(Rubric, Rubric.id == RubricCriterion.rubric_id).where(Rubric.edition_id == edition.id)
    ).subquery()
    top_ids = list(top.values())
    scope = (Need.edition_id == edition.id) if edition.normalize_online else Bid.need_id.in_(need_ids)
    rows = db.session.execute(
        sa.select(ScoreSheet.judge_id, ScoreSheet.bid_id, ScoreSheet.round,
                  sa.func.sum(_tenths(counted.c.points)),
                  sa.func.sum(sa.case((counted.c.criterion_id.in_(top_ids), _tenths(counted.c.points)))),
                  sa.func.count(sa.case((counted.c.criterion_id.in_(top_ids), 1))))
        .join(Bid, Bid.id == ScoreSheet.bid_id).join(Need, Need.id == Bid.need_id)
        .outerjoin(counted, sa.and_(counted.c.sheet_id == ScoreSheet.id, counted.c.round == ScoreSheet.round))
        .where(ScoreSheet.status == SheetStatus.SUBMITTED, scope)
        .group_by(ScoreSheet.id, ScoreSheet.judge_id, ScoreSheet.bid_id, ScoreSheet.round)
    )
    return [SheetTotal(judge_id, bid_id, round_, _points(total) or Decimal("0"), _points(top) if has_top else None)
            for judge_id, bid_id, round_, total, top, has_top in rows]


def _points(tenths) -> Decimal | None:
    """Tenths summed by the database back to points with one decimal, as the items are written."""
    return None if tenths is None else (Decimal(int(round(tenths))) / 10).quantize(Decimal("0.1"))
