"""The firm's pages (发榜企业): its needs from draft to publication, the rankings of its needs and the
confirmation of the winner."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("firm", __name__, url_prefix="/firm")
bp.before_request(require_role(Role.FIRM))

from . import confirmation, home, objections, views  # noqa: E402,F401  (they register their routes on bp)
from . import brokers  # noqa: E402,F401  (the broker who helped with a need)
