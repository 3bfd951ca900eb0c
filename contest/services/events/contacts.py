"""The contacts made at a matchmaking event: a presented need and a team (a registered one, or found by name),
optionally the broker who brought them together, and a note. One per event, need and team."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...domain.errors import Conflict, Invalid
from ...extensions import db
from ...models import Broker, EventContact, EventRegistration, MatchEvent, Need, Team, User
from ..records import audit
from .access import contains_pattern, ensure_manages
from .scheduling import presented_ids



@dataclass
class ContactData:
    need_id: int | None
    team_id: int | None          # a registered team, or None: found by team_name
    team_name: str
    broker_id: int | None
    note: str


def registered_teams(event: MatchEvent) -> list[Team]:
    """The teams whose account registered for the event, by name."""
    return list(db.session.scalars(
        sa.select(Team).join(EventRegistration, EventRegistration.user_id == Team.owner_id)
        .where(EventRegistration.event_id == event.id).order_by(Team.name, Team.id)))


def broker_choices(event: MatchEvent) -> list[Broker]:
    """The brokers who may be named: those registered for the event and the active brokers of its market."""
    registered = sa.select(EventRegistration.user_id).where(EventRegistration.event_id == event.id)
    return list(db.session.scalars(
        sa.select(Broker).where(sa.or_(Broker.user_id.in_(registered),
                                       sa.and_(Broker.market_id == event.market_id, Broker.active.is_(True))))
        .order_by(Broker.name, Broker.id)))


def record_contact(event: MatchEvent, actor: User, data: ContactData, *, now: datetime) -> EventContact:
    """Record a contact made at the event (its organizers, once it has started)."""
    ensure_manages(actor, event)
    if event.cancelled:
        raise Conflict("event.cancelled")
    if event.starts_at > now:
        raise Conflict("event.not_started")
    if data.need_id is None or data.need_id not in presented_ids(event.id):
        raise Invalid("event.need_not_presented")
    need = db.session.get(Need, data.need_id)
    team = _team(event, data)
    broker = None
    if data.broker_id is not None:
        broker = db.session.get(Broker, data.broker_id)
        if broker is None or broker.id not in {b.id for b in broker_choices(event)}:
            raise Invalid("event.broker_unknown")
    if db.session.scalar(sa.select(EventContact.id).where(
            EventContact.event_id == event.id, EventContact.need_id == need.id, EventContact.team_id == team.id)):
        raise Conflict("event.contact_duplicate", need=need.name, team=team.name)
    contact = EventContact(event_id=event.id, need_id=need.id, team_id=team.id,
                           broker_id=broker.id if broker else None, note=(data.note or "").strip()[:500],
                           recorded_by_id=actor.id, recorded_at=now)
    db.session.add(contact)
    db.session.flush()
    audit.record(actor, "event.contact", event, {"contact": contact.id, "need": need.id, "team": team.id,
                                                 "broker": contact.broker_id})
    return contact


def _team(event: MatchEvent, data: ContactData) -> Team:
    """The team chosen among the registered ones, or the one team whose name matches what was typed."""
    if data.team_id is not None:
        team = next((t for t in registered_teams(event) if t.id == data.team_id), None)
        if team is None:
            raise Invalid("event.team_required")
        return team
    name = (data.team_name or "").strip()[:100]
    if not name:
        raise Invalid("event.team_required")
    exact = db.session.scalars(sa.select(Team).where(Team.name == name).limit(2)).all()
    if len(exact) == 1:
        return exact[0]
    like = Team.name.ilike(f"%{contains_pattern(name)}%", escape="\\")
    found = db.session.scalars(sa.select(Team).where(like).order_by(Team.id).limit(2)).all()
    if not found:
        raise Invalid("event.team_unknown", name=name)
    if len(found) > 1:
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Team).where(like))
        raise Invalid("event.team_ambiguous", name=name, count=count)
    return found[0]

