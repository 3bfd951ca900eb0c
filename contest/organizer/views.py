from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
bp.before_request(require_role(Role.ORGANIZER))


@bp.get("/")
def dashboard():
    return "TODO"


@bp.get("/queue")
def queue():
    return "TODO"


@bp.get("/editions")
def editions():
    return "TODO"


@bp.get("/users")
def users():
    return "TODO"


@bp.get("/audit")
def audit_log():
    return "TODO"
