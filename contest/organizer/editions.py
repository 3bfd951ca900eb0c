"""Editions: the organizer lists, opens and re-dates contest editions."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, IntegerField, StringField
from wtforms.validators import NumberRange, Regexp

from ..domain.errors import DomainError
from ..extensions import db
from ..forms import max_len, required
from ..services import editions as edition_service
from ..services.clock import from_beijing, to_beijing
from ..web.lookups import edition_or_404
from ..web.refusals import refuse
from . import bp

DATE_FIELDS = ("collection_start", "collection_end", "review_start", "review_end", "final_date", "results_date")


def date_field(label):
    return DateField(label, validators=[required()])


class EditionForm(FlaskForm):
    """An edition and its stage calendar; the bidding deadline is typed in Beijing time."""

    code = StringField(_l("届次代码"), description=_l("如 CIC8-NB，创建后不可修改"), validators=[
        required(), Regexp(r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$",
                           message=_l("届次代码由 2 至 20 位字母、数字和连字符组成，如 CIC8-NB"))])
    name = StringField(_l("届次名称"), validators=[required(), max_len(100)])
    year = IntegerField(_l("年度"), validators=[
        required(), NumberRange(min=2000, max=2100, message=_l("年度应在 2000 至 2100 之间"))])
    collection_start = date_field(_l("需求征集开始"))
    collection_end = date_field(_l("需求征集结束"))
    bidding_deadline = DateTimeLocalField(_l("揭榜截止时间（北京时间）"), format="%Y-%m-%dT%H:%M",
                                          validators=[required()])
    review_start = date_field(_l("初评开始"))
    review_end = date_field(_l("初评结束"))
    final_date = date_field(_l("现场赛日期"))
    results_date = date_field(_l("结果公布日期"))

    def prefill(self, edition) -> None:
        """Show an existing edition, its deadline converted back to Beijing time."""
        for key in ("name", "year", *DATE_FIELDS):
            getattr(self, key).data = getattr(edition, key)
        self.bidding_deadline.data = to_beijing(edition.bidding_deadline)

    def edition_data(self) -> dict:
        """The service's input: the deadline as naive UTC."""
        data = {key: getattr(self, key).data for key in ("name", "year", *DATE_FIELDS)}
        data["bidding_deadline"] = from_beijing(self.bidding_deadline.data)
        if self.code is not None:
            data["code"] = self.code.data.strip().upper()
        return data


class EditionEditForm(EditionForm):
    code = None  # the code is an edition's identity: never changed


@bp.get("/editions")
def editions():
    """All editions with their stage calendar."""
    return render_template("organizer/editions.html", editions=edition_service.all_editions())


@bp.route("/editions/new", methods=["GET", "POST"])
def new_edition():
    """Open a new edition with its code and stage dates."""
    form = EditionForm()
    if form.validate_on_submit():
        try:
            edition = edition_service.save_edition(current_user, form.edition_data())
        except DomainError as e:
            status = refuse(e)
            return render_template("organizer/edition_form.html", form=form, edition=None), status
        db.session.commit()
        flash(_("已创建届次 %(code)s", code=edition.code), "success")
        return redirect(url_for(".editions"))
    return render_template("organizer/edition_form.html", form=form, edition=None), 400 if form.errors else 200


@bp.route("/editions/<code>/edit", methods=["GET", "POST"])
def edit_edition(code: str):
    """Change an edition's name and stage dates (its code stays)."""
    edition = edition_or_404(code)
    form = EditionEditForm()
    if form.validate_on_submit():
        try:
            edition_service.save_edition(current_user, form.edition_data(), edition)
        except DomainError as e:
            status = refuse(e)
            return render_template("organizer/edition_form.html", form=form, edition=edition), status
        db.session.commit()
        flash(_("已保存届次 %(code)s", code=edition.code), "success")
        return redirect(url_for(".editions"))
    if not form.is_submitted():
        form.prefill(edition)
    return render_template("organizer/edition_form.html", form=form, edition=edition), 400 if form.errors else 200
