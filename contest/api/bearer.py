"""The API's bearer tokens: `Authorization: Bearer <token>` names a market staff member's personal token."""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_smorest import abort

from ..models import ApiToken
from ..services.api import tokens

CHALLENGE = 'Bearer realm="api"'


def token_with(scope: str) -> ApiToken:
    """The request's live token, if it has the scope: else 401 (no, unknown or revoked token) or 403."""
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = tokens.live_token(secret.strip()) if kind.lower() == "bearer" else None
    if token is None:
        abort(401, headers={"WWW-Authenticate": CHALLENGE})
    if not tokens.has_scope(token, scope):
        abort(403, message=_l("该令牌没有 %(scope)s 权限范围", scope=scope),
              headers={"WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope", scope="{scope}"'})
    return token


def required(scope: str):
    """Decorate a view: the token is checked (401/403) before its body is read; the view finds it in g.api_token."""
    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            g.api_token = token_with(scope)
            return view(*args, **kwargs)
        return checked
    return decorate
