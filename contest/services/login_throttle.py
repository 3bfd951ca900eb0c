"""Log-in throttling that holds across workers and servers without Redis: refused log-ins are counted where
every server sees them, in the audit trail ("user.login_failed" events name the account and the address).

Per account and address: LOCK_AFTER refused attempts within WINDOW lock that address out of that account until
the window has passed. Per account, from all addresses together: after FREE refused attempts within WINDOW,
each further attempt must wait a delay that doubles with every failure, up to MAX_DELAY seconds. The owner,
at another address, is never locked out: it waits at most MAX_DELAY seconds, then signs in.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditEvent, User
from .accounts import same_username

WINDOW = timedelta(minutes=15)
LOCK_AFTER = 10      # refused attempts on one account from one address
FREE = 10            # refused attempts on one account, from any address, before the delays begin
MAX_DELAY = 60       # seconds
RECENT = FREE + 16   # enough of the latest failures to reach MAX_DELAY and see the address's lock


def seconds_to_wait(username: str, address: str, now: datetime) -> int:
    """0 when this address may try to log in to this account now, else how many seconds it must wait. An
    unknown account name has nothing to protect (the per-address limit of the log-in route still counts)."""
    user_id = db.session.scalar(sa.select(User.id).where(same_username(username)))
    if user_id is None:
        return 0
    failures = db.session.execute(
        sa.select(AuditEvent.created_at, AuditEvent.ip)
        .where(AuditEvent.action == "user.login_failed", AuditEvent.object_type == User.__tablename__,
               AuditEvent.object_id == user_id, AuditEvent.created_at > now - WINDOW)
        .order_by(AuditEvent.id.desc()).limit(max(RECENT, LOCK_AFTER))).all()
    from_here = [at for at, ip in failures if ip == address]
    if len(from_here) >= LOCK_AFTER:
        return _seconds(from_here[LOCK_AFTER - 1] + WINDOW - now)
    if len(failures) >= FREE:
        delay = min(2 ** (len(failures) - FREE), MAX_DELAY)
        return _seconds(failures[0][0] + timedelta(seconds=delay) - now)
    return 0


def _seconds(left: timedelta) -> int:
    return max(math.ceil(left.total_seconds()), 0)
