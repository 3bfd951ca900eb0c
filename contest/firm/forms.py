"""The need-collection form (技术需求征集表) a firm fills in."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from ..domain.choices import TEXT_LIMIT, CooperationMode, NeedCategory, NeedField
from ..domain.errors import Invalid
from ..domain.needs import check_budget, check_period, parse_keywords
from .. import once
from ..forms import REQUIRED, max_len, required
from ..i18n import refusal_text
from ..labels import choices
from ..services.markets import market_list

BUDGET_MAX_WAN = Decimal("1000000")  # 100 亿元: far above any real need, well inside Numeric(12, 2)
DATE_MESSAGE = _l("请输入有效日期，如 2026-06-01")


def _clean_text(value: str | None) -> str | None:
    """Trim and count a browser's CRLF line break as one character, as it will be stored."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _text(label) -> TextAreaField:
    return TextAreaField(label, filters=[_clean_text], validators=[required(), max_len(TEXT_LIMIT)],
                         render_kw={"rows": 4, "maxlength": TEXT_LIMIT})


class NeedForm(FlaskForm):
    """Every field of a need except its edition, with the two save buttons."""

    name = StringField(_l("技术需求名称"), filters=[_strip], validators=[required(), max_len(100)])
    category = SelectField(_l("需求类别"), choices=choices(NeedCategory), coerce=NeedCategory,
                           validators=[InputRequired(message=REQUIRED)])
    field = SelectField(_l("所属领域"), choices=choices(NeedField), coerce=NeedField,
                        validators=[InputRequired(message=REQUIRED)])
    industry = StringField(_l("应用行业"), filters=[_strip], validators=[required(), max_len(60)])
    keywords = StringField(_l("关键词（1 至 5 个，用逗号或顿号分隔）"), filters=[_strip],
                           validators=[required(), max_len(200)])
    problem = _text(_l("主要问题（不超过 500 字）"))
    key_points = _text(_l("技术关键与主要指标（不超过 500 字）"))
    goals = _text(_l("预期目标（不超过 500 字）"))
    budget_wan = DecimalField(_l("拟投入资金总额（万元）"), places=2, validators=[InputRequired(message=REQUIRED)],
                              invalid_value_message=_l("请输入金额数字，如 300 或 300.50"))
    period_start = DateField(_l("需求时限：开始日期"), validators=[InputRequired(message=REQUIRED)],
                             invalid_value_message=DATE_MESSAGE)
    period_end = DateField(_l("需求时限：结束日期"), validators=[InputRequired(message=REQUIRED)],
                           invalid_value_message=DATE_MESSAGE)
    cooperation = SelectField(_l("合作方式"), choices=choices(CooperationMode), coerce=CooperationMode,
                              validators=[InputRequired(message=REQUIRED)])
    # The market of the 1+12+13 network that collects the need (征集渠道).
    market_id = SelectField(_l("征集渠道"), coerce=int, validators=[InputRequired(message=REQUIRED)])
    anonymous = BooleanField(_l("匿名发布（公众可见需求内容，但不显示企业名称）"))
    save = SubmitField(_l("保存草稿"))
    save_and_submit = SubmitField(_l("保存并提交"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        need = kwargs.get("obj")
        if need is not None and not self.is_submitted():
            self.keywords.data = "、".join(need.keyword_list)
        # The active markets; a need collected by a market since closed keeps it when edited.
        markets = market_list()
        current = getattr(need, "market", None)
        if current is not None and current not in markets:
            markets.insert(0, current)
        self.market_id.choices = [SelectChoice(m.id, m.name) for m in markets]

    def validate_keywords(self, field):
        _domain_check(parse_keywords, field.data)

    def validate_budget_wan(self, field):
        if field.data is None:
            return
        if not field.data.is_finite():
            raise ValidationError(_l("请输入金额数字，如 300 或 300.50"))
        _domain_check(check_budget, field.data)
        if field.data > BUDGET_MAX_WAN:
            raise ValidationError(_l("拟投入资金总额不能超过 %(n)s 万元", n=BUDGET_MAX_WAN))

    def validate_period_end(self, field):
        if self.period_start.data and field.data:
            _domain_check(check_period, self.period_start.data, field.data)

    @property
    def submit_requested(self) -> bool:
        """True when the firm pressed 保存并提交 rather than 保存草稿."""
        return bool(self.save_and_submit.data)

    def need_data(self) -> dict:
        """The service's input: every need field, keywords as typed."""
        names = ("name", "category", "field", "industry", "keywords", "problem", "key_points", "goals",
                 "budget_wan", "period_start", "period_end", "cooperation", "market_id", "anonymous")
        return {name: self.data[name] for name in names}


class NewNeedForm(NeedForm):
    """A new need also names the edition it is posted to."""

    edition = SelectField(_l("届次"), coerce=int, validators=[InputRequired(message=_l("请选择届次"))])
    submission_key = once.key_field()  # a double-clicked or replayed new need makes one need

    def __init__(self, editions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition.choices = [(e.id, e.name) for e in editions]


def _domain_check(rule, *args) -> None:
    """Run a domain rule and turn its refusal into a field error."""
    try:
        rule(*args)
    except Invalid as exc:
        raise ValidationError(refusal_text(exc)) from exc
