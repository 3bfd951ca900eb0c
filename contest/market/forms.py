"""A market's staff's forms: pre-screening's return, a firm registered on its behalf, a need collected for it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from ..domain.choices import TEXT_LIMIT
from ..forms import ALL, AccountForm, OrganizationForm, int_or_none, max_len, optional_enum, required
from ..domain.states import NeedStatus
from ..firm.forms import NeedForm, NewNeedForm
from ..labels import choices


class ReturnForm(FlaskForm):
    """Pre-screening returns the need to the firm: the comment tells it what to change."""

    comment = TextAreaField(_l("退回意见"), description=_l("企业可以看到，请写明需要修改的内容"),
                            validators=[required(), max_len(TEXT_LIMIT)], render_kw={"rows": 3})


class ConsentForm(Form):
    """The firm's consent to be registered by the market: who agreed, and the staff's affirmation."""

    consent_by = StringField(_l("同意代为注册的企业人员姓名"), validators=[required(), max_len(50)],
                             description=_l("企业法定代表人或其授权的人员"))
    consented = BooleanField(_l("我确认已取得该企业同意，由本市场代为注册账号并征集需求"),
                             validators=[DataRequired(message=_l("须确认已取得企业同意"))])


class FirmForm(FlaskForm):
    """A firm registered by a market's staff: its account, its organization and its consent."""

    account = FormField(AccountForm)
    org = FormField(OrganizationForm)
    consent = FormField(ConsentForm)


def _fix_market(form: NeedForm, market) -> None:
    """The need is the staff's market's: the channel offers that one only."""
    form.market_id.choices = [SelectChoice(market.id, market.name)]
    if not form.is_submitted():
        form.market_id.data = market.id


class CollectedNeedForm(NewNeedForm):
    """A new need collected for a firm of the market: the firm, then the need-collection form."""

    firm = SelectField(_l("发榜企业"), coerce=int_or_none, validators=[InputRequired(message=_l("请选择企业"))],
                       description=_l("本市场代为注册的企业"))

    def __init__(self, editions, firms, market, *args, **kwargs):
        super().__init__(editions, *args, **kwargs)
        self.firm.choices = [SelectChoice(f.id, f.name) for f in firms]
        _fix_market(self, market)


class EditCollectedNeedForm(NeedForm):
    """A collected need revised by the market's staff."""

    def __init__(self, market, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _fix_market(self, market)


class NeedFilterForm(Form):
    """The market's needs list filter, read from the query string."""

    status = SelectField(_l("状态"), choices=[ALL, *choices(NeedStatus)], coerce=optional_enum(NeedStatus))
