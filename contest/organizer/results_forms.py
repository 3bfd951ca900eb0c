"""The organizer's forms for the judging stages: the on-site panel of a need."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

NO_REP = 0


class PanelForm(FlaskForm):
    """A need's on-site panel: experts (conflicted ones are marked) and the firm's representative.

    The service checks every chosen id (role, organization, conflicts) and says what is wrong in Chinese.
    """

    judges = SelectMultipleField(_l("评审专家"), coerce=int, validate_choice=False, widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 description=_l("标注“须回避”的专家与入围团队存在利益关系，不能选择"))
    firm_rep = SelectField(_l("企业代表"), coerce=int, default=NO_REP, validate_choice=False,
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

    def validate_firm_rep(self, field):
        if field.data == NO_REP:
            raise ValidationError(_l("请选择企业代表"))


def _panel_label(candidate) -> str:
    user = candidate.user
    org = user.organization.name if user.organization else _l("无单位")
    text = f"{user.display_name}（{org}）"
    return f"{text} — {_l('须回避')}" if candidate.conflicted else text
