"""The markets of the network: the seeded 1+12+13, and the lists the forms offer."""
from __future__ import annotations

import sqlalchemy as sa

from ..domain.errors import Invalid
from ..domain.markets import CITY_MARKET, seed_markets
from ..extensions import db
from ..models import Market


def ensure_markets() -> int:
    """Add the seeded markets a database lacks (by name); the number added. Flushes."""
    known = set(db.session.scalars(sa.select(Market.name)))
    missing = [Market(**row) for row in seed_markets() if row["name"] not in known]
    db.session.add_all(missing)
    db.session.flush()
    return len(missing)


def market_list(*, active_only: bool = True) -> list[Market]:
    """The markets in list order: the city market, the sub-markets, the professional markets."""
    query = sa.select(Market).order_by(Market.position, Market.id)
    if active_only:
        query = query.where(Market.active.is_(True))
    return list(db.session.scalars(query))


def city_market() -> Market:
    """The city market (宁波科技大市场): the organizer's own."""
    return db.session.scalars(sa.select(Market).where(Market.name == CITY_MARKET)).one()


def open_market(market_id: int | None) -> Market:
    """The active market of that id, or Invalid("market.unknown")."""
    market = db.session.get(Market, market_id) if isinstance(market_id, int) else None
    if market is None or not market.active:
        raise Invalid("market.unknown")
    return market
