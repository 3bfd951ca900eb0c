"""Log-in and self-registration forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, FormField, PasswordField, StringField
from wtforms.validators import EqualTo, Optional, ValidationError

from ..forms import AccountForm, OrganizationForm, RowList, max_len, required
from ..security import StrongPassword


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[required(), max_len(40)])
    password = PasswordField(_l("密码"), validators=[required(), max_len(128)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[required(), max_len(128)])
    password = PasswordField(_l("新密码"), validators=[required(), StrongPassword()],
                             description=_l("至少 10 位；不能使用常见密码，建议用一句话或几个词组成"))
    confirm = PasswordField(_l("确认新密码"), validators=[
        required(), EqualTo("password", message=_l("两次输入的密码不一致"))])


class FirmRegisterForm(FlaskForm):
    account = FormField(AccountForm)
    org = FormField(OrganizationForm)


class MemberForm(Form):
    name = StringField(_l("姓名"), validators=[Optional(), max_len(50)])
    organization_name = StringField(_l("所在单位"), validators=[max_len(120)])
    title = StringField(_l("职称/职务"), validators=[Optional(), max_len(50)])

    def validate_organization_name(self, field):
        if self.name.data and not field.data:
            raise ValidationError(_l("请填写成员所在单位"))


class TeamInfoForm(Form):
    name = StringField(_l("团队名称"), validators=[required(), max_len(100)])
    leader_name = StringField(_l("团队负责人"), validators=[required(), max_len(50)])
    leader_title = StringField(_l("负责人职称/职务"), validators=[Optional(), max_len(50)])


class TeamRegisterForm(FlaskForm):
    account = FormField(AccountForm)
    org = FormField(OrganizationForm, label=_l("牵头单位"))
    team = FormField(TeamInfoForm)
    members = RowList(FormField(MemberForm), min_entries=5, max_entries=20)

    def members_data(self) -> list[dict]:
        return [m for m in self.members.data if m.get("name")]
