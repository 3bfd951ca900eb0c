from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("firm", __name__, url_prefix="/firm")
bp.before_request(require_role(Role.FIRM))


@bp.get("/needs")
def needs():
    return "TODO"
