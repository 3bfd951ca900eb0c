from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("team", __name__, url_prefix="/team")
bp.before_request(require_role(Role.TEAM))


@bp.get("/")
def dashboard():
    return "TODO"
