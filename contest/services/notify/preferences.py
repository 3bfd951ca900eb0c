"""Each user's choice of mail per kind of event (immediate, the daily digest, the app only) and language."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ...domain.errors import Invalid
from ...domain.states import MailMode
from ...extensions import db
from ...models import MailPreference, User
from ..records import audit
from .events import EVENTS, for_role


def chosen(user: User) -> dict[str, MailMode]:
    """Every event the user may hear of, with their choice (immediate without one)."""
    rows = dict(db.session.execute(sa.select(MailPreference.event, MailPreference.mode)
                                   .where(MailPreference.user_id == user.id)).tuples().all())
    return {e.kind: rows.get(e.kind, MailMode.IMMEDIATE) for e in for_role(user.role)}


def save(user: User, *, language: str, modes: dict[str, MailMode], now: datetime) -> None:
    """Record the user's choices; an event the rules require to be sent cannot be left to the app only."""
    if language not in current_app.config["LANGUAGES"]:
        raise Invalid("notify.unknown_language", language=language)
    allowed = {e.kind for e in for_role(user.role)}
    for kind, mode in modes.items():
        if kind not in allowed:
            raise Invalid("notify.unknown_event", event=kind)
        if mode == MailMode.APP and EVENTS[kind].required:
            raise Invalid("notify.mail_required", event=EVENTS[kind].label)
    before = chosen(user)
    user.language = language
    db.session.execute(sa.delete(MailPreference).where(MailPreference.user_id == user.id))
    db.session.add_all([MailPreference(user_id=user.id, event=kind, mode=mode, updated_at=now)
                        for kind, mode in modes.items() if mode != MailMode.IMMEDIATE])
    changed = {k: m.value for k, m in modes.items() if before.get(k) != m}
    audit.record(user, "notify.settings", user, {"language": language, "changed": changed})
    db.session.flush()
