"""Sessions that end everywhere: each carries the user's session generation, checked on every request.

Flask keeps the session in a signed cookie, so a server cannot delete a copy a thief holds. Instead each
session records the user's `session_generation` at log-in; logout, a password change or disabling the
account bumps the number in the database, and every session carrying an older one is refused by the user
loader on any server. There is no "remember me" cookie: closing the browser ends the session.
"""
from __future__ import annotations

from flask import current_app, session
from flask_login import login_user, logout_user

from ..models import User

GENERATION_KEY = "_generation"


def start(user: User) -> None:
    """Log this browser in with a brand-new session: nothing from before the log-in survives (fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang in current_app.config["LANGUAGES"]:  # the language chosen on the login page is no secret
        session["lang"] = lang
    login_user(user, remember=False)
    session[GENERATION_KEY] = user.session_generation


def end() -> None:
    """Forget the user in this browser (the caller has ended their sessions everywhere else)."""
    logout_user()
    session.clear()


def is_current(user: User) -> bool:
    """Whether this request's session was opened at the user's current generation."""
    return session.get(GENERATION_KEY) == user.session_generation
