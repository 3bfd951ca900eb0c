"""Human labels for every enum, translated through Flask-Babel."""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from .domain.choices import BrokerLevel, CooperationMode, MarketLevel, NeedCategory, NeedField, OrgKind
from .domain.contracts import ContractStatus, ContractType, DisputeResolution, IpOwnership
from .domain.embargo import Undisclosed
from .domain.rubric import Round
from .domain.states import (
    AssignmentStatus, BidStatus, CreditStatus, EditionStage, FirmDecision, NeedStatus, ObjectionStatus,
    ReviewDecision, Role, SheetStatus,
)

_LABELS: list[tuple[Enum, object]] = [
    (Undisclosed.RESULTS_PENDING, _l("结果待公布")),
    (EditionStage.OPEN, _l("需求征集与揭榜")),
    (EditionStage.ONLINE_REVIEW, _l("初评")),
    (EditionStage.FINAL, _l("现场赛与企业确认")),
    (EditionStage.RESULTS, _l("结果公示")),
    (Round.ONLINE, _l("初评")),
    (Round.ONSITE, _l("现场赛")),
    (SheetStatus.DRAFT, _l("草稿")),
    (SheetStatus.SUBMITTED, _l("已提交")),
    (AssignmentStatus.ASSIGNED, _l("已分配")),
    (AssignmentStatus.RECUSED, _l("已回避")),
    (FirmDecision.CONFIRM, _l("确认优胜")),
    (FirmDecision.DECLINE, _l("不予确认")),
    (ObjectionStatus.PENDING, _l("待裁定")),
    (ObjectionStatus.UPHELD, _l("异议成立")),
    (ObjectionStatus.REJECTED, _l("异议不成立")),
    (Role.ORGANIZER, _l("组织方")),
    (Role.FIRM, _l("发榜企业")),
    (Role.TEAM, _l("揭榜团队")),
    (Role.JUDGE, _l("评审专家")),
    (Role.MARKET, _l("市场工作人员")),
    (Role.BROKER, _l("技术经纪人")),
    (MarketLevel.CITY, _l("市科技大市场")),
    (MarketLevel.SUB, _l("分市场")),
    (MarketLevel.PROFESSIONAL, _l("专业市场")),
    (BrokerLevel.JUNIOR, _l("初级")),
    (BrokerLevel.INTERMEDIATE, _l("中级")),
    (BrokerLevel.SENIOR, _l("高级")),
    (CreditStatus.PENDING, _l("待经纪人确认")),
    (CreditStatus.CONFIRMED, _l("经纪人已确认")),
    (CreditStatus.DECLINED, _l("经纪人已拒绝")),
    (NeedStatus.MARKET_REVIEW, _l("市场预审中")),
    (NeedStatus.DRAFT, _l("草稿")),
    (NeedStatus.SUBMITTED, _l("待甄别")),
    (NeedStatus.RETURNED, _l("退回修改")),
    (NeedStatus.PUBLISHED, _l("已发布")),
    (NeedStatus.BIDDING_CLOSED, _l("揭榜已截止")),
    (NeedStatus.IN_REVIEW, _l("评审中")),
    (NeedStatus.FINAL, _l("现场赛")),
    (NeedStatus.AWARDED, _l("已揭榜")),
    (NeedStatus.FAILED, _l("流榜")),
    (NeedStatus.REJECTED, _l("未通过")),
    (NeedStatus.WITHDRAWN, _l("已撤回")),
    (BidStatus.DRAFT, _l("草稿")),
    (BidStatus.SUBMITTED, _l("已提交")),
    (BidStatus.WITHDRAWN, _l("已撤回")),
    (BidStatus.FINALIST, _l("入围")),
    (BidStatus.WINNER, _l("挑战第一名")),
    (BidStatus.NOT_SELECTED, _l("未入选")),
    (ReviewDecision.APPROVE, _l("通过并发布")),
    (ReviewDecision.RETURN, _l("退回修改")),
    (ReviewDecision.REJECT, _l("不予通过")),
    (OrgKind.ENTERPRISE, _l("企业")),
    (OrgKind.UNIVERSITY, _l("高校")),
    (OrgKind.INSTITUTE, _l("科研院所")),
    (OrgKind.MEDICAL, _l("医疗卫生机构")),
    (OrgKind.SOCIAL, _l("社会组织")),
    (OrgKind.OTHER, _l("其他")),
    (NeedCategory.INDUSTRY_COMMON, _l("行业重大关键共性")),
    (NeedCategory.REGIONAL_COMMON, _l("区域产业关键共性")),
    (NeedCategory.FIRM_SPECIFIC, _l("企业个性化")),
    (NeedField.ELECTRONIC_INFO, _l("电子信息")),
    (NeedField.MECHATRONICS, _l("光机电一体化")),
    (NeedField.BIOTECH_PHARMA, _l("生物技术与制药")),
    (NeedField.NEW_MATERIALS, _l("新材料及应用")),
    (NeedField.MODERN_AGRICULTURE, _l("现代农业")),
    (NeedField.NEW_ENERGY, _l("新能源与高效节能")),
    (NeedField.RESOURCES_ENVIRONMENT, _l("资源与环境")),
    (NeedField.HIGH_TECH_SERVICES, _l("高技术服务业")),
    (NeedField.MARINE, _l("海洋")),
    (NeedField.PUBLIC_AFFAIRS, _l("社会公共事业")),
    (NeedField.HEALTHCARE, _l("医疗卫生")),
    (NeedField.OTHER, _l("其他")),
    (CooperationMode.INDEPENDENT, _l("独立研发")),
    (CooperationMode.COMMISSIONED, _l("委托研发")),
    (CooperationMode.JOINT, _l("合作研发")),
    (CooperationMode.OTHER, _l("其他")),
    (ContractStatus.DRAFT, _l("草稿")),
    (ContractStatus.ISSUED, _l("已出具")),
    (ContractStatus.SIGNED, _l("已签订")),
    (ContractStatus.VOID, _l("已作废")),
    (ContractType.COMMISSIONED, _l("技术开发（委托）合同")),
    (ContractType.JOINT, _l("技术开发（合作）合同")),
    (IpOwnership.DEVELOPER, _l("归乙方所有，甲方可免费实施")),
    (IpOwnership.CLIENT, _l("归甲方所有")),
    (IpOwnership.JOINT, _l("双方共有")),
    (DisputeResolution.ARBITRATION, _l("提交仲裁委员会仲裁")),
    (DisputeResolution.COURT, _l("向人民法院起诉")),
]

