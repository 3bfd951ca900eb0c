"""Matchmaking events (对接活动) of the network: markets and the organizer schedule them; firms, teams and brokers
register; the event's organizers mark attendance and record the contacts made, traced to bids and contracts."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("events", __name__, url_prefix="/events")
bp.before_request(require_role(Role.ORGANIZER, Role.MARKET, Role.FIRM, Role.TEAM, Role.BROKER))

from . import manage, reports, views  # noqa: E402,F401  (they register their routes on bp)
