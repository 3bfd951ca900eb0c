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
from ..domain.errors import Invalid
from ..forms import add_error, max_len, refuse_into, required
from ..i18n import refusal_text
from ..services import editions as edition_service
from ..services.clock import from_beijing, to_beijing
from ..web.lookups import edition_or_404, page_number
from . import bp, queries

DATE_FIELDS = ("collection_start", "collection_end", "review_start", "review_end", "final_date", "results_date")
# The calendar's order (services.editions.check_calendar), each step's refusal shown under its later field.
CALENDAR_STEPS = (
    ("collection_start", "collection_end", "edition.collection_reversed"),
    ("collection_end", "bidding_deadline", "edition.deadline_before_collection_end"),
    ("bidding_deadline", "review_start", "edition.review_before_deadline"),
    ("review_start", "review_end", "edition.review_reversed"),
    ("review_end", "final_date", "edition.final_before_review_end"),
    ("final_date", "results_date", "edition.results_before_final"),
)
# A service's refusal that concerns one field is shown under it.
REFUSAL_FIELDS = {"edition.code_taken": "code", "edition.code_invalid": "code",
                  **{message: later for _earlier, later, message in CALENDAR_STEPS}}


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

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then every step of the calendar at once (each under its later date)."""
        valid = super().validate(extra_validators)
        for earlier, later, message in CALENDAR_STEPS:
            first, then = self._day(earlier), self._day(later)
            if first is not None and then is not None and then < first:
                add_error(self[later], refusal_text(Invalid(message)))
                valid = False
        return valid

    def _day(self, name: str):
        field = self[name]
        if field.errors or field.data is None:
            return None
        return field.data.date() if hasattr(field.data, "date") else field.data

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
    """All editions with their stage calendar, searched and sorted by their columns."""
    asked = queries.EDITIONS.read()
    pagination = queries.paginate(queries.editions_select(asked), page_number())
    return render_template("organizer/editions.html", editions=pagination.items, pagination=pagination, asked=asked)


@bp.route("/editions/new", methods=["GET", "POST"])
def new_edition():
    """Open a new edition with its code and stage dates."""
    form = EditionForm()
    if form.validate_on_submit():
        try:
            edition = edition_service.save_edition(current_user, form.edition_data())
        except DomainError as e:
            status = refuse_into(form, e, REFUSAL_FIELDS)
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
            status = refuse_into(form, e, REFUSAL_FIELDS)
            return render_template("organizer/edition_form.html", form=form, edition=edition), status
        db.session.commit()
        flash(_("已保存届次 %(code)s", code=edition.code), "success")
        return redirect(url_for(".editions"))
    if not form.is_submitted():
        form.prefill(edition)
    return render_template("organizer/edition_form.html", form=form, edition=edition), 400 if form.errors else 200
