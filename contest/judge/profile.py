"""A judge's own profile (organization, expertise, declared conflicts), recusals and notices."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..forms import ProfileForm
from ..services import clock, notices
from ..services.judging import assignments, judges
from ..web.refusals import refuse
from . import bp, queries
from .forms import RecuseForm


def _profile_page(form: ProfileForm, status: int = 200):
    return render_template("judge/profile.html", form=form, assigned=queries.assigned_bids(current_user),
                           locked=judges.review_is_open()), status


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """Keep one's organization, expertise fields and declared conflicts up to date; see one's assignments."""
    form = ProfileForm(organizations=judges.organizations())
    if form.validate_on_submit():
        try:
            me = current_user._get_current_object()
            judges.update_profile(me, me, **form.profile_data())
        except DomainError as e:
            return _profile_page(form, refuse(e))
        db.session.commit()
        flash(_("评审档案已保存"), "success")
        return redirect(url_for(".profile"))
    if not form.is_submitted():
        form.prefill(current_user, judges.expertise_of([current_user.id])[current_user.id],
                     judges.declared_org_ids(current_user))
    return _profile_page(form, 400 if form.errors else 200)


def _recuse_page(assignment, form: RecuseForm, status: int = 200):
    return render_template("judge/recuse.html", assignment=assignment, bid=assignment.bid, form=form), status


@bp.route("/assignments/<int:assignment_id>/recuse", methods=["GET", "POST"])
def recuse(assignment_id: int):
    """Step back from one assigned bid with a reason; the organizers are told and the bid is reassigned."""
    assignment = queries.own_assignment_or_404(current_user, assignment_id)
    form = RecuseForm()
    if not form.is_submitted():
        return _recuse_page(assignment, form)
    if not form.validate_on_submit():
        return _recuse_page(assignment, form, 400)
    try:
        assignments.recuse(assignment, current_user, form.reason.data, clock.now())
    except DomainError as e:
        return _recuse_page(assignment, form, refuse(e))
    db.session.commit()
    flash(_("已申请回避挑战报告 #%(id)s，组织方已收到通知", id=assignment.bid_id), "success")
    return redirect(url_for(".dashboard"))


@bp.post("/notices/read")
def read_notices():
    """Mark all of one's notices as read."""
    notices.mark_read(current_user, now=clock.now())
    db.session.commit()
    return redirect(url_for(".dashboard"))
