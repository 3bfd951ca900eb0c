"""The 1+12+13 network as shipped (contest/data/markets.toml): the seed of the market table, and the rules on it."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .choices import MarketLevel

MARKETS_FILE = Path(__file__).resolve().parent.parent / "data" / "markets.toml"
# The market a need collected by the organizer itself belongs to, and where a free-text channel no market names
# went when markets became records.
CITY_MARKET = "宁波科技大市场"
# How many markets of each level the network has (the "1+12+13").
NETWORK_SHAPE = {MarketLevel.CITY: 1, MarketLevel.SUB: 12, MarketLevel.PROFESSIONAL: 13}


@cache
def seed_markets() -> tuple[dict, ...]:
    """The network's markets in list order, each a dict of Market columns (level, name, area, region_code, position)."""
    rows = tomllib.loads(MARKETS_FILE.read_text(encoding="utf-8"))["market"]
    return tuple({**row, "level": MarketLevel(row["level"]), "position": n} for n, row in enumerate(rows, 1))
