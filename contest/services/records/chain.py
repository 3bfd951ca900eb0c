"""The audit trail's hash chain: how each event is sealed as it is written, and how the chain is verified.

Sealing. Every AuditEvent is sealed at INSERT time by a mapper `before_insert` hook, whoever adds it (the
audit service, a script, a test): it takes the append lock, reads the chain's head (the event with the
highest id), and gives the new event the next id, `prev_hash` = the head's hash (64 zeros for the first
event) and `hash` = HMAC-SHA-256 of its canonical serialisation (`canonical()`: id, actor, action, object,
detail, address, time and prev_hash), so editing any of these, or removing an event, breaks the chain.

The key. The HMAC's key is kept outside the database (`chain_key()`): the AUDIT_CHAIN_KEY setting, or, when it
is unset, a key derived from SECRET_KEY with a fixed label. Someone who can write to the database but does not
hold the key cannot re-seal edited events: a chain recomputed with plain SHA-256 or with another key fails.
Events sealed before the key existed (plain SHA-256, "audit-v1": migration 0005 and earlier versions) are
accepted only up to the id the operator names in AUDIT_CHAIN_PLAIN_THROUGH; any other plain-hashed event is
reported as sealed without the key.

Serialising appends. Two transactions reading the same head would fork the chain, so the head is read under
a lock held until the transaction ends: on PostgreSQL a transaction-level advisory lock (APPEND_LOCK, shared
by every server using the database; the default READ COMMITTED isolation lets the read after the lock see the
head the previous holder committed); on SQLite the database's write lock (BEGIN IMMEDIATE when the connection
is not yet writing). The database backs this up: `prev_hash` is UNIQUE, so a fork is refused, never stored.

Keeping the lock short. The lock is taken when the first event is inserted and held until commit, so the
audit service defers its events to the commit (contest/services/audit.py: they enter the session in a
before_commit hook, or when the same session queries AuditEvent): a request that records an event early and
then renders PDFs for a second does not make every other request's log-in wait for it.

What verify_chain() detects: an event whose content or hash was edited (its hash no longer matches, including
a chain re-hashed without the key), and an event removed from the start or the middle (the next one's
prev_hash points at nothing), each named by id. What it cannot detect on its own: events removed from the end
(the tail); for those, compare `chain_head()` (printed by `flask --app contest check`) with a head an
operator noted earlier or kept elsewhere (an external anchor).

What verify_append_only() detects: a missing, disabled or altered append-only trigger (migration 0005), by
name, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import current_app
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

KEY_LABEL = b"contest audit chain key"  # what the key derived from SECRET_KEY is derived for

EDITED = "check.chain.edited"   # the message ids of what verify_chain() finds
BROKEN = "check.chain.broken"
UNKEYED = "check.chain.unkeyed"
TRIGGER_MISSING = "check.chain.trigger_missing"  # and of what verify_append_only() finds
TRIGGER_ALTERED = "check.chain.trigger_altered"

# The append-only triggers migration 0005 creates on audit_event, by database: name -> what each must refuse.
APPEND_ONLY_TRIGGERS = {
    "sqlite": {"audit_event_no_update": ("UPDATE",), "audit_event_no_delete": ("DELETE",)},
    "postgresql": {"audit_event_append_only": ("UPDATE", "DELETE")},
}
# pg_trigger.tgtype bits: a row-level trigger, fired before, on DELETE, on UPDATE.
PG_ROW, PG_BEFORE, PG_OPERATIONS = 1, 2, {"DELETE": 8, "UPDATE": 16}


@dataclass(frozen=True)
class ChainHead:
    """The last event of the chain: note its id and hash to detect later removals from the end."""

    id: int
    hash: str


def chain_key() -> bytes:
    """The key of the chain's HMAC: AUDIT_CHAIN_KEY, or when unset HMAC-SHA-256(SECRET_KEY, KEY_LABEL)."""
    configured = current_app.config.get("AUDIT_CHAIN_KEY")
    if configured:
        return configured.encode("utf-8") if isinstance(configured, str) else bytes(configured)
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    return hmac.new(secret, KEY_LABEL, hashlib.sha256).digest()


