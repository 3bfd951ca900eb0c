"""The pages of a market's staff (市场工作人员) of the 1+12+13 network: the needs their market collects, its
pre-screening, the firms they act for, its matchmaking events and API tokens. Each sees its own market only."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("market", __name__, url_prefix="/market")
bp.before_request(require_role(Role.MARKET))

from . import views  # noqa: E402,F401  (they register their routes on bp)
from . import tokens  # noqa: E402,F401  (personal API tokens)
from . import collect  # noqa: E402,F401  (collecting needs for firms)
