"""Accounts: login, logout, password change, self-registration of firms and teams."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import User
from .sessions import is_current

login_manager.login_view = "auth.login"
login_manager.login_message = _l("请先登录")
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, unless the account is disabled or the session is of an older generation."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active or not is_current(user):
        return None
    return user


bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import membership, views  # noqa: E402,F401  (they register their routes on bp)
