"""Form pieces shared by several blueprints: validators, the organization and account blocks, list filters,
the judge's profile (edited by the judge and by the organizer) and the one-button confirmation."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, FieldList, Form, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired, Email, EqualTo, Length, Optional, Regexp, StopValidation, ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .domain.choices import NeedField, OrgKind
from .domain.errors import DomainError, Invalid
from .domain import registration_codes
from .extensions import db
from .domain.organizations import check_region_code, normalize_credit_code
from .domain.registration_codes import check_nature
from .i18n import refusal_text
from .labels import choices
from .security import StrongPassword
from .web.lookups import MAX_ROW_ID
from .web.refusals import refuse, status_of

REQUIRED = _l("此项必填")
NOT_A_NUMBER = _l("请输入有效的数字")
ALL = SelectChoice("", _l("全部"))  # the blank choice of a list filter
NO_ORG = 0


def clean_text(value: str | None) -> str | None:
    """Trim a text and count a browser's CRLF line break as one character, as the counter and the column do."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def required():
    return DataRequired(message=REQUIRED)


def max_len(n: int):
    return Length(max=n, message=_l("不能超过 %(n)s 个字符", n=n))


def add_error(field, message) -> None:
    """One more error under a field, after validation (its errors may still be the tuple WTForms starts with)."""
    field.errors = [*field.errors, message]


def check_into(field, rule, *args) -> bool:
    """Run a domain rule; its refusal goes under the field (False), so the other checks still run."""
    try:
        rule(*args)
    except Invalid as exc:
        add_error(field, refusal_text(exc))
        return False
    return True


def refuse_into(form, error: DomainError, fields: dict[str, str]) -> int:
    """A service refused the request: undo what it did and put its refusal under the field it concerns (by its
    message id, `fields`), or flash it when it concerns no field; the 4xx to answer."""
    name = fields.get(error.message_id)
    if name is None:
        return refuse(error)
    db.session.rollback()
    add_error(form[name], refusal_text(error))
    return status_of(error)


class InRange:
    """A number its column can hold: finite (no NaN or Infinity) and from `low` to `high` inclusive.

    Put it first among a field's checks (after InputRequired or Optional): it stops the chain, so NumberRange
    and validate_<field> never meet NaN or Infinity (comparing a NaN Decimal raises, its exponent is a letter)
    nor a number the database would overflow on. An empty or unparsable value is left to the other checks.
    """

    def __init__(self, low: Decimal | int, high: Decimal | int, message: str | None = None):
        self.low, self.high = low, high
        self.message = message

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if isinstance(value, Decimal) and not value.is_finite():
            raise StopValidation(NOT_A_NUMBER)
        if not self.low <= value <= self.high:
            raise StopValidation(self.message or _l("须为 %(low)s 至 %(high)s 之间的数", low=self.low, high=self.high))


def row_id(message: str | None = None) -> InRange:
    """An id a row can have: 1 to MAX_ROW_ID (beyond, the database fails on the number instead of finding nothing)."""
    return InRange(1, MAX_ROW_ID, message=message or _l("所选对象不存在"))


def optional_enum(enum_cls: type[Enum]):
    """Coerce a filter value to the enum, the blank choice to None (unknown values are dropped)."""
    def coerce(value):
        if value in (None, "") or isinstance(value, enum_cls):
            return value or None
        return enum_cls(value)
    return coerce


def nature_choices() -> list[tuple[str, str]]:
    """The registration form's unit natures a party can have: the firms' first, then the others'; blank = by kind
    (not for a firm)."""
    names = registration_codes.table("unit_natures", get_locale().language)
    codes = registration_codes.enterprise_natures() + registration_codes.other_natures()
    return [("", _l("（非企业按机构类型）")), *((code, f"{code} {names[code]}") for code in codes)]


class OrganizationForm(Form):
    """An organization's details, as the contract will need them."""

    name = StringField(_l("机构全称"), validators=[required(), max_len(120)])
    kind = SelectField(_l("机构类型"), choices=choices(OrgKind), coerce=OrgKind, validators=[required()])
    credit_code = StringField(_l("统一社会信用代码"), validators=[required(), max_len(20)])
    region_code = StringField(_l("行政区划代码"), validators=[required()],
                              description=_l("所在区、县的 GB/T 2260 代码，如宁波市鄞州区 330212"))
    nature_code = SelectField(_l("单位性质"), choices=nature_choices, validate_choice=False,
                              description=_l("企业必选，按营业执照上的企业类型；高校、科研院所、医疗卫生机构、"
                                             "社会组织可不选，按机构类型填写"))
    address = StringField(_l("住所地"), validators=[required(), max_len(200)])
    legal_rep = StringField(_l("法定代表人"), validators=[required(), max_len(50)])
    contact_name = StringField(_l("联系人"), validators=[required(), max_len(50)])
    contact_phone = StringField(_l("联系电话"), validators=[required(), max_len(30)])
    contact_email = EmailField(_l("联系邮箱"), validators=[Optional(), Email(message=_l("邮箱格式不正确")), max_len(120)])
    bank_name = StringField(_l("开户银行"), validators=[Optional(), max_len(120)])
    bank_account = StringField(_l("银行账号"), validators=[Optional(), max_len(40)])

    def validate_credit_code(self, field):
        try:
            field.data = normalize_credit_code(field.data)
        except Invalid as exc:
            raise ValidationError(refusal_text(exc)) from exc

    def validate_region_code(self, field):
        try:
            field.data = check_region_code(field.data)
        except Invalid as exc:
            raise ValidationError(refusal_text(exc)) from exc

    def validate_nature_code(self, field):
        if self.kind.errors or self.kind.data is None:
            return  # the kind is asked again first
        try:
            field.data = check_nature(self.kind.data, field.data)
        except Invalid as exc:
            raise ValidationError(refusal_text(exc)) from exc


class AccountForm(Form):
    """The person's log-in account."""

    username = StringField(_l("用户名"), validators=[required(), Length(min=3, max=40, message=_l("用户名为 3 至 40 个字符")),
                                                  Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("用户名只能包含字母、数字、下划线、点和连字符"))])
    display_name = StringField(_l("姓名"), validators=[required(), max_len(60)])
    email = EmailField(_l("邮箱"), validators=[Optional(), Email(message=_l("邮箱格式不正确")), max_len(120)])
    phone = StringField(_l("手机"), validators=[Optional(), max_len(30)])
    password = PasswordField(_l("密码"), validators=[required(), StrongPassword()],
                             description=_l("至少 10 位；不能使用常见密码，建议用一句话或几个词组成"))
    confirm = PasswordField(_l("确认密码"), validators=[required(), EqualTo("password", message=_l("两次输入的密码不一致"))])

    def account_data(self) -> dict:
        return {k: self.data[k] for k in ("username", "display_name", "email", "phone", "password")}


class ConfirmForm(FlaskForm):
    """A bare form for one-button POST actions (submit, withdraw…): it carries the CSRF token."""


def int_or_none(value):
    """Coerce a posted id; anything that is not a number, or no row can have, becomes None (and fails
    `required`)."""
    if value in (None, "") or isinstance(value, int):
        return value or None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= MAX_ROW_ID else None


class RowList(FieldList):
    """A FieldList that takes only plain row numbers from the posted names (rows-3-name).

    WTForms' own takes any str.isdigit() index: "rows-²-name" or a 5,000-digit one would make int() raise.
    """

    max_index_digits = 6

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit() and len(index) <= self.max_index_digits:
                    yield int(index)


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
