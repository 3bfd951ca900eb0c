"""The team's pages (揭榜团队): the dashboard and its bids, one per need, until the bidding deadline."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("team", __name__, url_prefix="/team")
bp.before_request(require_role(Role.TEAM))

from . import objections, views  # noqa: E402,F401  (they register their routes on bp)
from . import brokers  # noqa: E402,F401  (the broker who helped with a bid)
