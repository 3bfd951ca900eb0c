"""Permission guards: a role per blueprint, and safe `next` redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from ..domain.states import Membership, Role


def require_role(*roles: Role):
    """A before_request hook: anonymous users go to the login page, other roles get 403, and an account still
    waiting to be let into its organization (or refused) goes to the page that says so."""

    def guard():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)
        if current_user.membership != Membership.MEMBER:
            return redirect(url_for("auth.membership_page"))
        return None

    return guard


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative //host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # CR/LF would split the Location header
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


HOME_BY_ROLE = {
    Role.ORGANIZER: "organizer.dashboard",
    Role.FIRM: "firm.home",
    Role.TEAM: "team.dashboard",
    Role.JUDGE: "judge.dashboard",
    Role.MARKET: "market.home",
    Role.BROKER: "broker.home",
}


def home_url(user) -> str:
    if user.membership != Membership.MEMBER:
        return url_for("auth.membership_page")
    return url_for(HOME_BY_ROLE[user.role])
