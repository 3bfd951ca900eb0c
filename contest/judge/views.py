"""Judges' pages. Scoring arrives with the judging stage; until then a judge sees the calendar."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.guards import require_role
from ..domain.states import Role
from ..services.editions import all_editions

bp = Blueprint("judge", __name__, url_prefix="/judge")
bp.before_request(require_role(Role.JUDGE))


@bp.get("/")
def dashboard():
    """The judge's workbench: the editions and when online review opens."""
    return render_template("judge/dashboard.html", editions=all_editions())
