"""Write and read the audit trail."""
from __future__ import annotations

import json

from flask import has_request_context, request

from ..extensions import db
from ..models import AuditEvent, User
from . import clock


def client_address() -> str:
    """The requesting address (ProxyFix rewrites it when TRUSTED_PROXIES is set)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(actor: User | None, action: str, target, detail: dict | None = None) -> AuditEvent:
    """Add one audit event for `target` (a model instance, flushed so it has an id)."""
    db.session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(target).__tablename__,
        object_id=getattr(target, "id", None),
        detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        ip=client_address(),
        created_at=clock.now(),
    )
    db.session.add(event)
    return event
