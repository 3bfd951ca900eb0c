"""The organizer's broker forms: a profile (with the broker's log-in account when new) and an edition's reward rule."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from ...domain.choices import BrokerLevel, NeedField
from ...domain.rewards import MAX_CAP
from ...forms import AccountForm, CheckboxesField, InRange, clean_text, int_or_none, max_len, optional_enum, required
from ...labels import choices


class BrokerFields(Form):
    """A broker's profile."""

    name = StringField(_l("经纪人姓名"), filters=[clean_text], validators=[required(), max_len(50)])
    level = SelectField(_l("证书等级"), choices=choices(BrokerLevel), coerce=optional_enum(BrokerLevel),
                        default=BrokerLevel.JUNIOR.value, validators=[required()])
    certificate_no = StringField(_l("证书编号"), filters=[clean_text], validators=[required(), max_len(40)])
    market_id = SelectField(_l("所属市场"), coerce=int_or_none, validators=[required()])
    fields = CheckboxesField(_l("服务领域"), choices=choices(NeedField), coerce=NeedField)
    phone = StringField(_l("联系电话"), filters=[clean_text], validators=[Optional(), max_len(30)])
    active = BooleanField(_l("在册（可被企业和团队指定）"), default=True)

    def set_markets(self, markets) -> None:
        self.market_id.choices = [SelectChoice(m.id, m.name) for m in markets]

    def profile_data(self) -> dict:
        return {"name": self.name.data, "level": self.level.data, "certificate_no": self.certificate_no.data,
                "market_id": self.market_id.data, "fields": self.fields.data or [], "phone": self.phone.data or "",
                "active": bool(self.active.data)}


class BrokerForm(BrokerFields, FlaskForm):
    """An existing broker's profile, corrected."""

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_markets(markets)


class NewBrokerForm(AccountForm, BrokerFields, FlaskForm):
    """A new broker: the profile and the broker's log-in account (role broker)."""

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_markets(markets)
        self.display_name.label.text = _l("账号显示名")
        self.phone.label.text = _l("联系电话")

    def account(self) -> dict:
        return self.account_data()


def _pct(label, default=None):
    return DecimalField(label, places=2, default=default, render_kw={"inputmode": "decimal"},
                        validators=[InputRequired(message=_l("此项必填")), InRange(Decimal(0), Decimal(100))])


class RewardRuleForm(FlaskForm):
    """An edition's reward rule."""

    rate_pct = _pct(_l("奖励比例（技术交易额的百分比）"))
    cap_yuan = DecimalField(_l("单个合同奖励上限（元）"), places=2, render_kw={"inputmode": "decimal"},
                            validators=[InputRequired(message=_l("此项必填")), InRange(Decimal(0), MAX_CAP)])
    firm_share_pct = _pct(_l("企业方经纪人分成（百分比，其余归团队方经纪人）"), Decimal(50))
