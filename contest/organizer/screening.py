"""Screening (需求甄别): the queue of submitted needs, a need's page with the decision, all needs, their bids."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError, InvalidTransition
from ..domain.states import NeedStatus, ReviewDecision
from ..extensions import db
from ..labels import label
from ..models import Bid
from ..services import clock, uploads
from ..services import needs as need_service
from ..services.downloads import PDF, send_recorded
from ..services.editions import all_editions
from ..web import refuse
from . import queries
from .forms import NeedFilterForm, ReviewForm
from .views import bp, page_number


def _decision_done(decision: ReviewDecision, name: str) -> str:
    if decision == ReviewDecision.APPROVE:
        return _("已通过并发布：%(name)s", name=name)
    if decision == ReviewDecision.RETURN:
        return _("已退回企业修改：%(name)s", name=name)
    return _("已标记为不予通过：%(name)s", name=name)


@bp.get("/queue")
def queue():
    """Submitted needs waiting for screening, oldest first, optionally of one edition."""
    form = NeedFilterForm(request.args, editions=all_editions())
    pagination = queries.paginate(queries.queue_select(form.edition.data), page_number())
    return render_template("organizer/queue.html", form=form, pagination=pagination)


@bp.get("/needs")
def needs():
    """All needs, filtered by edition and status."""
    form = NeedFilterForm(request.args, editions=all_editions())
    pagination = queries.paginate(queries.needs_select(form.edition.data, form.status.data), page_number())
    return render_template("organizer/needs.html", form=form, pagination=pagination)


def _need_page(need, form: ReviewForm, status: int = 200):
    return render_template("organizer/need.html", need=need, form=form,
                           can_review=need.status == NeedStatus.SUBMITTED), status


@bp.get("/needs/<int:need_id>")
def need(need_id: int):
    """A need in full, its firm, its screening history, and the decision form."""
    return _need_page(queries.need_or_404(need_id), ReviewForm())


@bp.post("/needs/<int:need_id>/review")
def review(need_id: int):
    """Approve and publish a submitted need, return it with a comment, or reject it with a comment."""
    need = queries.need_or_404(need_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _need_page(need, form, 400)
    decision = form.decision.data
    try:
        need_service.review_need(need, current_user, decision, form.comment.data, now=clock.now())
    except InvalidTransition as e:
        db.session.rollback()
        flash(_("该需求当前状态为“%(status)s”，只有待甄别的需求可以甄别", status=label(need.status)), "danger")
        return _need_page(need, form, e.status)
    except DomainError as e:
        return _need_page(need, form, refuse(e))
    db.session.commit()
    flash(_decision_done(decision, need.name), "success")
    return redirect(url_for(".queue"))


@bp.get("/needs/<int:need_id>/bids")
def need_bids(need_id: int):
    """The bids turned in for a need, with team, lead organization, price and the report to download."""
    need = queries.need_or_404(need_id)
    return render_template("organizer/bids.html", need=need, bids=queries.bids_of_need(need.id))


@bp.get("/bids/<int:bid_id>/file")
def bid_file(bid_id: int):
    """Download a bid's challenge report (PDF) exactly as the team uploaded it."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or not bid.pdf_stored_name:
        abort(404)
    return send_recorded("download.bid", bid, uploads.path_of(bid.pdf_stored_name),
                         bid.pdf_original_name or f"bid-{bid.id}.pdf", PDF)
