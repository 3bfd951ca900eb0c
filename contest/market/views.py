"""A market's staff: their home."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from . import bp


@bp.get("/")
def home():
    """The market's home: what its staff must do next."""
    return render_template("market/home.html", market=current_user.market)
