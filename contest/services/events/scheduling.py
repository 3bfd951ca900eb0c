"""Scheduling a matchmaking event: its market, time, place, fields and the needs presented; editing and
cancelling it (the record stays; its registrants are told)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...domain.choices import NeedField
from ...domain.errors import Conflict, Invalid, NotPermitted
from ...domain.states import NEED_PUBLIC, NeedStatus, Role
from ...extensions import db
from ...models import EventNeed, EventRegistration, MatchEvent, Need, User
from .. import notify
from ..markets import open_market
from ..records import audit
from .access import beijing_text, contains_pattern, ensure_manages, manages_market

MAX_NEEDS = 30
NEED_ID_LINE = re.compile(r"^#?(\d{1,10})(?:\s|$)")   # "12" or "#12 需求名称": the need of that id


@dataclass
class EventData:
    """What the scheduling form gives: the time is naive UTC already."""

    market_id: int | None
    title: str
    starts_at: datetime
    place: str
    fields: list[NeedField]
    description: str
    need_refs: list[str]


def schedule_event(actor: User, data: EventData, *, now: datetime) -> MatchEvent:
    """Schedule an event for a market: its staff for their own market, the organizer for any."""
    market = _market_for(actor, data.market_id)
    if data.starts_at <= now:
        raise Invalid("event.starts_in_past")
    needs = resolve_needs(actor, market.id, data.need_refs)
    event = MatchEvent(market_id=market.id, created_by_id=actor.id, created_at=now)
    _fill(event, data)
    db.session.add(event)
    db.session.flush()
    db.session.add_all([EventNeed(event_id=event.id, need_id=n.id) for n in needs])
    db.session.flush()
    audit.record(actor, "event.schedule", event, {"title": event.title, "market": market.name,
                                                  "needs": [n.id for n in needs]})
    return event


def edit_event(event: MatchEvent, actor: User, data: EventData, *, now: datetime) -> MatchEvent:
    """Change an event (its market stays); its registrants are told when the time or the place changes."""
    ensure_manages(actor, event)
    if event.cancelled:
        raise Conflict("event.cancelled")
    if data.starts_at != event.starts_at and data.starts_at <= now:
        raise Invalid("event.starts_in_past")
    kept = set(presented_ids(event.id))
    needs = resolve_needs(actor, event.market_id, data.need_refs, kept=kept)
    moved = data.starts_at != event.starts_at or data.place != event.place
    _fill(event, data)
    wanted = {n.id for n in needs}
    db.session.execute(sa.delete(EventNeed).where(EventNeed.event_id == event.id,
                                                  EventNeed.need_id.not_in(wanted or {0})))
    db.session.add_all([EventNeed(event_id=event.id, need_id=i) for i in sorted(wanted - kept)])
    db.session.flush()
    audit.record(actor, "event.update", event, {"title": event.title, "needs": sorted(wanted)})
    if moved:
        _tell_registrants(event, "event.changed", now)
    return event


def cancel_event(event: MatchEvent, actor: User, *, now: datetime) -> MatchEvent:
    """Cancel an event: it stays on the list, marked cancelled, and its registrants are told."""
    ensure_manages(actor, event)
    if event.cancelled:
        raise Conflict("event.cancelled")
    event.cancelled = True
    db.session.flush()
    audit.record(actor, "event.cancel", event, {"title": event.title})
    _tell_registrants(event, "event.cancelled", now)
    return event


def presented_ids(event_id: int) -> list[int]:
    """The ids of the needs presented at the event."""
    return list(db.session.scalars(sa.select(EventNeed.need_id).where(EventNeed.event_id == event_id)))


def resolve_needs(actor: User, market_id: int, refs: Iterable[str], *, kept: set[int] = frozenset()) -> list[Need]:
    """The needs named by id ("12", "#12 名称") or by a part of their name: published needs the actor may present
    (market staff their market's, the organizer any); a need already presented at the event may stay once its
    bidding has closed."""
    found: dict[int, Need] = {}
    for ref in (r.strip() for r in refs):
        if not ref:
            continue
        need = _need_by_ref(ref[:100])
        if need.id in kept and need.status in NEED_PUBLIC:
            found[need.id] = need
            continue
        if need.status != NeedStatus.PUBLISHED or (actor.role == Role.MARKET and need.market_id != market_id):
            raise Invalid("event.need_not_presentable", need=need.name)
        found[need.id] = need
    if len(found) > MAX_NEEDS:
        raise Invalid("event.too_many_needs", max=MAX_NEEDS)
    return list(found.values())


def _need_by_ref(ref: str) -> Need:
    match = NEED_ID_LINE.match(ref)
    if match:
        need = db.session.get(Need, int(match.group(1))) if int(match.group(1)) <= 2**31 - 1 else None
        if need is None or need.status not in NEED_PUBLIC:
            raise Invalid("event.need_unknown", ref=ref)
        return need
    escaped = contains_pattern(ref)
    matches = list(db.session.scalars(
        sa.select(Need).where(Need.status == NeedStatus.PUBLISHED, Need.name.ilike(f"%{escaped}%", escape="\\"))
        .order_by(Need.id).limit(MAX_NEEDS + 1)))
    exact = [n for n in matches if n.name == ref]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise Invalid("event.need_unknown", ref=ref)
    raise Invalid("event.need_ambiguous", ref=ref, count=len(matches))


def _market_for(actor: User, market_id: int | None):
    """The event's market: as chosen (the organizer), or the staff's own (another is refused)."""
    if actor.role == Role.MARKET and market_id not in (None, actor.market_id):
        raise NotPermitted("event.other_market")
    if actor.role == Role.MARKET:
        market_id = actor.market_id
    market = open_market(market_id)
    if not manages_market(actor, market.id):
        raise NotPermitted("event.other_market")
    return market


def _fill(event: MatchEvent, data: EventData) -> None:
    event.title, event.starts_at, event.place = data.title.strip(), data.starts_at, data.place.strip()
    event.fields = ",".join(dict.fromkeys(f.value for f in data.fields))
    event.description = (data.description or "").strip()


def _tell_registrants(event: MatchEvent, kind: str, now: datetime) -> None:
    users = list(db.session.scalars(
        sa.select(User).join(EventRegistration, EventRegistration.user_id == User.id)
        .where(EventRegistration.event_id == event.id, User.active.is_(True))))
    notify.tell(kind, users, now=now, link=notify.path("events.event", event_id=event.id), title=event.title,
                when=beijing_text(event.starts_at), place=event.place)
