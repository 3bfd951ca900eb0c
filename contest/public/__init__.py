"""Public pages: home, the catalogue of published needs, a need's page, published results, contract
verification, health."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import results, verify, views  # noqa: E402,F401  (they register their routes on bp)
