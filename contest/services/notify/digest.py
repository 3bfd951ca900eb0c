"""The daily digest: the messages held for users who chose it, gathered once a day after MAIL_DIGEST_HOUR
(Beijing time) into one mail each, written once whatever the number of workers sweeping."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

import sqlalchemy as sa
from flask import current_app

from ...domain.states import MailState
from ...extensions import db
from ...models import MailMessage, User
from .. import clock
from .compose import compose_digest, language_of, site
from .events import DIGEST
from .outbox import new_message_id, savepoint


def cut(now: datetime) -> datetime | None:
    """Today's digest time as naive UTC, once it has passed (None before it)."""
    hour = int(current_app.config["MAIL_DIGEST_HOUR"])
    local = clock.to_beijing(now)
    moment = clock.from_beijing(datetime.combine(local.date(), time(hour)))
    return moment if now >= moment else None


def write_digests(*, now: datetime) -> int:
    """One digest per user with messages held before today's digest time; returns how many were written."""
    until = cut(now)
    if until is None:
        return 0
    held = list(db.session.scalars(sa.select(MailMessage).where(
        MailMessage.state == MailState.HELD, MailMessage.created_at <= until).order_by(MailMessage.id)))
    by_user: dict[int, list[MailMessage]] = defaultdict(list)
    for message in held:
        by_user[message.user_id].append(message)
    day = clock.beijing_date(until).isoformat()
    written = 0
    for user_id, messages in by_user.items():
        written += _digest(db.session.get(User, user_id), messages, day=day, now=now)
    return written


def _digest(user: User, messages: list[MailMessage], *, day: str, now: datetime) -> int:
    items = [{"subject": m.subject, "paragraphs": m.body_text.split("\n"), "url": m.link} for m in messages]
    language = language_of(user.language)
    composed = compose_digest(items, name=user.display_name, language=language, day=day)
    digest = MailMessage(user_id=user.id, recipient=user.email, event=DIGEST, language=language,
                         subject=composed.subject[:200], body_text=composed.text, body_html=composed.html,
                         link=site(), message_id=new_message_id(), state=MailState.QUEUED,
                         next_attempt_at=now, created_at=now, dedupe_key=f"digest:{user.id}:{day}")
    try:
        with savepoint():
            db.session.add(digest)
            db.session.flush()
            done = db.session.execute(sa.update(MailMessage).where(
                MailMessage.id.in_([m.id for m in messages]), MailMessage.state == MailState.HELD)
                .values(state=MailState.DIGESTED, digest_id=digest.id)
                .execution_options(synchronize_session=False)).rowcount
            if done != len(messages):  # another worker gathered some of them meanwhile
                raise sa.exc.IntegrityError("digest", None, Exception("held messages taken"))
    except sa.exc.IntegrityError:
        return 0
    return 1
