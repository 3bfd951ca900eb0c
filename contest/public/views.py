"""Public pages: home, the catalogue of published needs, a need's page, health."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from ..extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """The home page."""
    return render_template("public/index.html")


@bp.get("/needs")
def catalogue():
    """The catalogue of published needs."""
    return "TODO"


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when not (for the load balancer)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok"}
