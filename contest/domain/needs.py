"""Rules on a need's content: keywords, period, budget, and when a firm may submit."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .choices import KEYWORDS_MAX, KEYWORDS_MIN
from .errors import Invalid, WindowClosed
from .states import NeedStatus

_SEPARATORS = re.compile(r"[,，、;；\s]+")


def parse_keywords(text: str) -> list[str]:
    """Split keywords typed with commas, 、, semicolons or spaces; keep order, drop repeats."""
    seen: list[str] = []
    for word in _SEPARATORS.split(text or ""):
        if word and word not in seen:
            seen.append(word)
    if not KEYWORDS_MIN <= len(seen) <= KEYWORDS_MAX:
        raise Invalid(f"关键词须为 {KEYWORDS_MIN} 至 {KEYWORDS_MAX} 个，现有 {len(seen)} 个")
    if any(len(w) > 20 for w in seen):
        raise Invalid("每个关键词不超过 20 个字")
    return seen


def check_period(start: date, end: date) -> None:
    """A need period must end after it starts."""
    if end < start:
        raise Invalid("需求时限的结束日期不能早于开始日期")


def check_budget(budget_wan: Decimal) -> None:
    """The budget (万元) must be a positive amount with at most two decimals."""
    if budget_wan <= 0:
        raise Invalid("拟投入资金总额必须为正数")
    if budget_wan.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Invalid("拟投入资金总额最多保留两位小数")


def check_may_submit(status: NeedStatus, collection_end: date, today: date) -> None:
    """A draft is submitted while collection is open; a returned need may be resubmitted later."""
    if status == NeedStatus.DRAFT and today > collection_end:
        raise WindowClosed("需求征集已截止，不能再提交新需求")
