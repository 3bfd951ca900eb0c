"""Registering for a matchmaking event (firms, teams and brokers; one registration per account) and the
attendance its organizers mark once it has started."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ...domain.errors import Conflict, NotPermitted
from ...extensions import db
from ...models import EventRegistration, MatchEvent, User
from ..records import audit
from .access import REGISTRANTS, ensure_manages


def _open_for_registration(event: MatchEvent, actor: User, now: datetime) -> None:
    if actor.role not in REGISTRANTS:
        raise NotPermitted("event.cannot_register")
    if event.cancelled:
        raise Conflict("event.cancelled")
    if event.starts_at <= now:
        raise Conflict("event.started")


def registration_of(event: MatchEvent, user: User) -> EventRegistration | None:
    """The user's registration for the event, if any."""
    return db.session.scalar(sa.select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.user_id == user.id))


def register(event: MatchEvent, actor: User, *, now: datetime) -> EventRegistration:
    """Register the actor's account for an upcoming event (once)."""
    _open_for_registration(event, actor, now)
    if registration_of(event, actor) is not None:
        raise Conflict("event.already_registered")
    registration = EventRegistration(event_id=event.id, user_id=actor.id, registered_at=now)
    db.session.add(registration)
    db.session.flush()
    return registration


def unregister(event: MatchEvent, actor: User, *, now: datetime) -> None:
    """Withdraw the actor's registration before the event starts."""
    _open_for_registration(event, actor, now)
    registration = registration_of(event, actor)
    if registration is None:
        raise Conflict("event.not_registered")
    db.session.delete(registration)
    db.session.flush()


def mark_attendance(event: MatchEvent, registration: EventRegistration, actor: User, attended: bool, *,
                    now: datetime) -> EventRegistration:
    """Mark whether a registrant came, once the event has started (its organizers only)."""
    ensure_manages(actor, event)
    if event.cancelled:
        raise Conflict("event.cancelled")
    if event.starts_at > now:
        raise Conflict("event.not_started")
    registration.attended = attended
    db.session.flush()
    audit.record(actor, "event.attendance", event, {"registration": registration.id, "user": registration.user_id,
                                                    "attended": attended})
    return registration
