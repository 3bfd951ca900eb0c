"""Telling people: an in-app notice for each, and a mail written to the outbox in the same transaction (a
change that rolls back tells no one), delivered once it commits (delivery.py)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses, make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import SessionTransaction

from ...domain.states import MailMode, MailState
from ...extensions import db
from ...models import MailMessage, MailPreference, Notice, User
from ..jobs import queue
from .compose import body_of, compose, language_of, site, subject_of
from .events import EVENTS, Event

NOTICE_LIMIT = 500
DEFAULT_SENDER = "揭榜挂帅平台 <noreply@localhost>"


def sender() -> str:
    return current_app.config.get("MAIL_FROM") or DEFAULT_SENDER


def new_message_id() -> str:
    """A Message-ID on the sender's domain, fixed when the message is written."""
    addresses = getaddresses([sender()])
    domain = (addresses[0][1].rpartition("@")[2] if addresses else "") or "localhost"
    return make_msgid(domain=domain)


def modes(users: list[User], kind: str) -> dict[int, MailMode]:
    """Each user's choice for this kind of event (immediate without one); required events never stay in-app."""
    chosen = dict(db.session.execute(sa.select(MailPreference.user_id, MailPreference.mode).where(
        MailPreference.event == kind, MailPreference.user_id.in_([u.id for u in users]))).tuples().all()) \
        if users else {}
    required = EVENTS[kind].required
    return {u.id: (MailMode.IMMEDIATE if required and chosen.get(u.id) == MailMode.APP
                   else chosen.get(u.id, MailMode.IMMEDIATE)) for u in users}


def _mail(event: Event, user: User, mode: MailMode, params: dict[str, Any], link: str | None, key: str | None,
          now: datetime) -> MailMessage:
    language = language_of(user.language)
    composed = compose(event, params, name=user.display_name, language=language, link=link)
    held = mode == MailMode.DIGEST
    body = (composed.text if not held else body_of(event, params, language))
    return MailMessage(user_id=user.id, recipient=user.email, event=event.kind, language=language,
                       subject=composed.subject[:200], body_text=body, body_html="" if held else composed.html,
                       link=site() + link if link else None, message_id=new_message_id(),
                       state=MailState.HELD if held else MailState.QUEUED, next_attempt_at=now, created_at=now,
                       dedupe_key=f"{key}:{user.id}" if key else None)


def tell(kind: str, users: Iterable[User], *, now: datetime, link: str | None = None, key: str | None = None,
         **params: Any) -> int:
    """Tell each user of an event: a notice in the app, and a mail unless they chose the app only.

    `link` is a path of the site (compose.path); `params` fill the event's texts. With `key`, each user hears of
    it once whatever the number of calls (a reminder written by several workers' sweeps). Returns how many
    users were told."""
    return tell_each(kind, [Told(u, params, link) for u in users if u is not None], now=now, key=key)


@dataclass(frozen=True)
class Told:
    """One person told of an event, with their own parameters and link (each team its own rank and score)."""

    user: User
    params: dict[str, Any]
    link: str | None = None


def tell_each(kind: str, told: list[Told], *, now: datetime, key: str | None = None) -> int:
    """Tell many people of one event, each with their own parameters: their choices are read in one statement.
    A person listed twice is told once (the last of their entries); see tell_all for one message per entry."""
    event = EVENTS[kind]
    people = list({t.user.id: t for t in told}.values())
    if key:
        seen = set(db.session.scalars(sa.select(Notice.user_id).where(
            Notice.dedupe_key.in_([f"{key}:{t.user.id}" for t in people])))) if people else set()
        people = [t for t in people if t.user.id not in seen]
    if not people:
        return 0
    chosen = modes([t.user for t in people], kind)
    mailed = False
    for t in people:
        user = t.user
        rows: list[Any] = [Notice(user_id=user.id, text=subject_of(event, t.params, user.language)[:NOTICE_LIMIT],
                                  event=kind, link=t.link, created_at=now,
                                  dedupe_key=f"{key}:{user.id}" if key else None)]
        mode = chosen[user.id]
        if user.email and mode != MailMode.APP:
            rows.append(_mail(event, user, mode, t.params, t.link, key, now))
            mailed = mailed or mode == MailMode.IMMEDIATE
        if key:
            _add_once(rows)
        else:
            db.session.add_all(rows)
    if mailed:
        queue.deliver_after_commit()
    return len(people)


def tell_all(kind: str, told: list[Told], *, now: datetime) -> int:
    """Tell every entry, where one person may come several times (a firm for each of its needs, a team for each
    of its bids): each person's second message goes in a second call of tell_each, and so on. The calls grow
    with the most entries of one person, never with the number of entries."""
    rounds: list[list[Told]] = []
    seen: dict[int, int] = {}
    for t in told:
        if t.user is None:
            continue
        n = seen[t.user.id] = seen.get(t.user.id, -1) + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(t)
    return sum(tell_each(kind, r, now=now) for r in rounds)


def _add_once(rows: list[Any]) -> None:
    """Add a keyed notice and its mail, unless another transaction wrote them first."""
    try:
        with savepoint():
            db.session.add_all(rows)
    except sa.exc.IntegrityError:
        pass


def savepoint() -> SessionTransaction:
    """db.session.begin_nested(), inside the caller's transaction on SQLite too. SQLite's driver opens a
    transaction only before a write, so a SAVEPOINT as the transaction's first statement would be the transaction
    itself and its RELEASE would commit it: a change that then rolls back would have told people. Open it first."""
    connection = db.session.connection()
    driver = connection.connection.dbapi_connection
    if isinstance(driver, sqlite3.Connection) and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN")
    return db.session.begin_nested()
