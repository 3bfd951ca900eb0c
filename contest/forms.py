"""Form pieces shared by several blueprints."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from .domain.choices import OrgKind
from .domain.errors import Invalid
from .domain.organizations import normalize_credit_code
from .labels import choices
from .security import StrongPassword

REQUIRED = _l("此项必填")


def required():
    return DataRequired(message=REQUIRED)


def max_len(n: int):
    return Length(max=n, message=_l("不能超过 %(n)s 个字符", n=n))


class OrganizationForm(Form):
    """An organization's details, as the contract will need them."""

    name = StringField(_l("机构全称"), validators=[required(), max_len(120)])
    kind = SelectField(_l("机构类型"), choices=choices(OrgKind), coerce=OrgKind, validators=[required()])
    credit_code = StringField(_l("统一社会信用代码"), validators=[required(), max_len(20)])
    region_code = StringField(_l("行政区划代码"), default="330200", validators=[
        required(), Regexp(r"^[1-8]\d{5}$", message=_l("行政区划代码应为 6 位数字（GB/T 2260），如宁波市 330200"))])
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
            raise ValidationError(exc.message) from exc


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
