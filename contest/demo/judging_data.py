"""How CIC8-NB was judged in 2024: judges' profiles, the quality of each bid, the calendar of each step.

GRADES gives each bid (need key, team) the total its judges aim at online and on site (None: the bid is not
expected to reach the final). Judges' points scatter around these totals (scores.py), so the ranking below
emerges from the real aggregation: 18 needs awarded; `lnp` fails online (no bid reaches 60), `port_video`
is declined by its firm, and the needs without a bid fail when the online review opens.
"""
from __future__ import annotations

from datetime import timedelta

from ..domain.choices import NeedField as F
from .editions_data import bj

EI, ME, BP, NM, AG = F.ELECTRONIC_INFO, F.MECHATRONICS, F.BIOTECH_PHARMA, F.NEW_MATERIALS, F.MODERN_AGRICULTURE
NE, RE, HT, MA, PA, HC = (F.NEW_ENERGY, F.RESOURCES_ENVIRONMENT, F.HIGH_TECH_SERVICES, F.MARINE,
                          F.PUBLIC_AFFAIRS, F.HEALTHCARE)

# username -> (expertise fields, organizations (orgs_data keys) the judge declared a conflict with).
# Every field of a CIC8 need has at least five judges.
JUDGE_PROFILES: dict[str, tuple[tuple[F, ...], tuple[str, ...]]] = {
    "judge1": ((ME, EI, HT, NM, NE), ()),
    "judge2": ((BP, RE, AG, HC, NM), ()),
    "judge3": ((EI, ME, MA, PA, HT), ()),
    "judge4": ((NM, NE, RE, HC, MA), ()),
    "judge5": ((HC, BP, PA), ()),
    "judge6": ((AG, MA, BP, RE), ("zwu",)),         # adjunct supervisor at 浙江万里学院
    "judge7": ((EI, HT, PA, ME, NE), ("yongzhi",)),  # former technical director of the firm
    "judge8": ((ME, EI, NM, NE, AG, MA), ()),
    "judge9": ((MA, AG, RE, HT, PA), ()),
    "judge10": ((EI, ME, NE, HT, AG), ()),
    "judge11": ((RE, NM, NE, BP, HC), ("unnc",)),    # joint project with 宁波诺丁汉大学
    "judge12": ((HC, BP, EI, PA), ()),
}

# (need key, team username) -> (online target, on-site target or None).
GRADES: dict[tuple[str, str], tuple[int, int | None]] = {
    ("conformal", "team1"): (84, 86),
    ("tea_sort", "team1"): (80, 78), ("tea_sort", "team6"): (86, 88),
    ("brake", "team1"): (75, 76), ("brake", "team4"): (88, 90), ("brake", "team8"): (52, None),
    ("magnet", "team2"): (89, 91), ("magnet", "team7"): (83, 81),
    ("separator", "team2"): (81, 79), ("separator", "team5"): (55, None), ("separator", "team7"): (86, 89),
    ("ro_membrane", "team2"): (84, 86), ("ro_membrane", "team3"): (80, 77),
    ("sodium", "team2"): (84, 82), ("sodium", "team7"): (87, 90),
    ("coating", "team2"): (86, 88), ("coating", "team7"): (78, 77),
    ("brine", "team3"): (85, 88), ("brine", "team5"): (79, 76),
    ("antibody", "team3"): (82, 80), ("antibody", "team5"): (86, 89),
    ("leak", "team3"): (77, 78), ("leak", "team8"): (85, 87),
    ("cage", "team3"): (80, 87), ("cage", "team6"): (83, 79),   # team6 leads online, team3 wins on site
    ("steering", "team4"): (81, 84),
    ("port_dispatch", "team4"): (88, 90), ("port_dispatch", "team8"): (79, 76),
    ("port_video", "team4"): (72, 70),
    ("storage_bms", "team4"): (79, 78), ("storage_bms", "team7"): (86, 88),
    ("lnp", "team5"): (51, None),
    ("fish_fresh", "team5"): (76, 75), ("fish_fresh", "team6"): (84, 86),
    ("tea_pest", "team6"): (80, 82),
    ("ecg", "team8"): (79, 83),
}

# The firm of this need declines its first-ranked finalist, with this reason.
DECLINED = ("port_video", "现场演示中，入围方案在5G专网单链路条件下端到端时延约110ms，未达到需求中80ms的安全操控要求；"
                          "经公司技术委员会研究，本次不予确认，拟调整技术指标后在下一届重新发榜。")

# One judge steps back from one bid after the automatic assignment; the bid is reassigned.
RECUSAL = ("judge9", "本人近两年与该挑战报告所涉团队的成员单位有科研合作，为保证评审公正，申请回避。")
# The organizer reopens one submitted online sheet whose first criterion was mistyped; the judge resubmits.
REOPENING = ("judge5", "“{criterion}”一项仅 {points} 分，与评语明显不符，疑为录入错误，请专家核对后重新提交。")

# The calendar of the judging (naive UTC).
PROFILES_AT = bj(2024, 7, 1, 10)
REVIEW_OPENED_AT = bj(2024, 7, 8, 9)
ASSIGNED_AT = bj(2024, 7, 8, 9, 30)
ONLINE_FIRST_DAY = bj(2024, 7, 9, 9)
ONLINE_DAYS = 15
FINALISTS_AT = bj(2024, 7, 29, 10)
PANELS_AT = bj(2024, 8, 20, 15)
FINAL_DAY = bj(2024, 9, 10, 8, 30)
CONFIRM_FIRST = bj(2024, 9, 11, 10)
RESULTS_AT = bj(2024, 9, 20, 10)
STEP = timedelta(minutes=1)

ONLINE_COMMENTS = {
    85: ("技术路线先进，创新点突出，与需求指标匹配度高，团队前期基础扎实，建议入围现场赛。",
         "方案完整，关键指标均有前期试验数据支撑，研发计划与交付物清晰，报价合理。",
         "团队在该方向积累深厚，技术方案切中企业痛点，产业化路径明确。"),
    75: ("方案总体可行，技术路线清晰；部分关键指标的实现路径论证不够充分，建议补充中试验证计划。",
         "创新性较好，但产业化环节考虑不足，经费测算可进一步细化。",
         "团队基础较好，方案基本回应需求；建议明确各阶段验收指标和风险应对措施。"),
    60: ("方案可行但创新性一般，部分指标低于需求要求，需要进一步论证。",
         "技术路线较常规，团队在该领域的工程化经验有限，交付计划偏乐观。"),
    0: ("方案与需求匹配度不高，关键指标缺乏支撑数据，技术路线存在较大不确定性。",
        "技术方案偏重基础研究，距企业现场应用差距较大，研发计划不够具体。"),
}
ONSITE_COMMENTS = {
    85: ("现场陈述清楚，答辩回答到位，中试与样机数据有说服力。",
         "技术路线可信，答辩中对企业关切的量产和稳定性问题回应具体。"),
    75: ("陈述较完整，个别技术细节回答不够深入，建议加强与企业的联合验证。",
         "方案基本可行，现场答辩对进度风险的应对考虑不足。"),
    0: ("现场陈述未能充分说明关键指标的实现路径，答辩中对企业提问回应不足。",),
}
FIRM_COMMENTS = ("方案贴合我司生产实际，团队对现场工况理解深入。",
                 "报价与周期可以接受，希望团队加强驻厂联合攻关。",
                 "技术路线与我司现有产线衔接较好，验收指标清楚。")
