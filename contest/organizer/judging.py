"""Judging, for the organizer: judges' profiles, the online assignment, its adjustments, and progress."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.guards import is_safe_next
from ..domain.errors import DomainError
from ..domain.states import EditionStage, Role
from ..extensions import db
from ..models import Assignment, Bid, Edition, Need, User
from ..services import assignments, clock, judges, notices, progress
from ..services.conflicts import declared_orgs
from ..services.editions import edition_by_code
from ..web import refuse
from .judging_forms import AddJudgeForm, AutoAssignForm, ProfileForm
from .views import bp


def _edition_or_404(code: str) -> Edition:
    return edition_by_code(code) or abort(404)


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
    return _board_page(_edition_or_404(code))


@bp.post("/editions/<code>/assign")
def auto_assign(code: str):
    """Assign judges to every bid of the online round automatically (before any scoring starts)."""
    edition = _edition_or_404(code)
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
    edition = _edition_or_404(code)
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
    edition = _edition_or_404(code)
    assignment = db.session.scalar(
        sa.select(Assignment).join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .where(Assignment.id == assignment_id, Need.edition_id == edition.id)) or abort(404)
    bid_id = assignment.bid_id
    try:
        assignments.remove_judge(assignment, current_user)
    except DomainError as e:
        return _board_page(edition, status=refuse(e))
    db.session.commit()
    flash(_("已从挑战报告 #%(id)s 移除该评审专家", id=bid_id), "success")
    return redirect(url_for(".assignments_page", code=edition.code))


@bp.get("/editions/<code>/progress")
def review_progress(code: str):
    """Sheets expected and submitted per need and per judge in the online round."""
    edition = _edition_or_404(code)
    return _progress_page(edition)


def _progress_page(edition: Edition, status: int = 200):
    return render_template("organizer/judging/progress.html", edition=edition,
                           progress=progress.edition_progress(edition),
                           can_remind=edition.stage == EditionStage.ONLINE_REVIEW), status


@bp.post("/editions/<code>/progress/remind")
def remind_late(code: str):
    """Leave an in-app reminder for every judge with sheets still to submit."""
    edition = _edition_or_404(code)
    try:
        count = progress.remind_late_judges(edition, current_user, clock.now())
    except DomainError as e:
        return _progress_page(edition, refuse(e))
    db.session.commit()
    flash(_("已提醒 %(n)s 位评审专家", n=count) if count else _("没有未完成评分的评审专家"), "success")
    return redirect(url_for(".review_progress", code=edition.code))


@bp.get("/judges")
def judge_list():
    """Every judge with organization, expertise fields and declared conflicts."""
    people = db.session.scalars(sa.select(User).where(User.role == Role.JUDGE).order_by(User.id)).all()
    ids = [j.id for j in people]
    return render_template("organizer/judging/judges.html", judges=people, fields=judges.expertise_of(ids),
                           declared=declared_orgs(ids) if ids else {})


@bp.route("/judges/<int:user_id>/profile", methods=["GET", "POST"])
def judge_profile(user_id: int):
    """Edit a judge's organization, expertise fields and declared conflicts."""
    judge = db.session.scalar(sa.select(User).where(User.id == user_id, User.role == Role.JUDGE)) or abort(404)
    form = ProfileForm(organizations=judges.organizations())
    if form.validate_on_submit():
        try:
            judges.update_profile(judge, current_user, **form.profile_data())
        except DomainError as e:
            return render_template("organizer/judging/judge_profile.html", form=form, judge=judge), refuse(e)
        db.session.commit()
        flash(_("已保存 %(name)s 的评审档案", name=judge.display_name), "success")
        return redirect(url_for(".judge_list"))
    if not form.is_submitted():
        form.prefill(judge, judges.expertise_of([judge.id])[judge.id], judges.declared_org_ids(judge))
    return render_template("organizer/judging/judge_profile.html", form=form, judge=judge), 400 if form.errors else 200


@bp.post("/notices/read")
def read_notices():
    """Mark all of one's notices (recusals to handle…) as read, and go back to the page one came from."""
    notices.mark_read(current_user, now=clock.now())
    db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".dashboard"))
