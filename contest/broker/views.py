"""A broker: the home."""
from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def home():
    """The broker's home: the credits to confirm."""
    return render_template("broker/home.html")
