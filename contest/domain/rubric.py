"""Rubrics: criteria with maximum points summing to 100, and the points a judge may give."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from .errors import Invalid

RUBRIC_TOTAL = Decimal("100")
ONE_DECIMAL = Decimal("0.1")


class Round(str, Enum):
    ONLINE = "online"    # 初评
    ONSITE = "onsite"    # 现场赛


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str
    max_points: Decimal


DEFAULT_RUBRICS: dict[Round, tuple[Criterion, ...]] = {
    Round.ONLINE: (
        Criterion("技术创新性", "技术路线的先进性与创新点，是否突破需求中的关键问题", Decimal("30")),
        Criterion("方案可行性与技术路线", "技术方案是否完整可行，路线是否清晰，风险是否可控", Decimal("25")),
        Criterion("团队能力与研发基础", "团队人员结构、前期成果、平台条件与知识产权基础", Decimal("20")),
        Criterion("经济性与报价合理性", "报价与投入是否合理，经费使用是否清楚", Decimal("15")),
        Criterion("需求匹配度与交付计划", "是否回应企业需求与指标，里程碑与交付物是否明确", Decimal("10")),
    ),
    # DOMAIN.md names only the online default; the on-site one weighs the pitch and the answers.
    Round.ONSITE: (
        Criterion("技术方案与创新性", "现场陈述的技术方案是否先进、创新、切中需求", Decimal("30")),
        Criterion("可行性与实施计划", "实施路径、进度与风险应对是否可信", Decimal("25")),
        Criterion("团队实力", "团队的研发基础与完成能力", Decimal("20")),
        Criterion("报价与经济性", "报价是否合理，投入产出是否匹配", Decimal("10")),
        Criterion("现场答辩", "陈述是否清楚，回答专家与企业提问是否到位", Decimal("15")),
    ),
}


def _decimal(value) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise Invalid("rubric.not_a_number", value=value) from exc
    if not number.is_finite():
        raise Invalid("rubric.not_a_number", value=value)
    return number


def check_rubric(criteria: list[Criterion] | tuple[Criterion, ...]) -> None:
    """A rubric has named, distinct criteria whose maximum points (one decimal at most) sum to 100."""
    if not criteria:
        raise Invalid("rubric.empty")
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names):
        raise Invalid("rubric.criterion_unnamed")
    if len(set(names)) != len(names):
        raise Invalid("rubric.criterion_repeated")
    for c in criteria:
        points = _decimal(c.max_points)
        # above 100 first: 1e30 cannot even be quantized to one decimal
        if points <= 0 or points > RUBRIC_TOTAL or points != points.quantize(ONE_DECIMAL):
            raise Invalid("rubric.max_points_invalid", name=c.name)
    total = sum((_decimal(c.max_points) for c in criteria), Decimal(0))
    if total != RUBRIC_TOTAL:
        raise Invalid("rubric.total_not_100", total=f"{total.normalize():f}")


def parse_points(value, max_points: Decimal, criterion_name: str = "") -> Decimal:
    """The points given on one criterion: a number from 0 to its maximum, one decimal at most."""
    named = {"criterion": criterion_name} if criterion_name else {}
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid("points.missing_named" if named else "points.missing", **named)
    try:
        points = _decimal(value)
    except Invalid as exc:
        raise Invalid("points.not_a_number_named" if named else "points.not_a_number", value=value, **named) from exc
    if points < 0 or points > max_points:
        raise Invalid("points.out_of_range_named" if named else "points.out_of_range",
                      max=f"{max_points.normalize():f}", **named)
    if points != points.quantize(ONE_DECIMAL):
        raise Invalid("points.decimals_named" if named else "points.decimals", **named)
    return points.quantize(ONE_DECIMAL)
