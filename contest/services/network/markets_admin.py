"""The organizer keeps the network's markets: lists them with their staff and needs, adds one, edits one."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ...domain.choices import MarketLevel
from ...domain.errors import Conflict, Invalid
from ...domain.permissions import ensure_organizer
from ...domain.registration_codes import check_region, region_name
from ...domain.states import Role
from ...extensions import db
from ...models import Market, Need, User
from ..records import audit

MARKET_FIELDS = ("name", "level", "area", "region_code", "contact_name", "contact_phone", "contact_email", "active")


@dataclass(frozen=True)
class MarketRow:
    """A market on the organizer's list, with its active staff accounts and the needs it collected."""

    market: Market
    staff: int
    needs: int


STAFF_COUNT = (sa.select(sa.func.count(User.id))
               .where(User.market_id == Market.id, User.role == Role.MARKET, User.active.is_(True))
               .correlate(Market).scalar_subquery())
NEED_COUNT = sa.select(sa.func.count(Need.id)).where(Need.market_id == Market.id).correlate(Market).scalar_subquery()


def markets_overview() -> list[MarketRow]:
    """Every market in list order (city, sub-markets, professional markets) with its counts: one statement."""
    rows = db.session.execute(sa.select(Market, STAFF_COUNT, NEED_COUNT).order_by(Market.position, Market.id))
    return [MarketRow(market, staff or 0, needs or 0) for market, staff, needs in rows]


def check_market_region(level: MarketLevel, code: str | None) -> str:
    """A market's GB/T 2260 code: a sub-market's district or county; the city market's city (or a district);
    a professional market serves the whole city and may leave it empty."""
    code = (code or "").strip()
    if not code:
        if level == MarketLevel.PROFESSIONAL:
            return ""
        raise Invalid("market.region_required")
    if level == MarketLevel.SUB:
        return check_region(code)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise Invalid("org.region_code_invalid")
    if not region_name(code):
        raise Invalid("market.region_unknown", code=code)
    return code


def _apply(market: Market, data: dict) -> dict:
    """Check and write the market's fields; what changed (old, new) by field."""
    name = (data.get("name") or "").strip()
    if not name:
        raise Invalid("market.name_required")
    taken = db.session.scalar(sa.select(Market.id).where(Market.name == name, Market.id != (market.id or 0)))
    if taken:
        raise Conflict("market.name_taken", name=name)
    level = MarketLevel(data["level"])
    values = {**{k: data.get(k, getattr(market, k)) for k in MARKET_FIELDS}, "name": name, "level": level,
              "region_code": check_market_region(level, data.get("region_code"))}
    for key in ("area", "contact_name", "contact_phone", "contact_email"):
        values[key] = (values[key] or "").strip()
    changed = {}
    for key, value in values.items():
        old = getattr(market, key)
        if old != value:
            changed[key] = [getattr(old, "value", old), getattr(value, "value", value)]
            setattr(market, key, value)
    return changed


def create_market(actor: User, data: dict) -> Market:
    """The organizer adds a market to the network, at the end of its level's list."""
    ensure_organizer(actor)
    market = Market(name="", level=MarketLevel(data["level"]), active=True)
    changed = _apply(market, data)
    market.position = (db.session.scalar(sa.select(sa.func.max(Market.position))) or 0) + 1
    db.session.add(market)
    db.session.flush()
    audit.record(actor, "market.create", market, {"name": market.name, "changed": changed})
    return market


def update_market(actor: User, market: Market, data: dict) -> Market:
    """The organizer edits a market's name, level, area, region code, contact or whether it is active."""
    ensure_organizer(actor)
    changed = _apply(market, data)
    if changed:
        audit.record(actor, "market.update", market, {"name": market.name, "changed": changed})
    return market
