"""Judges, for the organizer: every judge's organization, expertise and declared conflicts, and editing them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...forms import ProfileForm
from ...services.judging import judges
from ...services.judging.conflicts import declared_orgs
from ...web.lookups import page_number
from ...web.refusals import refuse
from .. import bp, queries


@bp.get("/judges")
def judge_list():
    """Every judge with organization, expertise fields and declared conflicts, searched, sorted, a page at a time."""
    asked = queries.JUDGES.read()
    pagination = queries.paginate(queries.judges_select(asked), page_number())
    people = list(pagination.items)
    ids = [j.id for j in people]
    return render_template("organizer/judging/judges.html", judges=people, fields=judges.expertise_of(ids),
                           declared=declared_orgs(ids) if ids else {}, pagination=pagination, asked=asked)


@bp.route("/judges/<int:user_id>/profile", methods=["GET", "POST"])
def judge_profile(user_id: int):
    """Edit a judge's organization, expertise fields and declared conflicts."""
    judge = queries.judge_or_404(user_id)
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
