"""The audit trail's hash chain: how each event is sealed as it is written, and how the chain is verified.

Sealing. Every AuditEvent is sealed at INSERT time by a mapper `before_insert` hook, whoever adds it (the
audit service, a script, a test): it takes the append lock, reads the chain's head (the event with the
highest id), and gives the new event the next id, `prev_hash` = the head's hash (64 zeros for the first
event) and `hash` = SHA-256 of its canonical serialisation (`canonical()`: id, actor, action, object, detail,
address, time and prev_hash), so editing any of these, or removing an event, breaks the chain.

Serialising appends. Two transactions reading the same head would fork the chain, so the head is read under
a lock held until the transaction ends: on PostgreSQL a transaction-level advisory lock (APPEND_LOCK, shared
by every server using the database; the default READ COMMITTED isolation lets the read after the lock see the
head the previous holder committed); on SQLite the database's write lock (BEGIN IMMEDIATE when the connection
is not yet writing). The database backs this up: `prev_hash` is UNIQUE, so a fork is refused, never stored.

Keeping the lock short. The lock is taken when the first event is inserted and held until commit, so the
audit service defers its events to the commit (contest/services/audit.py: they enter the session in a
before_commit hook, or when the same session queries AuditEvent): a request that records an event early and
then renders PDFs for a second does not make every other request's log-in wait for it.

What verify_chain() detects: an event whose content or hash was edited (its hash no longer matches), and an
event removed from the start or the middle (the next one's prev_hash points at nothing), each named by id.
What it cannot detect on its own: events removed from the end (the tail), or the whole table replaced by a
consistently re-hashed forgery; for those, compare `chain_head()` (printed by `flask --app contest check`)
with a head an operator noted earlier or kept elsewhere (an external anchor).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, object_session

from ...extensions import db
from ...models import AuditEvent
from ...models.base import utcnow
from .violations import Violation

GENESIS = "0" * 64
APPEND_LOCK = 0x61756469745F6C  # "audit_l": pg_advisory_xact_lock key serialising appends on PostgreSQL
BATCH = 1000  # events read at a time by verify_chain()
_HEAD = "audit_chain_head"  # session.info: the head as of the last event sealed in the current flush

EDITED = "check.chain.edited"   # the message ids of what verify_chain() finds
BROKEN = "check.chain.broken"


@dataclass(frozen=True)
class ChainHead:
    """The last event of the chain: note its id and hash to detect later removals from the end."""

    id: int
    hash: str


def canonical(event_id: int, actor_id: int | None, action: str, object_type: str, object_id: int | None,
              detail: str, ip: str, created_at: datetime, prev_hash: str) -> bytes:
    """The bytes an event's hash covers: a JSON array, version-tagged, with the time as ISO 8601 (UTC)."""
    fields = ["audit-v1", event_id, actor_id, action, object_type, object_id, detail, ip,
              created_at.isoformat(timespec="microseconds"), prev_hash]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_hash(event_id, actor_id, action, object_type, object_id, detail, ip, created_at, prev_hash) -> str:
    """The hex SHA-256 of an event's canonical serialisation."""
    return hashlib.sha256(canonical(event_id, actor_id, action, object_type, object_id, detail, ip, created_at,
                                    prev_hash)).hexdigest()


def _take_append_lock(connection: Connection) -> None:
    """Hold the lock that serialises appends until this transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(APPEND_LOCK)))
        return
    raw = connection.connection.dbapi_connection
    # pysqlite runs a SELECT outside any transaction until the first write: take the write lock first, so no
    # other connection appends between our reading the head and our insert.
    if isinstance(raw, sqlite3.Connection) and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _read_head(connection: Connection) -> tuple[int, str]:
    """(id, hash) of the chain's last event, or (0, GENESIS) when there is none."""
    row = connection.execute(sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else (0, GENESIS)


def _next_id(connection: Connection, head_id: int) -> int:
    """The id after the head's (on PostgreSQL drawn from the column's sequence, so the sequence stays ahead)."""
    if connection.dialect.name == "postgresql":
        drawn = connection.execute(sa.text("SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))")).scalar()
        return max(drawn, head_id + 1)
    return head_id + 1


def _utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


@event.listens_for(AuditEvent, "before_insert")
def _seal(mapper, connection: Connection, target: AuditEvent) -> None:
    """Give the event being inserted its id, prev_hash and hash, under the append lock."""
    info = object_session(target).info
    head = info.get(_HEAD)
    if head is None:
        _take_append_lock(connection)
        head = _read_head(connection)
    # actor_id is already set from `actor` here: the unit of work syncs many-to-one keys before the insert.
    target.detail = target.detail if target.detail is not None else ""
    target.ip = target.ip if target.ip is not None else ""
    target.created_at = _utc_naive(target.created_at or utcnow())
    target.id = _next_id(connection, head[0])
    target.prev_hash = head[1]
    target.hash = event_hash(target.id, target.actor_id, target.action, target.object_type, target.object_id,
                             target.detail, target.ip, target.created_at, target.prev_hash)
    info[_HEAD] = (target.id, target.hash)


@event.listens_for(Session, "before_flush")
def _forget_head(session: Session, flush_context, instances) -> None:
    """Each flush reads the head again: a previous flush may have failed or been rolled back."""
    session.info.pop(_HEAD, None)


def _rows() -> Iterator[sa.Row]:
    """Every event in id order, fetched BATCH at a time (a server-side cursor on PostgreSQL)."""
    stmt = sa.select(AuditEvent.id, AuditEvent.actor_id, AuditEvent.action, AuditEvent.object_type,
                     AuditEvent.object_id, AuditEvent.detail, AuditEvent.ip, AuditEvent.created_at,
                     AuditEvent.prev_hash, AuditEvent.hash).order_by(AuditEvent.id)
    yield from db.session.execute(stmt.execution_options(yield_per=BATCH))


def verify_chain() -> list[Violation]:
    """Every edited event and every gap of the audit chain, in id order (empty when the chain is intact)."""
    violations: list[Violation] = []
    previous_hash = GENESIS
    for row in _rows():
        name = f"audit_event {row.id}"
        if row.prev_hash != previous_hash:
            violations.append(Violation(name, BROKEN))
        recomputed = event_hash(row.id, row.actor_id, row.action, row.object_type, row.object_id, row.detail,
                                row.ip, row.created_at, row.prev_hash)
        if recomputed != row.hash:
            violations.append(Violation(name, EDITED))
        previous_hash = row.hash  # the stored hash: an edited event is reported once, not with all that follow
    return violations


def chain_head() -> ChainHead | None:
    """The chain's last event (None when the trail is empty), for an operator to note and compare later."""
    row = db.session.execute(sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return ChainHead(row.id, row.hash) if row else None
