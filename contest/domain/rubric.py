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
        raise Invalid(f"“{value}”不是有效的分数") from exc
    if not number.is_finite():
        raise Invalid(f"“{value}”不是有效的分数")
    return number


def check_rubric(criteria: list[Criterion] | tuple[Criterion, ...]) -> None:
    """A rubric has named, distinct criteria whose maximum points (one decimal at most) sum to 100."""
    if not criteria:
        raise Invalid("评分标准至少需要一项指标")
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names):
        raise Invalid("每项评分指标都需要名称")
    if len(set(names)) != len(names):
        raise Invalid("评分指标名称不能重复")
    for c in criteria:
        points = _decimal(c.max_points)
        if points <= 0 or points != points.quantize(ONE_DECIMAL):
            raise Invalid(f"指标“{c.name}”的满分须为正数，最多一位小数")
    total = sum((_decimal(c.max_points) for c in criteria), Decimal(0))
    if total != RUBRIC_TOTAL:
        raise Invalid(f"各项指标满分之和须为 100 分，现为 {total.normalize():f} 分")


def parse_points(value, max_points: Decimal, criterion_name: str = "") -> Decimal:
    """The points given on one criterion: a number from 0 to its maximum, one decimal at most."""
    label = f"“{criterion_name}”" if criterion_name else ""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid(f"请为指标{label}打分")
    try:
        points = _decimal(value)
    except Invalid as exc:
        raise Invalid(f"指标{label}的分数“{value}”不是数字") from exc
    if points < 0 or points > max_points:
        raise Invalid(f"指标{label}的分数须在 0 至 {max_points.normalize():f} 之间")
    if points != points.quantize(ONE_DECIMAL):
        raise Invalid(f"指标{label}的分数最多保留一位小数")
    return points.quantize(ONE_DECIMAL)
