"""The events list and an event's page; registering and unregistering (firms, teams, brokers)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..services import clock
from ..services.events import registration
from ..services.events.access import SCHEDULERS, manages
from ..services.markets import market_list
from ..web.lookups import page_number
from ..web.refusals import refuse
from . import bp, queries
from .forms import EventFilterForm


@bp.get("/")
def index():
    """Upcoming and past events: searched, sorted, filtered by market and year; a registrant's own among them."""
    markets = market_list(active_only=False)
    form = EventFilterForm(request.args, markets=markets)
    asked = queries.EVENTS.read()
    mine = form.only_mine and queries.may_register(current_user)
    stmt = queries.events_select(asked, now=clock.now(), **form.filters({m.id for m in markets}),
                                 user_id=current_user.id if mine else None)
    pagination = queries.paginate(stmt, page_number())
    counts, registered = queries.registration_counts([e.id for e in pagination.items], current_user.id)
    return render_template("events/index.html", form=form, asked=asked, pagination=pagination, counts=counts,
                           registered=registered, now=clock.now(), may_register=queries.may_register(current_user),
                           may_schedule=current_user.role in SCHEDULERS, field_labels=queries.field_labels)


@bp.get("/<int:event_id>")
def event(event_id: int):
    """An event: its market, time, place, fields and the needs presented; register or unregister here."""
    event = queries.event_or_404(event_id)
    own = registration.registration_of(event, current_user) if queries.may_register(current_user) else None
    return render_template("events/event.html", event=event, needs=queries.presented_needs(event.id),
                           fields=queries.field_labels(event), registration=own, now=clock.now(),
                           may_register=queries.may_register(current_user), manages=manages(current_user, event))


def _registration(event_id: int, act, done: str):
    if not queries.may_register(current_user):
        abort(403)
    event = queries.event_or_404(event_id)
    try:
        act(event, current_user._get_current_object(), now=clock.now())
    except DomainError as e:
        status = refuse(e)
        return render_template("events/event.html", event=event, needs=queries.presented_needs(event.id),
                               fields=queries.field_labels(event), now=clock.now(),
                               registration=registration.registration_of(event, current_user),
                               may_register=queries.may_register(current_user), manages=False), status
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".event", event_id=event.id))


@bp.post("/<int:event_id>/register")
def register(event_id: int):
    """Register the account for an upcoming event."""
    return _registration(event_id, registration.register, _("已报名该活动"))


@bp.post("/<int:event_id>/unregister")
def unregister(event_id: int):
    """Withdraw the account's registration before the event starts."""
    return _registration(event_id, registration.unregister, _("已取消报名"))
