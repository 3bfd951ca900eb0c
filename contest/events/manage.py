"""The event's organizers (its market's staff, the organizer): scheduling, editing and cancelling an event, its
registrants and their attendance, and the contacts made there with what followed them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..domain.states import Role
from ..extensions import db
from ..services import clock
from ..services.events import contacts, registration, scheduling, tracing
from ..services.events.access import SCHEDULERS
from ..services.markets import city_market, market_list
from ..web.refusals import refuse
from . import bp, queries
from .forms import AttendanceForm, ContactForm, EventForm


def _markets():
    """The markets an actor schedules for: the organizer any active one, a market's staff their own."""
    if current_user.role == Role.MARKET:
        return [current_user.market]
    return market_list()


@bp.route("/new", methods=["GET", "POST"])
def schedule():
    """Schedule an event: a market's staff for their market, the organizer for any (the city market first)."""
    if current_user.role not in SCHEDULERS:
        abort(403)
    form = EventForm(markets=_markets())
    if not form.is_submitted():
        form.market_id.data = current_user.market_id if current_user.role == Role.MARKET else city_market().id
    if form.validate_on_submit():
        try:
            event = scheduling.schedule_event(current_user._get_current_object(), form.event_data(), now=clock.now())
        except DomainError as e:
            status = refuse(e)
            return render_template("events/form.html", form=form, event=None), status
        db.session.commit()
        flash(_("已安排对接活动“%(title)s”", title=event.title), "success")
        return redirect(url_for(".manage", event_id=event.id))
    return render_template("events/form.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Change an event's details or presented needs; its registrants hear of a new time or place."""
    event = queries.managed_event_or_404(event_id)
    if event.cancelled and request.method == "GET":  # nothing left to change: the form is not offered
        flash(_("该活动已取消，不能再修改"), "info")
        return redirect(url_for(".manage", event_id=event.id))
    form = EventForm(markets=[event.market])
    if not form.is_submitted():
        form.prefill(event, queries.presented_needs(event.id))
    if form.validate_on_submit():
        try:
            scheduling.edit_event(event, current_user._get_current_object(), form.event_data(), now=clock.now())
        except DomainError as e:
            status = refuse(e)
            return render_template("events/form.html", form=form, event=event), status
        db.session.commit()
        flash(_("已保存活动修改"), "success")
        return redirect(url_for(".manage", event_id=event.id))
    return render_template("events/form.html", form=form, event=event), 400 if form.errors else 200


@bp.post("/<int:event_id>/cancel")
def cancel(event_id: int):
    """Cancel an event: the record stays, marked cancelled; its registrants are told."""
    event = queries.managed_event_or_404(event_id)
    try:
        scheduling.cancel_event(event, current_user._get_current_object(), now=clock.now())
    except DomainError as e:
        return _manage_page(event, ContactForm(), refuse(e))
    db.session.commit()
    flash(_("已取消活动，报名者将收到通知"), "success")
    return redirect(url_for(".manage", event_id=event.id))


def _contact_form(event, formdata=None) -> ContactForm:
    return ContactForm(formdata=formdata, needs=queries.presented_needs(event.id),
                       teams=contacts.registered_teams(event), brokers=contacts.broker_choices(event))


def _manage_page(event, form: ContactForm, status: int = 200):
    if not form.need_id.choices:
        form = _contact_form(event, formdata=None)
    return render_template("events/manage.html", event=event, registrants=queries.registrants(event.id),
                           traced=tracing.traced_contacts(event.id), needs=queries.presented_needs(event.id),
                           fields=queries.field_labels(event), contact_form=form, now=clock.now()), status


@bp.get("/<int:event_id>/manage")
def manage(event_id: int):
    """The event for its organizers: registrants and attendance, contacts and what followed them."""
    event = queries.managed_event_or_404(event_id)
    return _manage_page(event, _contact_form(event))


@bp.post("/<int:event_id>/registrations/<int:registration_id>/attendance")
def attendance(event_id: int, registration_id: int):
    """Mark whether a registrant came (once the event has started)."""
    event = queries.managed_event_or_404(event_id)
    entry = queries.registration_or_404(event, registration_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        flash(_("请选择是否到场"), "danger")
        return _manage_page(event, _contact_form(event), 400)
    try:
        registration.mark_attendance(event, entry, current_user._get_current_object(), form.attended.data == "1",
                                     now=clock.now())
    except DomainError as e:
        return _manage_page(event, _contact_form(event), refuse(e))
    db.session.commit()
    flash(_("已登记到场情况"), "success")
    return redirect(url_for(".manage", event_id=event.id, _anchor="registrants"))


@bp.post("/<int:event_id>/contacts")
def add_contact(event_id: int):
    """Record a contact made at the event: a presented need and a team, optionally its broker and a note."""
    event = queries.managed_event_or_404(event_id)
    form = ContactForm(needs=queries.presented_needs(event.id), teams=contacts.registered_teams(event),
                       brokers=contacts.broker_choices(event))
    if not form.validate_on_submit():
        return _manage_page(event, form, 400)
    try:
        contacts.record_contact(event, current_user._get_current_object(), form.contact_data(), now=clock.now())
    except DomainError as e:
        return _manage_page(event, form, refuse(e))
    db.session.commit()
    flash(_("已登记对接"), "success")
    return redirect(url_for(".manage", event_id=event.id, _anchor="contacts"))
