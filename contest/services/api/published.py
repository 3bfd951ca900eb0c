"""What the open API publishes, and only that: the public catalogue's needs (under the results embargo), the
published results of an edition, and the figures the public pages show. Nothing here names an anonymous firm."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from ...domain.choices import NeedField
from ...domain.embargo import DECISIONS, Undisclosed
from ...domain.states import NEED_PUBLIC, EditionStage, NeedStatus
from ...extensions import db
from ...models import Edition, Market, Need
from ..catalogue import CatalogueFilters, catalogue_select
from ..editions import edition_by_code
from ..judging import stages
from ..markets import market_list

# The statuses a need is shown with (contest.domain.embargo.shown_status of a public need).
SHOWN_STATUSES = tuple(s.value for s in sorted(NEED_PUBLIC, key=list(NeedStatus).index)) + (
    Undisclosed.RESULTS_PENDING.value,)
DECIDED = tuple(s for s in NEED_PUBLIC if s in DECISIONS)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class NeedQuery:
    """What a client asked the needs list for (already validated)."""

    edition: str | None = None
    field: NeedField | None = None
    market: int | None = None
    status: str | None = None
    q: str = ""


def _results_published() -> sa.ColumnElement[bool]:
    return Need.edition_id.in_(sa.select(Edition.id).where(Edition.results_published_at.is_not(None)))


def _shown_as(status: str) -> sa.ColumnElement[bool]:
    """Needs whose status, as the public sees it, is `status` (a decision shows once results are published)."""
    published = _results_published()
    if status == Undisclosed.RESULTS_PENDING.value:
        return sa.or_(sa.and_(Need.status.in_(DECIDED), ~published),
                      sa.and_(Need.status == NeedStatus.FINAL, published))
    wanted = NeedStatus(status)
    if wanted in DECIDED:
        return sa.and_(Need.status == wanted, published)
    if wanted == NeedStatus.FINAL:
        return sa.and_(Need.status == wanted, ~published)
    return Need.status == wanted


def needs_select(query: NeedQuery) -> sa.Select:
    """The public catalogue's needs matching the query, in the catalogue's order; an unknown edition matches none."""
    edition = edition_by_code(query.edition.strip().upper()) if query.edition else None
    stmt = catalogue_select(CatalogueFilters(q=" ".join(query.q.split()), field=query.field, edition=edition))
    if query.edition and edition is None:
        stmt = stmt.where(sa.false())
    if query.market is not None:
        stmt = stmt.where(Need.market_id == query.market)
    if query.status:
        stmt = stmt.where(_shown_as(query.status))
    return stmt


def markets() -> list[Market]:
    """Every market of the network in list order (a closed one still names the needs it collected)."""
    return market_list(active_only=False)


def published_edition(code: str) -> Edition | None:
    """The edition of that code if its results are published, else None (nothing shows before publication)."""
    edition = edition_by_code(code.strip().upper()) if code else None
    return edition if edition is not None and edition.stage == EditionStage.RESULTS else None


@dataclass(frozen=True)
class EditionFigures:
    """What the public pages show of an edition with published results, counted."""

    edition: Edition
    needs: int = 0
    budget_wan: Decimal = Decimal("0.00")
    awarded: int = 0
    failed: int = 0
    awaiting: int = 0
    by_field: list[tuple[NeedField, int]] = field(default_factory=list)
    by_market: list[tuple[Market, int]] = field(default_factory=list)


def edition_figures(edition: Edition) -> EditionFigures:
    """The public needs of a published edition: how many, their budget, the outcomes, by field and by market."""
    rows = db.session.execute(
        sa.select(Need.status, Need.field, Need.market_id, sa.func.count(Need.id), sa.func.sum(Need.budget_wan))
        .where(Need.edition_id == edition.id, Need.status.in_(NEED_PUBLIC))
        .group_by(Need.status, Need.field, Need.market_id)
    ).all()
    statuses, fields, markets_ = Counter(), Counter(), Counter()
    budget = Decimal("0")
    for status, need_field, market_id, n, total in rows:
        statuses[status] += n
        fields[need_field] += n
        markets_[market_id] += n
        budget += Decimal(total or 0)
    by_id = {m.id: m for m in markets()} if markets_ else {}
    return EditionFigures(
        edition=edition, needs=sum(statuses.values()), budget_wan=budget.quantize(CENT),
        awarded=statuses[NeedStatus.AWARDED], failed=statuses[NeedStatus.FAILED],
        awaiting=statuses[NeedStatus.FINAL],
        by_field=[(f, fields[f]) for f in NeedField if fields[f]],
        by_market=sorted(((by_id[m], n) for m, n in markets_.items()), key=lambda p: (p[0].position, p[0].id)),
    )


def published_figures() -> list[EditionFigures]:
    """The figures of every edition whose results are published, latest publication first."""
    return [edition_figures(e) for e in stages.published_editions()]
