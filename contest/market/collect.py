"""A market's staff collect needs for firms: register a firm's account with its consent, list the firms their
market registered, and draft, revise and submit needs for them (submitted by the market, a need skips its own
pre-screening and goes straight to the organizer's queue)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import once
from ..domain.errors import DomainError
from ..extensions import db
from ..services import accounts, clock, editions, needs as need_service
from ..web.lookups import page_number
from ..web.refusals import refuse
from . import bp, queries
from .forms import CollectedNeedForm, EditCollectedNeedForm, FirmForm
from .views import need_page


@bp.get("/firms")
def firms():
    """The firms the market registered on their behalf, with who consented and when, and their needs."""
    asked = queries.FIRMS.read()
    pagination = queries.firms_page(current_user.market_id, asked, page_number())
    return render_template("market/firms.html", pagination=pagination, asked=asked)


@bp.route("/firms/new", methods=["GET", "POST"])
def register_firm():
    """Register a firm and its account on its behalf, recording the consent of the firm's person who agreed."""
    form = FirmForm()
    if form.validate_on_submit():
        consent = form.consent.form
        try:
            user = accounts.register_firm_for_market(
                current_user, form.account.form.account_data(), form.org.data, consent_by=consent.consent_by.data,
                consented=consent.consented.data, now=clock.now())
        except DomainError as e:
            status = refuse(e)
            return render_template("market/firm_form.html", form=form), status
        db.session.commit()
        flash(_("已代为注册企业 %(org)s，账号 %(username)s", org=user.organization.name, username=user.username),
              "success")
        return redirect(url_for(".firms"))
    return render_template("market/firm_form.html", form=form), 400 if form.errors else 200


def _saved(need, submitted: bool):
    flash(_("已提交，进入组织方甄别") if submitted else _("草稿已保存"), "success")
    return redirect(url_for(".need", need_id=need.id))


@bp.route("/needs/new", methods=["GET", "POST"])
def new_need():
    """Fill in a need for a firm of the market; save it as a draft or submit it (straight to the organizer)."""
    market_id = current_user.market_id
    open_editions = editions.open_for_needs(clock.beijing_date(clock.now()))
    form = CollectedNeedForm(open_editions, queries.firms(market_id), current_user.market)
    if not open_editions:
        status = 400 if request.method == "POST" else 200
        return render_template("market/need_form.html", form=form, need=None, closed=True), status
    if form.validate_on_submit():
        edition = next(e for e in open_editions if e.id == form.edition.data)
        if (earlier := once.earlier_result(form.submission_key.data)) is not None:
            return earlier
        try:
            need = need_service.collect_need(current_user, edition, queries.firm_or_none(form.firm.data, market_id),
                                             form.need_data())
            if form.submit_requested:
                need_service.submit_collected(need, current_user, now=clock.now())
        except DomainError as e:
            return render_template("market/need_form.html", form=form, need=None), refuse(e)
        once.remember(url_for(".need", need_id=need.id))
        db.session.commit()
        return _saved(need, form.submit_requested)
    return render_template("market/need_form.html", form=form, need=None), 400 if form.errors else 200


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
def edit_need(need_id: int):
    """Revise a draft or returned need collected for a firm of the market; save it, or save and submit it."""
    need = queries.need_or_404(need_id, current_user.market_id)
    if (error := _edit_refusal(need)) is not None:
        return need_page(need, status=refuse(error))
    form = EditCollectedNeedForm(current_user.market, obj=need)
    if form.validate_on_submit():
        try:
            need_service.update_collected(need, current_user, form.need_data())
            if form.submit_requested:
                need_service.submit_collected(need, current_user, now=clock.now())
        except DomainError as e:
            status = refuse(e)
            return render_template("market/need_form.html", form=form, need=need), status
        db.session.commit()
        return _saved(need, form.submit_requested)
    return render_template("market/need_form.html", form=form, need=need), 400 if form.errors else 200


def _edit_refusal(need):
    try:
        need_service.check_collected_edit(need, current_user)
    except DomainError as e:
        return e
    return None


@bp.post("/needs/<int:need_id>/submit")
def submit_need(need_id: int):
    """Submit a need collected for a firm: it goes straight to the organizer's screening queue."""
    need = queries.need_or_404(need_id, current_user.market_id)
    try:
        need_service.submit_collected(need, current_user, now=clock.now())
    except DomainError as e:
        return need_page(queries.need_or_404(need_id, current_user.market_id), status=refuse(e))
    db.session.commit()
    flash(_("已提交，进入组织方甄别"), "success")
    return redirect(url_for(".need", need_id=need.id))
