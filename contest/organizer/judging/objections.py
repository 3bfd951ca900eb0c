"""Objections (异议) to an edition's published results, for the organizer: the list (pending or all), each
objection with its evidence and the need's other objections, and the ruling: upheld (the award is reversed and
the firm decides again) or rejected, with a reason."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...domain.states import ObjectionStatus
from ...extensions import db
from ...models import Objection
from ...services import clock
from ...services.judging import objections
from ...services.judging.stages import objection_deadline
from ...web import offers
from ...web.downloads import PDF, send_recorded
from ...web.lookups import edition_or_404, page_number
from ...web.objection_pages import OBJECTIONS
from ...web.refusals import refuse
from .. import bp, queries
from .forms import RulingForm


def _objection_or_404(objection_id: int) -> Objection:
    return db.session.get(Objection, objection_id) or abort(404)


@bp.get("/editions/<code>/objections")
def edition_objections(code: str):
    """The edition's objections, pending first (or only the pending ones), searched and sorted, a page at a time."""
    edition = edition_or_404(code)
    pending_only = request.args.get("show") != "all"
    asked = OBJECTIONS.read()
    pagination = queries.paginate(OBJECTIONS.apply(objections.edition_objections(edition, pending_only), asked),
                                  page_number())
    return render_template("organizer/objections/list.html", edition=edition, pagination=pagination, asked=asked,
                           pending_only=pending_only, deadline=objection_deadline(edition))


def _objection_page(objection: Objection, form: RulingForm | None = None, status: int = 200):
    """One objection: the contested result, the reason and evidence, the need's other objections, the ruling."""
    need = objection.need
    return render_template("organizer/objections/detail.html", objection=objection, need=need,
                           edition=need.edition, form=form or RulingForm(),
                           winner=objections.winner_of(need), others=objections.need_objections(need),
                           deadline=objection_deadline(need.edition)), status


@bp.get("/objections/<int:objection_id>")
def objection(objection_id: int):
    """An objection and, while it is pending, the ruling form."""
    return _objection_page(_objection_or_404(objection_id))


@bp.post("/objections/<int:objection_id>/rule")
def rule_objection(objection_id: int):
    """Rule on a pending objection, once: upheld reverses the award (the firm decides again), rejected changes
    nothing."""
    objection = _objection_or_404(objection_id)
    form = RulingForm()
    if not form.validate_on_submit():
        return _objection_page(objection, form, 400)
    if (error := offers.refusal("objection.rule", objection)) is not None:
        return _objection_page(objection, form, refuse(error))
    if (asked := offers.ask_first("objection.rule", objection)) is not None:
        return asked
    try:
        objections.rule_objection(objection, current_user, form.decision.data, form.reason.data, clock.now())
    except DomainError as e:
        return _objection_page(objection, form, refuse(e))
    db.session.commit()
    if objection.status == ObjectionStatus.UPHELD:
        flash(_("已裁定异议成立：原揭榜结果已撤销，已通知发榜企业重新确认"), "success")
    else:
        flash(_("已裁定异议不成立，原结果维持"), "success")
    return redirect(url_for(".objection", objection_id=objection.id), 303)


@bp.get("/objections/<int:objection_id>/evidence")
def objection_evidence(objection_id: int):
    """Download the objection's evidence PDF, exactly as uploaded (the organizer alone receives it)."""
    objection = _objection_or_404(objection_id)
    if not objection.evidence_stored_name:
        abort(404)
    return send_recorded("download.objection_evidence", objection,
                         objections.evidence_path(objection.evidence_stored_name),
                         objection.evidence_original_name or "evidence.pdf", PDF)
