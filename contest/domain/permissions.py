"""Who may use a verb at all; the blueprints guard their pages, and this guards the verbs behind them."""
from __future__ import annotations

from .errors import NotPermitted
from .states import Role


def ensure_organizer(actor) -> None:
    """Refuse anyone but an organizer (None, the command line, is refused too: callers that allow it say so)."""
    if actor is None or actor.role != Role.ORGANIZER:
        raise NotPermitted("permission.organizer_only")
