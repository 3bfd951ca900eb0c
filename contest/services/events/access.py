"""Who may do what with a matchmaking event: its organizers are its market's staff and the organizer."""
from __future__ import annotations

from datetime import datetime

from ...domain.errors import NotPermitted
from ...domain.states import Role
from ...models import MatchEvent, User
from ..clock import to_beijing

SCHEDULERS = (Role.ORGANIZER, Role.MARKET)
REGISTRANTS = (Role.FIRM, Role.TEAM, Role.BROKER)


def manages_market(actor: User, market_id: int) -> bool:
    """The organizer manages every market's events; a market's staff their own market's."""
    if actor.role == Role.ORGANIZER:
        return True
    return actor.role == Role.MARKET and actor.market_id is not None and actor.market_id == market_id


def manages(actor: User, event: MatchEvent) -> bool:
    """The actor is one of the event's organizers."""
    return manages_market(actor, event.market_id)


def ensure_manages(actor: User, event: MatchEvent) -> None:
    """Refuse anyone but the event's organizers."""
    if not manages(actor, event):
        raise NotPermitted("event.not_organizer")


def beijing_text(moment: datetime) -> str:
    """A UTC moment as Beijing wall-clock text, for notices."""
    return to_beijing(moment).strftime("%Y-%m-%d %H:%M")


def contains_pattern(text: str) -> str:
    """The text for a LIKE "contains" pattern, its %, _ and backslash taken literally (escape "\\")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
