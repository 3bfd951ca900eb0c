"""Rubrics (评分标准): the organizer edits each round's criteria until a sheet of the round is submitted."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from ...domain.errors import DomainError
from ...domain.rubric import Round
from ...extensions import db
from ...services.judging import rubrics as rubric_service
from ...web import offers
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp
from .forms import RUBRIC_ROWS, RubricForm

ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}


def _prefilled(rubric) -> RubricForm:
    rows = [{"name": c.name, "description": c.description, "max_points": f"{c.max_points.normalize():f}"}
            for c in rubric.criteria]
    form = RubricForm(data={"rows": rows})
    while len(form.rows) < max(RUBRIC_ROWS, len(rows) + 2):
        form.rows.append_entry()
    return form


def _page(edition, rubric, form, status: int = 200):
    return render_template("organizer/rubrics/edit.html", edition=edition, rubric=rubric, form=form,
                           round_name=ROUND_NAMES[rubric.round], rounds=ROUND_NAMES,
                           locked=not offers.may("rubric.edit", rubric)), status


@bp.route("/editions/<code>/rubrics/<round_>", methods=["GET", "POST"])
def rubric(code: str, round_: str):
    """Edit a round's criteria (names, descriptions, maximum points summing to 100) until scoring starts."""
    edition = edition_or_404(code)
    if round_ not in {r.value for r in Round}:
        abort(404)
    try:
        rubric = rubric_service.rubric_for(edition.id, Round(round_))
    except LookupError:
        abort(404)
    form = RubricForm()
    if not form.is_submitted():
        return _page(edition, rubric, _prefilled(rubric))
    if not form.validate_on_submit():
        return _page(edition, rubric, form, 400)
    try:
        rubric_service.update_rubric(rubric, current_user, form.criteria())
    except DomainError as e:
        status = refuse(e)
        return _page(edition, rubric, form, status)
    db.session.commit()
    flash(_("已保存%(round)s评分标准", round=ROUND_NAMES[rubric.round]), "success")
    return redirect(url_for(".rubric", code=edition.code, round_=round_))
