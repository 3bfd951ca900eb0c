"""A technology broker's pages (技术经纪人): the profile, the needs and bids the broker is named on (to confirm or
decline), matchmaking events."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("broker", __name__, url_prefix="/broker")
bp.before_request(require_role(Role.BROKER))

from . import views  # noqa: E402,F401  (they register their routes on bp)
