"""The judge's pages (评审专家): the workbench, blind online scoring, on-site panel scoring, the profile,
recusals and notices."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("judge", __name__, url_prefix="/judge")

from . import profile, views  # noqa: E402,F401  (they register their routes on bp)
