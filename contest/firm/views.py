"""A firm's pages: its needs, drafting, revising after a return, submitting and withdrawing."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import once
from ..domain.errors import DomainError
from ..domain.states import NEED_EDITABLE, NeedStatus
from ..extensions import db
from ..models import PanelMember
from ..services import editions, needs as need_service
from ..services.clock import beijing_date, now
from ..web import offers
from ..web.lookups import page_number, within_pages
from ..web.refusals import refuse
from . import bp, queries
from .forms import NeedForm, NewNeedForm


def _need_page(need, status: int = 200):
    """The need's own page, also used to answer a refused action on it."""
    on_panel = db.session.get(PanelMember, (need.id, current_user.id)) is not None
    return render_template("firm/need.html", need=need, on_panel=on_panel), status


def _where_submitted(need) -> str:
    """Who screens the need next: its market (pre-screening) or the organizer."""
    if need.status == NeedStatus.MARKET_REVIEW:
        return _("已提交，等待%(market)s预审", market=need.market.name)
    return _("已提交，等待组织方甄别")


def _saved(need, submitted: bool, target: str | None = None):
    flash(_where_submitted(need) if submitted else _("草稿已保存"), "success")
    return redirect(target or url_for("firm.need", need_id=need.id))


@bp.get("/needs")
def needs():
    """List the firm's needs, newest first, with status and the organizer's latest comment; searched and sorted."""
    asked = queries.OWN_NEEDS.read()
    page = within_pages(lambda p: queries.own_needs_page(current_user.org_id, p, asked), page_number())
    return render_template("firm/needs.html", page=page, latest_comment=queries.latest_comment, asked=asked)


@bp.route("/needs/new", methods=["GET", "POST"])
def new_need():
    """Fill in a new need for an edition collecting needs; save it as a draft or submit it.

    A double-clicked or replayed form makes one need: every copy after the first is sent to it (303).
    """
    open_editions = editions.open_for_needs(beijing_date(now()))
    form = NewNeedForm(open_editions)
    if not open_editions:
        status = 400 if request.method == "POST" else 200
        return render_template("firm/need_form.html", form=form, need=None, closed=True), status
    if form.validate_on_submit():
        edition = next(e for e in open_editions if e.id == form.edition.data)
        if (earlier := once.earlier_result(form.submission_key.data)) is not None:
            return earlier
        try:
            need = need_service.create_need(current_user, edition, form.need_data())
            if form.submit_requested:
                need_service.submit_need(need, current_user, now=now())
        except DomainError as e:
            status = refuse(e)
            return render_template("firm/need_form.html", form=form, need=None), status
        target = once.remember(url_for("firm.need", need_id=need.id))
        db.session.commit()
        return _saved(need, form.submit_requested, target)
    return render_template("firm/need_form.html", form=form, need=None), 400 if form.errors else 200


@bp.get("/needs/<int:need_id>")
def need(need_id: int):
    """Show the need in full with every screening decision and the actions its state allows."""
    return _need_page(queries.own_need_or_404(need_id, current_user.org_id))


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
def edit_need(need_id: int):
    """Revise a draft or returned need; save it, or save and resubmit it for screening."""
    need = queries.own_need_or_404(need_id, current_user.org_id)
    if request.method == "GET" and need.status not in NEED_EDITABLE:
        flash(_("只有草稿或退回修改的需求可以修改"), "danger")
        return _need_page(need, 409)
    form = NeedForm(obj=need)
    if form.validate_on_submit():
        try:
            need_service.update_need(need, current_user, form.need_data())
            if form.submit_requested:
                need_service.submit_need(need, current_user, now=now())
        except DomainError as e:
            status = refuse(e)
            if need.status not in NEED_EDITABLE:  # re-read after the rollback
                return _need_page(need, status)
            return render_template("firm/need_form.html", form=form, need=need), status
        db.session.commit()
        return _saved(need, form.submit_requested)
    return render_template("firm/need_form.html", form=form, need=need), 400 if form.errors else 200


@bp.post("/needs/<int:need_id>/submit")
def submit_need(need_id: int):
    """Submit a draft, or resubmit a returned need, for the organizer's screening."""
    need = queries.own_need_or_404(need_id, current_user.org_id)
    return _act(need, need_service.submit_need, _where_submitted)


@bp.post("/needs/<int:need_id>/withdraw")
def withdraw_need(need_id: int):
    """Withdraw the need; it leaves screening or the catalogue for good."""
    need = queries.own_need_or_404(need_id, current_user.org_id)
    return _act(need, need_service.withdraw_need, _("需求已撤回"), "need.withdraw")


def _act(need, service, done: str, irreversible: str | None = None):
    """Run a one-button action on the need and come back to its page (asking first when it cannot be undone)."""
    try:
        if irreversible is not None:
            if (error := offers.refusal(irreversible, need)) is not None:
                raise error  # refused before anything is asked
            if (asked := offers.ask_first(irreversible, need)) is not None:
                return asked
        service(need, current_user, now=now())
    except DomainError as e:
        return _need_page(queries.own_need_or_404(need.id, current_user.org_id), refuse(e))
    db.session.commit()
    flash(done(need) if callable(done) else done, "success")
    return redirect(url_for("firm.need", need_id=need.id))
