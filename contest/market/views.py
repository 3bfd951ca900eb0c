"""A market's staff: their home, the needs their market collected, and pre-screening (pass on or return)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..services import clock, needs as need_service
from ..services.network import prescreening
from ..web.lookups import page_number
from ..web.refusals import refuse
from . import bp, queries
from .forms import NeedFilterForm, ReturnForm


def allowed(check, need) -> bool:
    """Whether the action's check accepts it now (the page shows its button only then)."""
    try:
        check(need, current_user, clock.now())
    except DomainError:
        return False
    return True


@bp.get("/")
def home():
    """The market's home: its needs by status, its firms, and the needs waiting for its pre-screening."""
    market_id = current_user.market_id
    return render_template("market/home.html", market=current_user.market, counts=queries.counts(market_id),
                           firms=queries.firm_count(market_id), waiting=queries.waiting(market_id))


@bp.get("/needs")
def needs():
    """The market's needs with edition, firm, status, bids turned in and result; filtered, searched, sorted."""
    form = NeedFilterForm(request.args)
    asked = queries.NEEDS.read()
    pagination = queries.needs_page(current_user.market_id, form.status.data, asked, page_number())
    return render_template("market/needs.html", form=form, pagination=pagination, asked=asked)


def need_page(need, return_form: ReturnForm | None = None, status: int = 200):
    """The need's page for the market's staff, also used to answer a refused action on it."""
    bids, winner = queries.need_figures(need)
    return render_template(
        "market/need.html", need=need, bids=bids, winner=winner, return_form=return_form or ReturnForm(formdata=None),
        may_prescreen=allowed(prescreening.check_prescreen, need),
        may_edit=allowed(need_service.check_collected_edit, need),
        may_submit=allowed(need_service.check_collected_submit, need)), status


@bp.get("/needs/<int:need_id>")
def need(need_id: int):
    """A need of the market: its content, screening history, bids turned in and result; pre-screening forms."""
    return need_page(queries.need_or_404(need_id, current_user.market_id))


@bp.post("/needs/<int:need_id>/pass")
def pass_need(need_id: int):
    """Pass the need on to the organizer's screening queue."""
    need = queries.need_or_404(need_id, current_user.market_id)
    try:
        prescreening.pass_need(need, current_user, now=clock.now())
    except DomainError as e:
        return need_page(need, status=refuse(e))
    db.session.commit()
    flash(_("已通过预审，转交组织方甄别：%(name)s", name=need.name), "success")
    return redirect(url_for(".need", need_id=need.id))


@bp.post("/needs/<int:need_id>/return")
def return_need(need_id: int):
    """Return the need to the firm with a comment."""
    need = queries.need_or_404(need_id, current_user.market_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return need_page(need, form, 400)
    try:
        prescreening.return_need(need, current_user, form.comment.data, now=clock.now())
    except DomainError as e:
        return need_page(queries.need_or_404(need_id, current_user.market_id), form, refuse(e))
    db.session.commit()
    flash(_("已退回企业修改：%(name)s", name=need.name), "success")
    return redirect(url_for(".need", need_id=need.id))
