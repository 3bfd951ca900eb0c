"""Every signed-in user's notices (unread first, marked read one by one or all at once) and their notification
settings: mail per kind of event (immediate, the daily digest, the app only) and the language."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")

from . import views  # noqa: E402,F401  (they register their routes on bp)
