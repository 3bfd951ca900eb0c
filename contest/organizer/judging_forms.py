"""Forms of the judging pages: a judge's profile, a recusal, the automatic and manual assignments."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.choices import NeedField
from ..forms import max_len, required
from ..labels import choices

NO_ORG = 0
RECUSAL_LIMIT = 500


def int_or_none(value):
    """Coerce a posted id; anything that is not a number becomes None (and fails `required`)."""
    if value in (None, "") or isinstance(value, int):
        return value or None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (easier than a multi-select on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    """A judge's organization, expertise fields and declared conflicts."""

    org_id = SelectField(_l("所在单位"), coerce=int_or_none, default=NO_ORG, validate_choice=False,
                         description=_l("用于回避：不评审本单位作为牵头、成员或发榜单位的挑战报告"))
    expertise = CheckboxesField(_l("专业领域"), choices=choices(NeedField), coerce=NeedField,
                                    description=_l("分配时优先安排同领域的挑战报告"))
    conflict_org_ids = SelectMultipleField(_l("声明回避的单位"), coerce=int, validate_choice=False,
                                           description=_l("例如曾任职、有合作或亲属关系的单位，可多选"),
                                           render_kw={"size": 8})

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known_orgs = {o.id for o in organizations}
        self.org_id.choices = [SelectChoice(NO_ORG, _l("（无）"))] + [SelectChoice(o.id, o.name) for o in organizations]
        self.conflict_org_ids.choices = [SelectChoice(o.id, o.name) for o in organizations]

    def prefill(self, judge, fields, conflict_ids) -> None:
        self.org_id.data = judge.org_id or NO_ORG
        self.expertise.data = sorted(fields, key=lambda f: f.value)
        self.conflict_org_ids.data = list(conflict_ids)

    def validate_org_id(self, field):
        if field.data not in (None, NO_ORG) and field.data not in self.known_orgs:
            raise ValidationError(_l("所选单位不存在"))

    def validate_conflict_org_ids(self, field):
        if set(field.data or ()) - self.known_orgs:
            raise ValidationError(_l("所选单位不存在"))

    def profile_data(self) -> dict:
        return {"org_id": self.org_id.data or None, "fields": list(self.expertise.data or ()),
                "conflict_org_ids": list(self.conflict_org_ids.data or ())}


class RecuseForm(FlaskForm):
    """A judge steps back from one bid: the reason is required and kept."""

    reason = TextAreaField(_l("回避理由"), validators=[required(), max_len(RECUSAL_LIMIT)], render_kw={"rows": 4},
                           description=_l("组织方可以看到回避理由"))


class AutoAssignForm(FlaskForm):
    """Run the automatic assignment; the same seed gives the same result."""

    seed = IntegerField(_l("随机种子"), default=0, validators=[
        Optional(), NumberRange(min=0, max=999999, message=_l("随机种子应为 0 至 999999 的整数"))])


class AddJudgeForm(FlaskForm):
    """Put one judge on one bid by hand."""

    bid_id = SelectField(_l("挑战报告"), coerce=int_or_none, validate_choice=False, validators=[required()])
    judge_id = SelectField(_l("评审专家"), coerce=int_or_none, validate_choice=False, validators=[required()])

    def fill(self, board) -> None:
        """Offer the bids and the active judges of the assignment board."""
        self.bid_id.choices = [SelectChoice("", _l("请选择挑战报告"))] + [
            SelectChoice(row.bid.id, f"#{row.bid.id} {row.bid.team.name} · {row.bid.need.name} "
                                     f"({len(row.active)}/{board.per_bid})")
            for _need, rows in board.needs for row in rows]
        self.judge_id.choices = [SelectChoice("", _l("请选择评审专家"))] + [
            SelectChoice(j.id, f"{j.display_name}（{j.organization.name if j.organization else '—'}）· "
                               + _("已分配 %(n)s 份", n=board.load.get(j.id, 0)))
            for j in board.judges]
