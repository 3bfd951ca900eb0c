"""The online assignment, for the organizer: who judges which bid, the automatic assignment, and its
adjustments by hand."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...domain.states import EditionStage
from ...extensions import db
from ...models import Edition
from ...services import notices
from ...services.judging import assignments, progress
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp, queries
from .forms import AddJudgeForm, AutoAssignForm


def _board_page(edition: Edition, add_form: AddJudgeForm | None = None, auto_form: AutoAssignForm | None = None,
                status: int = 200):
    board = progress.assignment_board(edition)
    add_form = add_form or AddJudgeForm(formdata=None)
    add_form.fill(board)
    return render_template("organizer/judging/assignments.html", edition=edition, board=board, add_form=add_form,
                           auto_form=auto_form or AutoAssignForm(formdata=None),
                           notices=notices.unread(current_user),
                           can_adjust=edition.stage == EditionStage.ONLINE_REVIEW), status


@bp.get("/editions/<code>/assignments")
def assignments_page(code: str):
    """Who judges which bid online, per need; recusals with reasons; bids short of judges listed first."""
    return _board_page(edition_or_404(code))


@bp.post("/editions/<code>/assign")
def auto_assign(code: str):
    """Assign judges to every bid of the online round automatically (before any scoring starts)."""
    edition = edition_or_404(code)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        return _board_page(edition, auto_form=form, status=400)
    try:
        result = assignments.auto_assign(edition, current_user, seed=form.seed.data or 0)
    except DomainError as e:
        return _board_page(edition, auto_form=form, status=refuse(e))
    db.session.commit()
    flash(_("已为 %(bids)s 份挑战报告分配 %(n)s 人次评审", bids=result.bids, n=result.assigned), "success")
    if result.short:
        flash(_("%(n)s 份挑战报告评审专家不足，见页面顶部列表", n=len(result.short)), "warning")
    return redirect(url_for(".assignments_page", code=edition.code))


@bp.post("/editions/<code>/assignments/add")
def add_assignment(code: str):
    """Put a judge on a bid by hand (a conflicted pair is refused)."""
    edition = edition_or_404(code)
    form = AddJudgeForm()
    if not form.validate_on_submit():
        return _board_page(edition, add_form=form, status=400)
    try:
        assignments.add_judge(edition, current_user, bid_id=form.bid_id.data, judge_id=form.judge_id.data)
    except DomainError as e:
        return _board_page(edition, add_form=form, status=refuse(e))
    db.session.commit()
    flash(_("已将评审专家分配到挑战报告 #%(id)s", id=form.bid_id.data), "success")
    return redirect(url_for(".assignments_page", code=edition.code))


@bp.post("/editions/<code>/assignments/<int:assignment_id>/remove")
def remove_assignment(code: str, assignment_id: int):
    """Take a judge off a bid, unless the judge already submitted its sheet."""
    edition = edition_or_404(code)
    assignment = queries.assignment_or_404(edition, assignment_id)
    bid_id = assignment.bid_id
    try:
        assignments.remove_judge(assignment, current_user)
    except DomainError as e:
        return _board_page(edition, status=refuse(e))
    db.session.commit()
    flash(_("已从挑战报告 #%(id)s 移除该评审专家", id=bid_id), "success")
    return redirect(url_for(".assignments_page", code=edition.code))
