"""Write and read the audit trail.

record() builds the event now (actor, UTC time, address) but hands it to the session only at commit (or when
the same session queries AuditEvent), so the chain's append lock (chain.py) is held for the commit
alone; an event recorded in a transaction that rolls back, or in a savepoint that rolls back, is dropped
with it.

A signed-in user's 404s are recorded sparingly (record_not_found): at most one "access.not_found" event per
path, and NOT_FOUND_LIMIT in all, per user in any NOT_FOUND_WINDOW, so a script requesting missing pages in a
loop cannot flood the trail (the server's access log still has every request).
"""
from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from ...extensions import db
from ...models import AuditEvent, User
from .. import clock, origin
from . import chain  # noqa: F401  (importing it makes the chain seal every inserted event)

_PENDING = "audit_pending"  # session.info: [(transaction recorded in, event)] not yet in the session
NOT_FOUND = "access.not_found"
NOT_FOUND_WINDOW = timedelta(minutes=10)  # per user and window: one event per path, NOT_FOUND_LIMIT in all
NOT_FOUND_LIMIT = 10


def one_line(text: str) -> str:
    """User text safe to put in a log line: CR, LF and backslashes escaped, so it cannot start a forged line."""
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def record(actor: User | None, action: str, target, detail: dict | None = None) -> AuditEvent:
    """Record one audit event about `target` (a model instance, flushed so it has an id; None: the request)."""
    session = db.session()
    session.flush()
    if not session.in_transaction():
        session.begin()
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(target).__tablename__ if target is not None else "request",
        object_id=getattr(target, "id", None),
        detail=json.dumps(detail or {}, ensure_ascii=False, default=str),  # escapes CR and LF as \r and \n
        ip=origin.current().address,
        created_at=clock.now(),
    )
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, event))
    return event


def record_not_found(actor: User, detail: dict) -> AuditEvent | None:
    """Record a signed-in user's 404 (detail: method, path, endpoint) unless the same user's 404 of this path, or
    NOT_FOUND_LIMIT of their 404s, were recorded within the last NOT_FOUND_WINDOW; None when not recorded."""
    recent = db.session.scalars(
        sa.select(AuditEvent.detail)
        .where(AuditEvent.action == NOT_FOUND, AuditEvent.actor_id == actor.id,
               AuditEvent.created_at >= clock.now() - NOT_FOUND_WINDOW)
        .order_by(AuditEvent.id.desc()).limit(NOT_FOUND_LIMIT)).all()
    if len(recent) >= NOT_FOUND_LIMIT or any(json.loads(d or "{}").get("path") == detail["path"] for d in recent):
        return None
    return record(actor, NOT_FOUND, None, detail)


def _add_pending(session: Session) -> None:
    """Put the recorded events into the session, in the order they were recorded."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.add_all([event for _, event in pending])


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """The commit's flush inserts the recorded events (sealing them under the append lock)."""
    _add_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _before_audit_query(state: ORMExecuteState) -> None:
    """A query of the trail sees the events recorded in its own transaction (autoflush then inserts them)."""
    if state.session.info.get(_PENDING) and any(m.class_ is AuditEvent for m in state.all_mappers):
        _add_pending(state.session)


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Events recorded in a rolled-back transaction or savepoint are dropped with what they described."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(t, e) for t, e in pending if not _within(t, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _drop_at_end(session: Session, transaction: SessionTransaction) -> None:
    """A session closed without committing drops its recorded events."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
