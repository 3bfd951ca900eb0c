"""Accounts: the organizer disables an account (its sessions end at once) or enables it again."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..models import User
from ..services import accounts
from ..web import refuse
from .users import users as users_page
from .views import bp


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    try:
        accounts.set_active(current_user._get_current_object(), user, active)
    except DomainError as e:
        status = refuse(e)
        return users_page(), status
    db.session.commit()
    if active:
        flash(_("已启用账号 %(username)s", username=user.username), "success")
    else:
        flash(_("已停用账号 %(username)s，其登录已全部失效", username=user.username), "success")
    return redirect(url_for(".users", role=request.args.get("role") or None))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id: int):
    """Disable an account: it can no longer log in, and every open session of it ends."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id: int):
    """Enable a disabled account again (its user logs in anew)."""
    return _set_active(user_id, True)
