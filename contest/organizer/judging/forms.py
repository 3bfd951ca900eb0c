"""Forms of the organizer's judging pages: the automatic and manual assignment, a round's rubric, reopening a
sheet, a need's on-site panel."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, Form, FormField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ...domain.rubric import Criterion
from ...domain.states import NeedStatus, ObjectionStatus
from ...forms import ALL, RowList, int_or_none, max_len, optional_enum, required, row_id
from ...labels import LABELS, choices
from ...services.judging.standings import JUDGED_NEEDS
from ...web.lookups import MAX_ROW_ID

RUBRIC_ROWS = 8  # empty rows are how the organizer adds criteria


class AutoAssignForm(FlaskForm):
    """Run the automatic assignment; the same seed gives the same result."""

    seed = IntegerField(_l("随机种子"), default=0, validators=[
        Optional(), NumberRange(min=0, max=999999, message=_l("随机种子应为 0 至 999999 的整数"))])


class AddJudgeForm(FlaskForm):
    """Put one judge on one bid by hand: a bid of the page, a judge found by typing (name, user name or
    organization; the page's script suggests matches and fills in the id, without script the user name
    or the name typed in full is looked up)."""

    bid_id = SelectField(_l("挑战报告"), coerce=int_or_none, validate_choice=False, validators=[required()])
    judge = StringField(_l("评审专家"), validators=[Optional(), max_len(60)],
                        description=_l("输入姓名、用户名或单位查找"), render_kw={"autocomplete": "off"})
    judge_id = IntegerField(validators=[Optional(), row_id()], widget=HiddenInput())

    def validate_judge(self, field):
        if not self.judge_id.data and not (field.data or "").strip():
            raise ValidationError(_l("请选择评审专家"))

    def fill(self, board) -> None:
        """Offer the bids on the board's page."""
        self.bid_id.choices = [SelectChoice("", _l("请选择挑战报告"))] + [
            SelectChoice(row.bid.id, f"#{row.bid.id} {row.bid.team.name} · {row.bid.need.name} "
                                     f"({len(row.active)}/{board.per_bid})")
            for _need, rows in board.needs for row in rows]


class BoardFilterForm(Form):
    """The assignment board's filters, read from the query string."""

    q = StringField(_l("需求名称"), validators=[Optional(), max_len(60)])
    short = BooleanField(_l("只看尚缺评审专家的需求"))


class CriterionRow(Form):
    """One criterion; a row left entirely empty is ignored. The points are checked even when left empty (no
    Optional, which would skip validate_max_points): a named row without them is refused, not a crash."""

    name = StringField(_l("指标名称"), validators=[Optional(), max_len(60)])
    description = StringField(_l("说明"), validators=[Optional(), max_len(300)])
    max_points = StringField(_l("满分"), validators=[max_len(6)])

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
    rows = RowList(FormField(CriterionRow), min_entries=RUBRIC_ROWS)

    def criteria(self) -> list[Criterion]:
        return [Criterion(row.form.name.data.strip(), (row.form.description.data or "").strip(),
                          Decimal(row.form.max_points.data.strip()))
                for row in self.rows if not row.form.blank]


class StandingsFilterForm(Form):
    """The standings page's filters, read from the query string: a word of the need's name, its status."""

    q = StringField(_l("需求名称"), validators=[Optional(), max_len(60)])
    status = SelectField(_l("状态"), choices=[ALL, *(c for c in choices(NeedStatus) if NeedStatus(c.value) in JUDGED_NEEDS)],
                         coerce=optional_enum(NeedStatus))


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("重开原因"), validators=[required(), max_len(500)])


class DisclosureForm(FlaskForm):
    """Why the organizer marks a bid's identity disclosed (the team and the audit trail read it)."""

    reason = TextAreaField(_l("身份披露的原因"), validators=[required(), max_len(500)], render_kw={"rows": 2})


NO_REP = 0


class PanelForm(FlaskForm):
    """A need's on-site panel: experts (conflicted ones are marked) and the firm's representative.

    The service checks every chosen id (role, organization, conflicts) and says what is wrong in Chinese.
    """

    judges = SelectMultipleField(_l("评审专家"), coerce=int, validate_choice=False, widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 description=_l("标注“须回避”的专家与入围团队存在利益关系，不能选择"))
    firm_rep = SelectField(_l("企业代表"), coerce=int, default=NO_REP, validate_choice=False,
                           validators=[row_id(message=_l("请选择企业代表"))],
                           description=_l("发榜企业的一名账号，只评本需求"))

    def __init__(self, *args, candidates=(), firm_users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicted = {c.user.id for c in candidates if c.conflicted}
        self.judges.choices = [
            SelectChoice(c.user.id, _panel_label(c)) for c in candidates
        ]
        self.firm_rep.choices = [SelectChoice(NO_REP, _l("（请选择）"))] + [
            SelectChoice(u.id, f"{u.display_name}（{u.username}）") for u in firm_users
        ]

    def validate_judges(self, field):
        if not field.data:
            raise ValidationError(_l("现场评审组至少需要 1 名评审专家"))
        if any(not 0 < judge_id <= MAX_ROW_ID for judge_id in field.data):
            raise ValidationError(_l("所选评审专家不存在"))


def _panel_label(candidate) -> str:
    user = candidate.user
    org = user.organization.name if user.organization else _l("无单位")
    text = f"{user.display_name}（{org}）"
    return f"{text} — {_l('须回避')}" if candidate.conflicted else text


class TieRulingForm(FlaskForm):
    """Which of the tied finalists ranks first, and why (the firm and the audit trail read the reason)."""

    bid_id = SelectField(_l("排名第一的揭榜团队"), coerce=int_or_none, validate_choice=False, validators=[required()])
    reason = TextAreaField(_l("裁定理由"), validators=[required(), max_len(1000)], render_kw={"rows": 2})


class RulingForm(FlaskForm):
    """The organizer's ruling on an objection: upheld (the award is reversed) or rejected, with the reason both
    parties will read."""

    decision = RadioField(_l("裁定结论"), coerce=optional_enum(ObjectionStatus), validators=[required()], choices=[
        SelectChoice(s.value, LABELS[(ObjectionStatus, s.value)])
        for s in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED)])
    reason = TextAreaField(_l("裁定理由"), validators=[required(), max_len(1000)], render_kw={"rows": 4})
