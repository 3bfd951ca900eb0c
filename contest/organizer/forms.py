"""The organizer's forms: editions, screening decisions, users, and the list filters."""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField, DateTimeLocalField, Form, IntegerField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from ..domain.choices import TEXT_LIMIT
from ..domain.states import NeedStatus, ReviewDecision, Role
from ..forms import AccountForm, max_len, required
from ..labels import choices
from ..services.clock import from_beijing, to_beijing

ALL = SelectChoice("", _l("全部"))
CREATABLE_ROLES = (Role.JUDGE.value, Role.ORGANIZER.value)  # firms and teams register themselves
NO_ORG = 0
DATE_FIELDS = ("collection_start", "collection_end", "review_start", "review_end", "final_date", "results_date")


def optional_enum(enum_cls: type[Enum]):
    """Coerce a filter value to the enum, the blank choice to None (unknown values are dropped)."""
    def coerce(value):
        if value in (None, "") or isinstance(value, enum_cls):
            return value or None
        return enum_cls(value)
    return coerce


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


class ReviewForm(FlaskForm):
    """The screening decision on a submitted need."""

    decision = RadioField(_l("甄别结论"), choices=choices(ReviewDecision), coerce=optional_enum(ReviewDecision),
                          validators=[required()])
    comment = TextAreaField(_l("甄别意见"), description=_l("退回修改或不予通过时必填，企业可以看到"),
                            validators=[max_len(TEXT_LIMIT)], render_kw={"rows": 4})

    def validate_comment(self, field):
        if self.decision.data in (ReviewDecision.RETURN, ReviewDecision.REJECT) and not (field.data or "").strip():
            raise ValidationError(_l("退回修改或不予通过时必须填写意见"))


class NewUserForm(AccountForm, FlaskForm):
    """A judge or organizer account created by an organizer."""

    role = SelectField(_l("角色"), choices=[c for c in choices(Role) if c.value in CREATABLE_ROLES],
                       coerce=optional_enum(Role), default=Role.JUDGE.value, validators=[required()])
    org_id = SelectField(_l("所在单位（评审专家，可选）"), coerce=int, default=NO_ORG,
                         description=_l("用于回避：专家不评审本单位相关的需求和挑战报告"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_id.choices = [SelectChoice(NO_ORG, _l("（无）"))] + [SelectChoice(o.id, o.name) for o in organizations]

    def validate_org_id(self, field):
        if field.data != NO_ORG and self.role.data != Role.JUDGE:
            raise ValidationError(_l("只有评审专家可以关联单位"))

    def user_data(self) -> dict:
        return {**self.account_data(), "role": self.role.data,
                "org_id": None if self.org_id.data == NO_ORG else self.org_id.data}


# Filters: plain forms read from the query string, no CSRF (they change nothing).

class NeedFilterForm(Form):
    edition = SelectField(_l("届次"), default="")
    status = SelectField(_l("状态"), choices=[ALL, *choices(NeedStatus)], coerce=optional_enum(NeedStatus))

    def __init__(self, formdata, editions=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.edition.choices = [ALL] + [SelectChoice(e.code, e.name) for e in editions]


class UserFilterForm(Form):
    role = SelectField(_l("角色"), choices=[ALL, *choices(Role)], coerce=optional_enum(Role))


class AuditFilterForm(Form):
    action = StringField(_l("操作"), description=_l("可填前缀，如 need."), validators=[Optional(), max_len(60)])
    actor = StringField(_l("操作人用户名"), validators=[Optional(), max_len(40)])
    object_type = StringField(_l("对象类型"), validators=[Optional(), max_len(40)])
    object_id = IntegerField(_l("对象编号"), validators=[Optional()])
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])

    def filters(self) -> dict:
        """The filters the user filled in and typed correctly; a malformed one is ignored."""
        found = {}
        for name in ("action", "actor", "object_type", "object_id", "date_from", "date_to"):
            field = getattr(self, name)
            value = field.data.strip() if isinstance(field.data, str) else field.data
            if value not in (None, "") and not field.process_errors:
                found[name] = value
        return found
