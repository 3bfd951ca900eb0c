"""Rubrics (评分标准): the organizer edits each round's criteria until a sheet of the round is submitted."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import Optional, ValidationError

from ..domain.errors import DomainError
from ..domain.rubric import Criterion, Round
from ..extensions import db
from ..forms import max_len
from ..services import editions as edition_service
from ..services import rubrics as rubric_service
from ..web import refuse
from .views import bp

ROWS = 8  # empty rows are how the organizer adds criteria
ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}


class CriterionRow(Form):
    """One criterion; a row left entirely empty is ignored."""

    name = StringField(_l("指标名称"), validators=[Optional(), max_len(60)])
    description = StringField(_l("说明"), validators=[Optional(), max_len(300)])
    max_points = StringField(_l("满分"), validators=[Optional(), max_len(6)])

    @property
    def blank(self) -> bool:
        return not any((field.data or "").strip() for field in (self.name, self.description, self.max_points))

    def validate_max_points(self, field):
        if self.blank:
            return
        if not (self.name.data or "").strip():
            raise ValidationError(_("请填写指标名称"))
        try:
            value = Decimal((field.data or "").strip())
        except InvalidOperation as exc:
            raise ValidationError(_("满分须为数字")) from exc
        if not value.is_finite():
            raise ValidationError(_("满分须为数字"))


class RubricForm(FlaskForm):
    rows = FieldList(FormField(CriterionRow), min_entries=ROWS)

    def criteria(self) -> list[Criterion]:
        return [Criterion(row.form.name.data.strip(), (row.form.description.data or "").strip(),
                          Decimal(row.form.max_points.data.strip()))
                for row in self.rows if not row.form.blank]


def _prefilled(rubric) -> RubricForm:
    rows = [{"name": c.name, "description": c.description, "max_points": f"{c.max_points.normalize():f}"}
            for c in rubric.criteria]
    form = RubricForm(data={"rows": rows})
    while len(form.rows) < max(ROWS, len(rows) + 2):
        form.rows.append_entry()
    return form


def _page(edition, rubric, form, status: int = 200):
    return render_template("organizer/rubrics/edit.html", edition=edition, rubric=rubric, form=form,
                           round_name=ROUND_NAMES[rubric.round], rounds=ROUND_NAMES,
                           locked=rubric_service.round_locked(edition.id, rubric.round)), status


@bp.route("/editions/<code>/rubrics/<round_>", methods=["GET", "POST"])
def rubric(code: str, round_: str):
    """Edit a round's criteria (names, descriptions, maximum points summing to 100) until scoring starts."""
    edition = edition_service.edition_by_code(code) or abort(404)
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