# Bootstrap colour of each status badge.
_BADGE_COLOURS: list[tuple[Enum, object]] = [
    (SheetStatus.DRAFT, "warning"),
    (SheetStatus.SUBMITTED, "success"),
    (AssignmentStatus.ASSIGNED, "primary"),
    (AssignmentStatus.RECUSED, "secondary"),
    (NeedStatus.DRAFT, "secondary"),
    (NeedStatus.MARKET_REVIEW, "info"),
    (NeedStatus.SUBMITTED, "info"),
    (CreditStatus.PENDING, "warning"),
    (CreditStatus.CONFIRMED, "success"),
    (CreditStatus.DECLINED, "secondary"),
    (NeedStatus.RETURNED, "warning"),
    (NeedStatus.PUBLISHED, "success"),
    (NeedStatus.BIDDING_CLOSED, "dark"),
    (NeedStatus.IN_REVIEW, "primary"),
    (NeedStatus.FINAL, "primary"),
    (NeedStatus.AWARDED, "success"),
    (NeedStatus.FAILED, "danger"),
    (NeedStatus.REJECTED, "danger"),
    (NeedStatus.WITHDRAWN, "secondary"),
    (BidStatus.DRAFT, "secondary"),
    (BidStatus.SUBMITTED, "success"),
    (BidStatus.WITHDRAWN, "secondary"),
    (BidStatus.FINALIST, "primary"),
    (BidStatus.WINNER, "success"),
    (BidStatus.NOT_SELECTED, "dark"),
    (ContractStatus.DRAFT, "secondary"),
    (ContractStatus.ISSUED, "primary"),
    (ContractStatus.SIGNED, "success"),
    (ContractStatus.VOID, "dark"),
    (Undisclosed.RESULTS_PENDING, "primary"),
    (ObjectionStatus.PENDING, "warning"),
    (ObjectionStatus.UPHELD, "danger"),
    (ObjectionStatus.REJECTED, "secondary"),
]


# String enums of different classes compare equal when their values do (NeedStatus.SUBMITTED ==
# BidStatus.SUBMITTED), so the tables are keyed by (class, value).
LABELS = {(type(m), m.value): text for m, text in _LABELS}
BADGE_COLOURS = {(type(m), m.value): colour for m, colour in _BADGE_COLOURS}


def label(member: Enum) -> str:
    """The translated label of an enum member."""
    return str(LABELS.get((type(member), member.value), member.value))


def badge_colour(member: Enum) -> str:
    return BADGE_COLOURS.get((type(member), member.value), "secondary")


def choices(enum_cls: type[Enum]) -> list[SelectChoice]:
    """The options of a SelectField for an enum, labelled in the user's language."""
    return [SelectChoice(m.value, LABELS[(enum_cls, m.value)]) for m in enum_cls]
