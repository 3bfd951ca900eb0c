"""Refusals of the 1+12+13 network: markets and their staff, brokers, matchmaking events, the open API."""
from __future__ import annotations

from .marker import N_

TEXTS: dict[str, str] = {
    "market.unknown": N_("请选择一个在册的征集渠道（科技大市场）"),
}
