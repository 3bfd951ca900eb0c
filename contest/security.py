"""Security rules shared by the whole app: the password policy and the headers of every response.

The Content-Security-Policy and nosniff headers are set in contest/web.py; this module adds HSTS on
HTTPS and keeps private pages and every download out of shared and browser caches.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.validators import ValidationError

PASSWORD_MIN = 10
PASSWORD_MAX = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common_passwords.txt"

HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "private, no-store"


# --- passwords ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords of leaked lists (one a line, lower case; '#' starts a comment)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why this password is refused (a Chinese message), or None when it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return _("密码至少 %(n)s 位", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("密码不能超过 %(n)s 位", n=PASSWORD_MAX)
    if is_common(password):
        return _("该密码过于常见，容易被猜中，请换一个")
    if username and password.strip().lower() == username.strip().lower():
        return _("密码不能与用户名相同")
    return None


class StrongPassword:
    """WTForms validator applying the password policy, so the form shows the message by the field."""

    def __call__(self, form, field) -> None:
        username = getattr(getattr(form, "username", None), "data", None)
        problem = password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)


# --- headers -------------------------------------------------------------------------------------

def _is_download(response) -> bool:
    """A file sent with send_file (streamed as is) or named for saving."""
    return "Content-Disposition" in response.headers or response.direct_passthrough


def register(app: Flask) -> None:
    """HSTS on HTTPS; `Cache-Control: private, no-store` for logged-in users' pages and every download."""

    @app.after_request
    def transport_and_cache_headers(response):
        # is_secure follows X-Forwarded-Proto only when ProxyFix trusts the proxy (TRUSTED_PROXIES).
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        # Static assets are the same for everyone: letting browsers cache them leaks nothing.
        is_static = (request.endpoint or "").endswith("static")
        if not is_static and (_is_download(response) or current_user.is_authenticated):
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
