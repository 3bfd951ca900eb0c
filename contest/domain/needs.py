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
        raise Invalid("need.keyword_count", min=KEYWORDS_MIN, max=KEYWORDS_MAX, count=len(seen))
    if any(len(w) > 20 for w in seen):
        raise Invalid("need.keyword_too_long")
    return seen


def check_period(start: date, end: date) -> None:
    """A need period must end after it starts."""
    if end < start:
        raise Invalid("need.period_reversed")


def check_budget(budget_wan: Decimal) -> None:
    """The budget (万元) must be a positive amount with at most two decimals."""
    if budget_wan <= 0:
        raise Invalid("need.budget_not_positive")
    if budget_wan.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Invalid("need.budget_decimals")


def check_may_submit(status: NeedStatus, collection_end: date, today: date) -> None:
    """A draft is submitted while collection is open; a returned need may be resubmitted later."""
    if status == NeedStatus.DRAFT and today > collection_end:
        raise WindowClosed("need.collection_closed")
