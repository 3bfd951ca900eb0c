"""Personal API tokens of a market's staff: created (their text shown once, only a SHA-256 hash kept), listed,
revoked, and checked on every call that writes through the API."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...domain.errors import Conflict, Invalid, NotPermitted
from ...domain.states import Role
from ...extensions import db
from ...models import ApiToken, User
from ..records import audit

TOKEN_START = "ctk_"       # tells a leaked token for what it is (secret scanners match on it)
PREFIX_LENGTH = 12         # the token's first characters, kept to tell tokens apart in lists
NAME_MAX = 60
SCOPES = ("needs:write",)  # creating needs for the market's firms


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the row, and its full text (never stored, shown once)."""

    token: ApiToken
    secret: str


def token_digest(secret: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _ensure_staff(actor: User) -> None:
    if actor.role != Role.MARKET or actor.market_id is None:
        raise NotPermitted("market.staff_only")


def create_token(actor: User, name: str, scopes: list[str], *, now: datetime) -> IssuedToken:
    """A market's staff member creates a personal token with the given scopes; its text is returned once."""
    _ensure_staff(actor)
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("api.token_name_required")
    if len(name) > NAME_MAX:
        raise Invalid("api.token_name_too_long", max=NAME_MAX)
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise Invalid("api.token_scope_unknown")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, token_hash=token_digest(secret), prefix=secret[:PREFIX_LENGTH],
                     scopes=" ".join(sorted(set(scopes))), created_at=now)
    db.session.add(token)
    audit.record(actor, "api_token.create", token, {"name": name, "prefix": token.prefix, "scopes": token.scopes})
    return IssuedToken(token, secret)


def tokens_of(user: User) -> sa.Select:
    """The user's tokens, live ones first, newest first: the list the tokens page paginates."""
    return (sa.select(ApiToken).where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()))


def own_token(token_id: int, user: User) -> ApiToken | None:
    """The user's own token of that id, or None (another's token is not revealed)."""
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))


def revoke_token(token: ApiToken, actor: User, *, now: datetime) -> ApiToken:
    """The token's owner revokes it: every later call with it is refused."""
    _ensure_staff(actor)
    if token.user_id != actor.id:
        raise NotPermitted("api.token_not_own")
    if token.revoked_at is not None:
        raise Conflict("api.token_already_revoked")
    token.revoked_at = now
    audit.record(actor, "api_token.revoke", token, {"name": token.name, "prefix": token.prefix})
    return token


def live_token(secret: str) -> ApiToken | None:
    """The unrevoked token with this text whose owner is an active market staff member, or None."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    owner = token.user
    if not owner.active or owner.role != Role.MARKET or owner.market_id is None:
        return None
    return token


def has_scope(token: ApiToken, scope: str) -> bool:
    """Whether the token was created with this scope."""
    return scope in token.scopes.split()


def touch(token: ApiToken, *, now: datetime) -> None:
    """Note the token's use (its list shows when it was last used)."""
    token.last_used_at = now
