"""The firm's home (工作台): what it must do next, soonest deadline first, and its needs taking reports."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ..services import clock
from ..services.todo import firm as todo_firm
from . import bp


@bp.app_template_global("need_bid_count")
def need_bid_count(need) -> int:
    """How many reports were turned in on one of the firm's needs (its page shows it while it takes reports)."""
    return todo_firm.bid_count(need)


@bp.get("/")
def home():
    """Needs returned for revision, drafts to submit, rankings to confirm, contracts to sign, on-site sheets to
    submit, each with its deadline; then the needs in the catalogue with their count of reports."""
    return render_template("firm/home.html", home=todo_firm.firm_home(current_user, clock.now()))