def canonical(version: str, event_id: int, actor_id: int | None, action: str, object_type: str,
              object_id: int | None, detail: str, ip: str, created_at: datetime, prev_hash: str) -> bytes:
    """The bytes an event's hash covers: a JSON array, version-tagged, with the time as ISO 8601 (UTC)."""
    fields = [version, event_id, actor_id, action, object_type, object_id, detail, ip,
              created_at.isoformat(timespec="microseconds"), prev_hash]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_hash(event_id, actor_id, action, object_type, object_id, detail, ip, created_at, prev_hash, *,
               key: bytes | None = None) -> str:
    """The hex HMAC-SHA-256 of an event's canonical serialisation ("audit-v2"), keyed with `key` (chain_key())."""
    content = canonical("audit-v2", event_id, actor_id, action, object_type, object_id, detail, ip, created_at,
                        prev_hash)
    return hmac.new(key if key is not None else chain_key(), content, hashlib.sha256).hexdigest()


def plain_hash(event_id, actor_id, action, object_type, object_id, detail, ip, created_at, prev_hash) -> str:
    """The hex SHA-256 an event was sealed with before the chain was keyed ("audit-v1", as migration 0005)."""
    return hashlib.sha256(canonical("audit-v1", event_id, actor_id, action, object_type, object_id, detail, ip,
                                    created_at, prev_hash)).hexdigest()


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
    """Every edited event, every event not sealed with the key and every gap of the audit chain, in id order
    (empty when the chain is intact). Plain SHA-256 is accepted up to AUDIT_CHAIN_PLAIN_THROUGH only."""
    key = chain_key()
    plain_through = current_app.config.get("AUDIT_CHAIN_PLAIN_THROUGH") or 0
    violations: list[Violation] = []
    previous_hash = GENESIS
    for row in _rows():
        name = f"audit_event {row.id}"
        if row.prev_hash != previous_hash:
            violations.append(Violation(name, BROKEN))
        fields = (row.id, row.actor_id, row.action, row.object_type, row.object_id, row.detail, row.ip,
                  row.created_at, row.prev_hash)
        if not hmac.compare_digest(event_hash(*fields, key=key), row.hash):
            plain = plain_hash(*fields) == row.hash
            if not (plain and row.id <= plain_through):
                violations.append(Violation(name, UNKEYED if plain else EDITED))
        previous_hash = row.hash  # the stored hash: an edited event is reported once, not with all that follow
    return violations


def _sqlite_triggers() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """The triggers on audit_event: name -> (whether its body refuses, the operations it fires before)."""
    found = {}
    for name, sql in db.session.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")):
        text = re.sub(r"\s+", " ", sql).upper()
        fires = tuple(op for op in ("UPDATE", "DELETE") if f"BEFORE {op} ON AUDIT_EVENT" in text)
        found[name] = ("RAISE(ABORT" in text.replace(" ", ""), fires)
    return found


def _postgresql_triggers() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """The triggers on audit_event: name -> (whether its function raises, the operations it fires before, row by
    row, if enabled)."""
    found = {}
    for name, enabled, kind, source in db.session.execute(sa.text(
            "SELECT t.tgname, t.tgenabled, t.tgtype, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = to_regclass('audit_event') AND NOT t.tgisinternal")):
        fires = tuple(op for op, bit in PG_OPERATIONS.items()
                      if enabled in ("O", "A") and kind & PG_ROW and kind & PG_BEFORE and kind & bit)
        found[name] = ("RAISE EXCEPTION" in re.sub(r"\s+", " ", source).upper(), fires)
    return found


def verify_append_only() -> list[Violation]:
    """Each append-only trigger of audit_event is there, enabled, and refuses what it must (by name)."""
    dialect = db.session.get_bind().dialect.name
    present = _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers()
    violations = []
    for name, operations in APPEND_ONLY_TRIGGERS[dialect].items():
        if name not in present:
            violations.append(Violation("audit_event", TRIGGER_MISSING, {"trigger": name}))
            continue
        refuses, fires = present[name]
        if not refuses or set(operations) - set(fires):
            violations.append(Violation("audit_event", TRIGGER_ALTERED,
                                        {"trigger": name, "operations": " ".join(operations)}))
    return violations


def chain_head() -> ChainHead | None:
    """The chain's last event (None when the trail is empty), for an operator to note and compare later."""
    row = db.session.execute(sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return ChainHead(row.id, row.hash) if row else None
