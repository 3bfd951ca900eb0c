"""The public catalogue: published needs, searched and filtered, and the home page's figures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..domain.bidding import check_bidding_open
from ..domain.choices import NeedCategory, NeedField
from ..domain.errors import DomainError
from ..domain.states import NEED_PUBLIC
from ..extensions import db
from ..models import Edition, Need
from .clock import beijing_date

QUERY_MAX = 100
# The text a keyword search looks in.
SEARCHED_COLUMNS = (Need.name, Need.keywords, Need.industry, Need.problem, Need.key_points)
LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor asked the catalogue for; values that made no sense are listed in `ignored`."""

    q: str = ""
    field: NeedField | None = None
    category: NeedCategory | None = None
    edition: Edition | None = None
    ignored: tuple[str, ...] = ()


def _enum_or_none(enum_cls, value: str):
    try:
        return enum_cls(value)
    except ValueError:
        return None


def parse_filters(args: Mapping[str, str], editions: list[Edition]) -> CatalogueFilters:
    """Read q, field, category and edition (a code) from query arguments; unknown values are ignored."""
    ignored: list[str] = []
    chosen: dict = {}
    for name, enum_cls in (("field", NeedField), ("category", NeedCategory)):
        raw = (args.get(name) or "").strip()
        if raw:
            chosen[name] = _enum_or_none(enum_cls, raw)
            if chosen[name] is None:
                ignored.append(name)
    code = (args.get("edition") or "").strip().upper()
    if code:
        chosen["edition"] = next((e for e in editions if e.code == code), None)
        if chosen["edition"] is None:
            ignored.append("edition")
    q = " ".join((args.get("q") or "").split())[:QUERY_MAX]
    return CatalogueFilters(q=q, ignored=tuple(ignored), **chosen)


def escape_like(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with %, _ and the escape character taken literally."""
    for char in (LIKE_ESCAPE, "%", "_"):
        term = term.replace(char, LIKE_ESCAPE + char)
    return f"%{term}%"


def _public_needs() -> sa.Select:
    return (
        sa.select(Need)
        .where(Need.status.in_(NEED_PUBLIC))
        .options(joinedload(Need.firm), joinedload(Need.edition))
    )


def catalogue_select(filters: CatalogueFilters) -> sa.Select:
    """Published needs matching the filters, newest publication first.

    Every word of the query must appear, case-insensitively, in one of the searched columns.
    """
    stmt = _public_needs()
    for word in filters.q.split():
        pattern = escape_like(word)
        stmt = stmt.where(sa.or_(*(col.ilike(pattern, escape=LIKE_ESCAPE) for col in SEARCHED_COLUMNS)))
    if filters.field is not None:
        stmt = stmt.where(Need.field == filters.field)
    if filters.category is not None:
        stmt = stmt.where(Need.category == filters.category)
    if filters.edition is not None:
        stmt = stmt.where(Need.edition_id == filters.edition.id)
    return stmt.order_by(Need.published_at.desc().nulls_last(), Need.id.desc())


def search_catalogue(filters: CatalogueFilters, page: int, per_page: int):
    """One page of the catalogue (a Flask-SQLAlchemy Pagination): two queries whatever the page size."""
    return db.paginate(catalogue_select(filters), page=page, per_page=per_page, error_out=False)


def recent_needs(limit: int = 6) -> list[Need]:
    """The most recently published needs, for the home page."""
    stmt = _public_needs().order_by(Need.published_at.desc().nulls_last(), Need.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def public_need(need_id: int) -> Need | None:
    """A need the public may see, or None (unpublished needs are not revealed)."""
    return db.session.scalar(_public_needs().where(Need.id == need_id))


@dataclass(frozen=True)
class EditionFigures:
    needs: int = 0
    budget_wan: Decimal = Decimal("0")


def edition_figures() -> dict[int, EditionFigures]:
    """Per edition: how many needs are public and the budget they put up (万元), in one query."""
    rows = db.session.execute(
        sa.select(Need.edition_id, sa.func.count(Need.id), sa.func.sum(Need.budget_wan))
        .where(Need.status.in_(NEED_PUBLIC))
        .group_by(Need.edition_id)
    )
    return {eid: EditionFigures(n, Decimal(total or 0).quantize(Decimal("0.01"))) for eid, n, total in rows}


def current_stage(edition: Edition, now: datetime) -> str:
    """Which stage of its calendar an edition is in on `now` (naive UTC), by Beijing date."""
    today = beijing_date(now)
    if today < edition.collection_start:
        return "upcoming"
    if today <= edition.collection_end:
        return "collection"
    if now < edition.bidding_deadline:
        return "bidding"
    if today <= edition.review_end:
        return "review"
    if today < edition.results_date:
        return "final"
    return "results"


def bidding_open(need: Need, now: datetime) -> bool:
    """Whether teams may still bid for this need (the bid service checks again on submission)."""
    try:
        check_bidding_open(need.status, need.edition.bidding_deadline, now)
    except DomainError:
        return False
    return True


# One constant statement (built once, cheap to look up in SQLAlchemy's cache): the catalogue's version is read on
# every anonymous view of the catalogue, before the page is served from memory.
CATALOGUE_VERSION = sa.text(
    "SELECT (SELECT count(id) FROM need) AS needs, (SELECT max(updated_at) FROM need) AS latest,"
    " edition.id, edition.code, edition.name, edition.stage, edition.bidding_deadline"
    " FROM (SELECT 1 AS one) AS one LEFT OUTER JOIN edition ON 1 = 1 ORDER BY edition.id"
).columns(sa.column("needs"), sa.column("latest", sa.DateTime), sa.column("id"), sa.column("code"),
          sa.column("name"), sa.column("stage"), sa.column("bidding_deadline", sa.DateTime))


def catalogue_version(now: datetime) -> tuple:
    """What the catalogue shows, summed up in one statement: the needs' count and latest change, each edition's
    name, dates and stage, and which bidding deadlines have passed at `now`. A new value means a new page."""
    rows = db.session.connection().execute(CATALOGUE_VERSION).all()
    return (rows[0][0], rows[0][1], *((row[2:], row.bidding_deadline is not None and now >= row.bidding_deadline)
                                      for row in rows))
