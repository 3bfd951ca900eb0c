"""The open API's documents: query arguments and bodies (validated by webargs) and the responses (dumped and
described in the OpenAPI document)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from ..domain.choices import TEXT_LIMIT, CooperationMode, MarketLevel, NeedCategory, NeedField
from ..services.api.published import SHOWN_STATUSES

PAGE_MAX = 10_000
PER_PAGE_MAX = 100
PER_PAGE_DEFAULT = 20
ID_MAX = 2**31 - 1
BUDGET_MAX_WAN = 1_000_000  # as the need form: 100 亿元
OUTCOMES = ("awarded", "failed", "awaiting_reconfirmation")


def _codes(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


class Trimmed(f.String):
    """A string with its surrounding blanks dropped (and a CRLF counted as one line break) before validation."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:  # no database text can hold it
            raise ma.ValidationError("NUL character not allowed.")
        return text.replace("\r\n", "\n").strip()


class Query(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # ?lang=en and the like are not this API's business


class PageArgs(Query):
    page = f.Integer(load_default=1, validate=v.Range(1, PAGE_MAX), metadata={"description": "页码，从 1 开始"})
    per_page = f.Integer(load_default=PER_PAGE_DEFAULT, validate=v.Range(1, PER_PAGE_MAX),
                         metadata={"description": f"每页条数（1–{PER_PAGE_MAX}）"})


class NeedArgs(PageArgs):
    edition = f.String(validate=v.Length(1, 20), metadata={"description": "届次代码，如 CIC8"})
    field = f.String(validate=v.OneOf(_codes(NeedField)), metadata={"description": "所属领域代码"})
    market = f.Integer(validate=v.Range(1, ID_MAX), metadata={"description": "征集渠道（科技大市场）编号"})
    status = f.String(validate=v.OneOf(SHOWN_STATUSES), metadata={"description": "公开状态"})
    q = f.String(validate=v.Length(max=100), metadata={"description": "关键词"})


class Paged(ma.Schema):
    page = f.Integer(required=True)
    per_page = f.Integer(required=True)
    total = f.Integer(required=True, metadata={"description": "符合条件的总条数"})
    pages = f.Integer(required=True)


class NeedOut(ma.Schema):
    id = f.Integer(required=True)
    url = f.String(required=True, metadata={"description": "需求的公开页面"})
    name = f.String(required=True)
    category = f.String(required=True, validate=v.OneOf(_codes(NeedCategory)))
    category_label = f.String(required=True)
    field = f.String(required=True, validate=v.OneOf(_codes(NeedField)))
    field_label = f.String(required=True)
    industry = f.String(required=True)
    keywords = f.List(f.String(), required=True)
    problem = f.String(required=True)
    key_points = f.String(required=True)
    goals = f.String(required=True)
    budget_wan = f.String(required=True, metadata={"description": "拟投入资金总额（万元），两位小数"})
    period_start = f.Date(required=True)
    period_end = f.Date(required=True)
    cooperation = f.String(required=True, validate=v.OneOf(_codes(CooperationMode)))
    cooperation_label = f.String(required=True)
    market_id = f.Integer(required=True)
    market_name = f.String(required=True)
    edition = f.String(required=True, metadata={"description": "届次代码"})
    edition_name = f.String(required=True)
    bidding_deadline = f.DateTime(required=True)
    status = f.String(required=True, validate=v.OneOf(SHOWN_STATUSES))
    status_label = f.String(required=True)
    published_at = f.DateTime(required=True, allow_none=True)
    anonymous = f.Boolean(required=True)
    firm_name = f.String(required=True, allow_none=True, metadata={"description": "发榜单位；匿名发布时为 null"})


class NeedPage(Paged):
    items = f.List(f.Nested(NeedOut), required=True)


class MarketOut(ma.Schema):
    id = f.Integer(required=True)
    name = f.String(required=True)
    level = f.String(required=True, validate=v.OneOf(_codes(MarketLevel)))
    level_label = f.String(required=True)
    area = f.String(required=True, metadata={"description": "所在区县或所属行业协会"})
    active = f.Boolean(required=True)


class MarketList(ma.Schema):
    items = f.List(f.Nested(MarketOut), required=True)


class ResultEdition(ma.Schema):
    code = f.String(required=True)
    name = f.String(required=True)
    results_published_at = f.DateTime(required=True)
    objection_deadline = f.Date(required=True, metadata={"description": "异议截止日（含），北京时间"})


class ResultEditionList(ma.Schema):
    items = f.List(f.Nested(ResultEdition), required=True)


class ResultRow(ma.Schema):
    need_id = f.Integer(required=True)
    need_name = f.String(required=True)
    need_url = f.String(required=True)
    firm_name = f.String(required=True, allow_none=True, metadata={"description": "发榜单位；匿名发布时为 null"})
    outcome = f.String(required=True, validate=v.OneOf(OUTCOMES))
    outcome_label = f.String(required=True)
    winner_team = f.String(required=True, allow_none=True)
    winner_lead_org = f.String(required=True, allow_none=True)
    reversed_on = f.List(f.Date(), required=True, metadata={"description": "经异议复核撤销原结果的日期"})


class ResultPage(Paged):
    edition = f.Nested(ResultEdition, required=True)
    items = f.List(f.Nested(ResultRow), required=True)


class FieldCount(ma.Schema):
    field = f.String(required=True, validate=v.OneOf(_codes(NeedField)))
    label = f.String(required=True)
    needs = f.Integer(required=True)


class MarketCount(ma.Schema):
    market_id = f.Integer(required=True)
    market_name = f.String(required=True)
    needs = f.Integer(required=True)


class EditionStatistics(ma.Schema):
    edition = f.String(required=True)
    edition_name = f.String(required=True)
    results_published_at = f.DateTime(required=True)
    needs = f.Integer(required=True, metadata={"description": "公开发布的需求数"})
    budget_wan = f.String(required=True, metadata={"description": "公开需求的拟投入资金合计（万元）"})
    awarded = f.Integer(required=True)
    failed = f.Integer(required=True, metadata={"description": "流榜"})
    awaiting_reconfirmation = f.Integer(required=True)
    by_field = f.List(f.Nested(FieldCount), required=True)
    by_market = f.List(f.Nested(MarketCount), required=True)


class StatisticsList(ma.Schema):
    items = f.List(f.Nested(EditionStatistics), required=True)


class NeedIn(ma.Schema):
    """A need a market's staff collect for a firm of their market (the need form's fields and limits)."""

    class Meta:
        unknown = ma.RAISE  # the market is the token owner's: a client cannot name another

    edition = Trimmed(required=True, validate=v.Length(1, 20), metadata={"description": "征集中的届次代码"})
    firm_id = f.Integer(required=True, validate=v.Range(1, ID_MAX), metadata={"description": "本市场代为注册的企业编号"})
    name = Trimmed(required=True, validate=v.Length(1, 100))
    category = f.String(required=True, validate=v.OneOf(_codes(NeedCategory)))
    field = f.String(required=True, validate=v.OneOf(_codes(NeedField)))
    industry = Trimmed(required=True, validate=v.Length(1, 60))
    keywords = Trimmed(required=True, validate=v.Length(1, 200), metadata={"description": "1 至 5 个，用逗号或顿号分隔"})
    problem = Trimmed(required=True, validate=v.Length(1, TEXT_LIMIT))
    key_points = Trimmed(required=True, validate=v.Length(1, TEXT_LIMIT))
    goals = Trimmed(required=True, validate=v.Length(1, TEXT_LIMIT))
    budget_wan = f.Decimal(required=True, validate=v.Range(0, BUDGET_MAX_WAN, min_inclusive=False),
                           metadata={"description": "拟投入资金总额（万元），至多两位小数"})
    period_start = f.Date(required=True)
    period_end = f.Date(required=True)
    cooperation = f.String(required=True, validate=v.OneOf(_codes(CooperationMode)))
    anonymous = f.Boolean(load_default=False)
    submit = f.Boolean(load_default=False, metadata={"description": "true：创建后立即提交组织方甄别"})


class NeedCreated(ma.Schema):
    id = f.Integer(required=True)
    name = f.String(required=True)
    status = f.String(required=True)
    status_label = f.String(required=True)
    edition = f.String(required=True)
    firm_id = f.Integer(required=True)
    market_id = f.Integer(required=True)


class ApiError(ma.Schema):
    code = f.Integer(required=True, metadata={"description": "HTTP 状态码"})
    status = f.String(required=True, metadata={"description": "HTTP 状态名"})
    message = f.String(required=True, metadata={"description": "说明（中文；Accept-Language: en 时为英文）"})
    errors = f.Dict(metadata={"description": "逐项的校验错误"})


