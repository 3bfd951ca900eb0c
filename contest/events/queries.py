"""Reads of the events pages: the events list (one statement per page, its count, and the registration counts of
the page's events), an event and its registrants, and the lookups the views share."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user

from ..domain.choices import NeedField
from ..domain.states import Role
from ..extensions import db
from ..models import EventNeed, EventRegistration, MatchEvent, Need, Organization, User
from ..services.events.access import SCHEDULERS, manages
from ..services.events.tracing import year_bounds
from ..web.listing import Listing
from ..web.lookups import within_pages

EVENTS = Listing("events", sorts={"date": MatchEvent.starts_at, "title": MatchEvent.title, "place": MatchEvent.place},
                 default="date", default_dir="desc", tiebreak=MatchEvent.id, first_dir={"date": "desc"},
                 texts=(MatchEvent.title, MatchEvent.place, MatchEvent.description))
UPCOMING, PAST = "upcoming", "past"


def events_select(asked, *, now: datetime, market_id: int | None = None, year: int | None = None,
                  when: str | None = None, user_id: int | None = None) -> sa.Select:
    """The events, filtered by market, year, upcoming or past, and those the user registered for."""
    stmt = sa.select(MatchEvent).order_by(MatchEvent.starts_at.desc(), MatchEvent.id.desc())
    if market_id is not None:
        stmt = stmt.where(MatchEvent.market_id == market_id)
    if year is not None:
        start, end = year_bounds(year)
        stmt = stmt.where(MatchEvent.starts_at >= start, MatchEvent.starts_at < end)
    if when == UPCOMING:
        stmt = stmt.where(MatchEvent.starts_at > now)
    elif when == PAST:
        stmt = stmt.where(MatchEvent.starts_at <= now)
    if user_id is not None:
        stmt = stmt.where(MatchEvent.id.in_(sa.select(EventRegistration.event_id)
                                            .where(EventRegistration.user_id == user_id)))
    return EVENTS.apply(stmt, asked)


def paginate(stmt: sa.Select, page: int):
    """One page of the events; past the end of the list, its last page."""
    return within_pages(lambda p: db.paginate(stmt, page=p, per_page=current_app.config["PAGE_SIZE"],
                                              error_out=False), page)


def registration_counts(event_ids: Sequence[int], user_id: int) -> tuple[dict[int, int], set[int]]:
    """For the listed events: how many registered, and which the user registered for (one statement)."""
    if not event_ids:
        return {}, set()
    rows = db.session.execute(
        sa.select(EventRegistration.event_id, sa.func.count(),
                  sa.func.max(sa.case((EventRegistration.user_id == user_id, 1), else_=0)))
        .where(EventRegistration.event_id.in_(event_ids)).group_by(EventRegistration.event_id))
    counts, mine = {}, set()
    for event_id, count, own in rows:
        counts[event_id] = count
        if own:
            mine.add(event_id)
    return counts, mine


def event_or_404(event_id: int) -> MatchEvent:
    """Any event (the list shows them all to the blueprint's roles)."""
    return db.session.get(MatchEvent, event_id) or abort(404)


def managed_event_or_404(event_id: int) -> MatchEvent:
    """An event the current user organizes: other roles 403, another market's staff 404."""
    if current_user.role not in SCHEDULERS:
        abort(403)
    event = db.session.get(MatchEvent, event_id)
    if event is None or not manages(current_user, event):
        abort(404)
    return event


def registration_or_404(event: MatchEvent, registration_id: int) -> EventRegistration:
    registration = db.session.get(EventRegistration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def presented_needs(event_id: int) -> list[Need]:
    """The needs presented at the event, by id."""
    return list(db.session.scalars(sa.select(Need).join(EventNeed, EventNeed.need_id == Need.id)
                                   .where(EventNeed.event_id == event_id).order_by(Need.id)))


def registrants(event_id: int) -> list[tuple[EventRegistration, Organization | None]]:
    """The event's registrations with the account's organization, in the order they came (one statement)."""
    return list(db.session.execute(
        sa.select(EventRegistration, Organization)
        .join(User, User.id == EventRegistration.user_id).outerjoin(Organization, Organization.id == User.org_id)
        .where(EventRegistration.event_id == event_id).order_by(EventRegistration.registered_at, EventRegistration.id)
    ).tuples())


def field_labels(event: MatchEvent) -> list[NeedField]:
    """The event's fields as NeedField members (unknown codes skipped)."""
    known = {f.value: f for f in NeedField}
    return [known[c] for c in (event.fields or "").split(",") if c in known]


def may_register(user) -> bool:
    return user.role in (Role.FIRM, Role.TEAM, Role.BROKER)
