"""What a market's pages read: the needs its market collected and the firms it registered, never another
market's. Each list is one statement plus pagination's count; the bids are counted, never shown."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import joinedload, selectinload

from ..domain.states import BID_LIVE, BidStatus, EditionStage, NeedStatus
from ..extensions import db
from ..models import Bid, Edition, Need, NeedReview, Organization, Team
from ..web.listing import Listing
from ..web.lookups import within_pages

# Bids a team has turned in (a draft is still the team's own work, a withdrawn one no longer counts).
TURNED_IN = tuple(BID_LIVE - {BidStatus.DRAFT})

BID_COUNT = (sa.select(sa.func.count(Bid.id)).where(Bid.need_id == Need.id, Bid.status.in_(TURNED_IN))
             .correlate(Need).scalar_subquery())
# The winning team, once the need's edition has published its results (as the public results page shows it).
WINNER = (sa.select(Team.name)
          .where(Team.id == Bid.team_id, Bid.need_id == Need.id, Bid.status == BidStatus.WINNER,
                 Edition.id == Need.edition_id, Edition.stage == EditionStage.RESULTS)
          .correlate(Need).limit(1).scalar_subquery())
NEED_FIRM = sa.select(Organization.name).where(Organization.id == Need.firm_org_id).scalar_subquery()
NEED_EDITION = sa.select(Edition.name).where(Edition.id == Need.edition_id).scalar_subquery()

# A market's needs: a few hundred at most (the whole network's are 2,000 an edition).
NEEDS = Listing("market-needs", sorts={"id": Need.id, "name": Need.name, "firm": NEED_FIRM, "edition": NEED_EDITION,
                                       "status": Need.status, "submitted": Need.submitted_at, "bids": BID_COUNT},
                default="id", default_dir="desc", tiebreak=Need.id, texts=(Need.name, Need.keywords, NEED_FIRM),
                first_dir={"id": "desc", "submitted": "desc", "bids": "desc"})

FIRM_NEEDS = (sa.select(sa.func.count(Need.id)).where(Need.firm_org_id == Organization.id)
              .correlate(Organization).scalar_subquery())
FIRMS = Listing("market-firms", sorts={"name": Organization.name, "consent": Organization.consent_at},
                default="consent", default_dir="desc", tiebreak=Organization.id,
                texts=(Organization.name, Organization.contact_name), first_dir={"consent": "desc"})


class RowsPagination(SelectPagination):
    """A page of a select of several columns (an entity and its counts): rows, not the first column only."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).unique().all())


def _page(stmt: sa.Select, page: int) -> RowsPagination:
    size = current_app.config["PAGE_SIZE"]
    return within_pages(lambda p: RowsPagination(select=stmt, session=db.session(), page=p, per_page=size,
                                                 error_out=False), page)


def needs_page(market_id: int, status: NeedStatus | None, asked, page: int) -> RowsPagination:
    """One page of the market's needs as (need, bids turned in, winning team or None), searched and sorted."""
    stmt = (sa.select(Need, BID_COUNT, WINNER).where(Need.market_id == market_id)
            .options(joinedload(Need.firm), joinedload(Need.edition)).order_by(Need.id.desc()))
    if status is not None:
        stmt = stmt.where(Need.status == status)
    return _page(NEEDS.apply(stmt, asked), page)


def waiting(market_id: int, limit: int = 10) -> list[Need]:
    """The needs waiting for the market's pre-screening, the longest-waiting first."""
    return list(db.session.scalars(
        sa.select(Need).where(Need.market_id == market_id, Need.status == NeedStatus.MARKET_REVIEW)
        .options(joinedload(Need.firm), joinedload(Need.edition))
        .order_by(Need.submitted_at, Need.id).limit(limit)))


def counts(market_id: int) -> dict[str, int]:
    """The market's needs by status (its value)."""
    rows = db.session.execute(sa.select(Need.status, sa.func.count(Need.id))
                              .where(Need.market_id == market_id).group_by(Need.status)).tuples().all()
    return {status.value: n for status, n in rows}


def firm_count(market_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Organization.id)).where(Organization.market_id == market_id))


def need_or_404(need_id: int, market_id: int) -> Need:
    """The need if its market is this one; 404 otherwise (another market's need reveals nothing)."""
    need = db.session.scalar(
        sa.select(Need).where(Need.id == need_id, Need.market_id == market_id)
        .options(joinedload(Need.firm), joinedload(Need.edition), joinedload(Need.created_by),
                 selectinload(Need.reviews).joinedload(NeedReview.reviewer)))
    if need is None:
        abort(404)
    return need


def need_figures(need: Need) -> tuple[int, str | None]:
    """The need's bids turned in and its winning team once results are published: one statement."""
    bids, winner = db.session.execute(sa.select(BID_COUNT, WINNER).select_from(Need).where(Need.id == need.id)).one()
    return bids or 0, winner


def firms_page(market_id: int, asked, page: int) -> RowsPagination:
    """One page of the firms the market registered on their behalf as (organization, its needs)."""
    stmt = (sa.select(Organization, FIRM_NEEDS).where(Organization.market_id == market_id)
            .order_by(Organization.consent_at.desc(), Organization.id.desc()))
    return _page(FIRMS.apply(stmt, asked), page)


def firms(market_id: int) -> list[Organization]:
    """The firms the market registered, by name (the choices of a need collected for one)."""
    return list(db.session.scalars(sa.select(Organization).where(Organization.market_id == market_id)
                                   .order_by(Organization.name)))


def firm_or_none(org_id: int | None, market_id: int) -> Organization | None:
    if not org_id:
        return None
    return db.session.scalar(sa.select(Organization).where(Organization.id == org_id,
                                                           Organization.market_id == market_id))
