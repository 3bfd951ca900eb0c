"""CIC8-NB's 18 technology development contracts: amounts, schedules and follow-up, by need key.

Amounts are in 万元 as agreed after the results of 2024-09-20 (close to each winner's quote; the five
36-month projects are contracted for their first 24-month phase, the second phase to be signed after its
acceptance). They add up to exactly 7250 万元, the 8th edition's result. Each schedule is a list of
(万元, due date, the deliverable or acceptance that triggers it); `paid` lists the instalments received
(seq, date), `accepted` the milestones accepted (seq, date, what was accepted). Dates are Beijing dates.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..domain.contracts import IpOwnership

DEV, CLIENT, JOINT = IpOwnership.DEVELOPER, IpOwnership.CLIENT, IpOwnership.JOINT
TOTAL_WAN = Decimal("7250")
# The first phase of a 36-month project ends here; its contract runs until its last payment.
PHASE_ONE_END = date(2026, 10, 31)


def d(text: str) -> date:
    return date.fromisoformat(text)


def _c(amount, signed, schedule, *, materials, ip=DEV, court=False, years=3, copies=4, phase="", method=0,
       service=12, paid=(), accepted=()):
    return dict(amount=Decimal(amount), signed=d(signed), materials=materials, ip=ip, court=court, years=years,
                copies=copies, phase=phase, method=method, service=service,
                schedule=[(Decimal(wan), d(due), condition) for wan, due, condition in schedule],
                paid=[(seq, d(day)) for seq, day in paid],
                accepted=[(seq, d(day), text) for seq, day, text in accepted])


ADVANCE = "本合同签订生效，乙方提交详细研究开发计划并经甲方确认（预付款）"
FINAL = "提交全部技术资料，通过甲方组织的结题验收"
PHASE_FINAL = "提交第一阶段全部技术资料，通过甲方组织的第一阶段结题验收"

CONTRACTS: dict[str, dict] = {
    "conformal": _c("405", "2024-10-24", [
        ("121.5", "2024-11-30", ADVANCE),
        ("162", "2025-09-30", "随形冷却流道设计与仿真报告通过评审，镶件样件致密度、硬度及结合区强度检测合格（样件通过验收）"),
        ("121.5", "2026-12-31", "在甲方6000吨级压铸模具上完成应用验证，热节降温与模具寿命指标达标，" + FINAL)],
        materials="提供6000吨级一体化压铸后地板模具的三维模型、模流分析报告及近一年热裂失效记录；提供压铸生产线用于"
                  "镶件装模试验，安排模具工程师2名全程配合；承担试验用铝合金材料及试模能耗。",
        ip=JOINT, method=1, paid=((1, "2024-11-26"), (2, "2025-08-29")),
        accepted=((2, "2025-08-15", "随形冷却镶件样件通过验收：致密度99.92%，硬度HRC48，结合区强度为基体的93%"),)),
    "magnet": _c("560", "2024-10-29", [
        ("168", "2024-11-30", ADVANCE),
        ("168", "2025-07-31", "低熔点扩散源配方与涂覆工艺确定，小试磁体矫顽力提升不低于8kOe（小试验收）"),
        ("224", "2026-12-31", "在甲方连续式真空扩散炉完成中试，8mm磁体各项指标达标，" + PHASE_FINAL)],
        materials="提供N52、N48H等牌号烧结钕铁硼毛坯及现行晶界扩散工艺参数；开放连续式真空扩散炉与磁性能检测设备"
                  "用于中试；指派工艺工程师配合试验。",
        ip=JOINT, years=5, copies=6, phase="低熔点扩散源开发、小试和连续式真空炉中试放大",
        method=1, paid=((1, "2024-11-28"), (2, "2025-07-25")),
        accepted=((2, "2025-07-10", "小试验收：8mm磁体矫顽力提升9.3kOe，剩磁下降0.12kG，Tb用量0.43wt%"),)),
    "separator": _c("540", "2024-10-25", [
        ("162", "2024-11-30", ADVANCE),
        ("216", "2025-10-31", "芳纶纳米纤维浆料制备与涂覆中试线建成，中试产品热收缩、透气度等指标通过甲方检测（中试验收）"),
        ("162", "2026-12-31", "涂覆隔膜通过下游电芯客户验证，" + FINAL)],
        materials="提供PE基膜及现用勃姆石涂覆浆料配方、涂布机工艺参数；在镇海基地提供中试涂布线场地、水电及操作人员；"
                  "提供下游电芯客户的技术规格书。",
        ip=CLIENT, years=5, copies=5, method=2, service=24, paid=((1, "2024-11-20"), (2, "2025-09-26")),
        accepted=((2, "2025-09-12", "中试验收：线速度86m/min，180℃/1h热收缩2.1%，面密度偏差±2.2%"),)),
    "antibody": _c("445", "2024-11-12", [
        ("133.5", "2024-12-31", ADVANCE),
        ("178", "2025-12-31", "连续层析工艺在200L规模完成3批工艺验证，收率与杂质去除指标达标（中试验收）"),
        ("133.5", "2026-12-31", "工艺转移至甲方GMP车间并完成工艺验证批，" + FINAL)],
        materials="提供两株在研单抗的细胞培养收获液（每批不少于200L）及现行纯化工艺规程、质量标准；开放GMP中试车间的"
                  "层析系统和分析检测平台；派驻工艺人员2名。",
        ip=CLIENT, years=5, copies=6, method=1, paid=((1, "2024-12-20"),)),
    "port_dispatch": _c("700", "2024-10-31", [
        ("210", "2024-12-15", ADVANCE),
        ("210", "2025-10-31", "多设备协同调度算法原型与数字孪生仿真平台完成，仿真测试结果通过甲方评审（阶段验收）"),
        ("140", "2026-06-30", "调度系统在甲方自动化码头1个泊位完成上线试运行，作业效率指标达标（试运行验收）"),
        ("140", "2026-12-31", PHASE_FINAL)],
        materials="提供码头岸桥、自动导引车、场桥的设备参数及近12个月作业日志（脱敏）；提供码头作业管理系统接口文档和"
                  "测试环境；安排1个泊位用于上线试运行，并组织生产调度人员配合。",
        ip=CLIENT, years=5, copies=6, phase="多设备协同调度算法、数字孪生仿真平台和1个泊位的上线试运行",
        service=24, paid=((1, "2024-12-10"), (2, "2025-10-24")),
        accepted=((2, "2025-10-16", "阶段验收：调度算法原型与数字孪生仿真平台通过评审，仿真单桥作业效率提升12.6%"),)),
    "tea_sort": _c("116", "2024-10-22", [
        ("46.4", "2024-11-15", ADVANCE),
        ("46.4", "2025-06-30", "色选分级样机在甲方茶厂完成春茶季试运行，剔除率与分级一致率达标（样机通过验收）"),
        ("23.2", "2025-12-31", FINAL)],
        materials="提供名优绿茶原料及春茶季加工车间的安装场地、电源；提供历年感官审评记录，安排审评人员配合分级标定；"
                  "承担试运行期间的原料损耗。",
        method=2, service=6, paid=((1, "2024-11-08"), (2, "2025-06-20")),
        accepted=((2, "2025-05-28", "样机验收：春茶季试运行32天，剔除率96.8%，与专家审评一致率91%"),)),
    "tea_pest": _c("55", "2024-10-23", [
        ("27.5", "2024-11-15", ADVANCE),
        ("27.5", "2025-12-31", "监测预警系统在甲方3个茶园基地连续运行满一个茶季，" + FINAL)],
        materials="提供余姚大岚3个茶园基地共约1200亩的监测点位及供电、网络条件；安排植保人员配合虫情调查与防控试验。",
        years=3, copies=4, method=2, service=12, paid=((1, "2024-11-12"), (2, "2025-11-21")),
        accepted=((2, "2025-11-14", "结题验收：虫情识别准确率93%，预警提前3至5天，化学农药用量减少28%"),)),
    "ro_membrane": _c("628", "2024-11-06", [
        ("188.4", "2024-12-31", ADVANCE),
        ("251.2", "2025-12-31", "改性膜片小试完成，8英寸卷式膜元件试制并通过甲方性能检测（样品验收）"),
        ("188.4", "2026-12-31", "膜元件在实海水中试基地运行满6个月，" + PHASE_FINAL)],
        materials="提供现有反渗透膜片及卷式膜元件制备线的工艺参数；开放膜性能测试台与实海水中试基地；承担中试用膜元件"
                  "的材料费用。",
        ip=JOINT, years=4, copies=5, phase="膜片改性、卷式膜元件试制和6个月实海水中试", method=1,
        paid=((1, "2025-01-16"),)),
    "brine": _c("472", "2024-11-18", [
        ("141.6", "2025-01-31", ADVANCE),
        ("188.8", "2025-12-31", "纳滤分盐与蒸发结晶中试装置连续运行1000小时，产品盐纯度达标（中试验收）"),
        ("141.6", "2026-12-31", FINAL)],
        materials="提供化工园区高盐废水的水质检测数据及水样；在污水处理站内提供中试装置安装场地、蒸汽与电力；"
                  "安排运行人员参加中试。",
        years=4, copies=5, method=2),
    "brake": _c("660", "2024-11-01", [
        ("198", "2024-12-15", ADVANCE),
        ("231", "2025-11-30", "冗余制动控制器A样件完成台架试验，故障检出率与冗余接管时间达标（样机通过验收）"),
        ("231", "2026-12-31", "完成冬季与夏季整车道路试验，" + PHASE_FINAL)],
        materials="提供线控制动系统总成图纸、控制器接口协议及现有台架；提供2台试验车辆用于整车道路试验，承担试验场地"
                  "和车辆改装费用。",
        ip=JOINT, years=5, copies=6, phase="冗余制动控制器A样件开发、台架试验和冬夏季整车道路试验",
        paid=((1, "2024-12-12"), (2, "2025-11-20")),
        accepted=((2, "2025-11-06", "A样件台架验收：故障检出率99.3%，诊断时间16ms，冗余接管时间132ms"),)),
    "steering": _c("598", "2024-11-01", [
        ("179.4", "2024-12-15", ADVANCE),
        ("119.6", "2025-06-30", "路感模拟算法与故障诊断模型完成硬件在环测试（阶段验收）"),
        ("179.4", "2026-06-30", "线控转向系统完成整车标定与道路试验（样车验收）"),
        ("119.6", "2026-12-31", FINAL)],
        materials="提供线控转向样件、转向系统模型及整车参数；开放硬件在环台架和试验车辆；指派转向系统工程师配合联调。",
        ip=JOINT, years=5, copies=6, paid=((1, "2024-12-13"),)),
    "storage_bms": _c("456", "2024-11-20", [
        ("136.8", "2024-12-31", ADVANCE),
        ("182.4", "2025-12-31", "均衡管理与热失控预警样机在甲方试点储能站投运满3个月（样机通过验收）"),
        ("136.8", "2026-12-31", FINAL)],
        materials="提供储能电池簇样品、BMS硬件平台及既有运行数据；提供奉化滨海新区1座工商业储能站用于试点运行；"
                  "承担试点站改造费用。",
        ip=CLIENT, years=4, copies=5, method=2),
    "sodium": _c("590", "2024-11-22", [
        ("118", "2024-12-31", ADVANCE),
        ("177", "2025-12-31", "正极材料配方定型，百公斤级中试批次比容量与空气稳定性达标（中试验收）"),
        ("177", "2026-06-30", "中试材料完成电芯试制与循环测试（电芯验证）"),
        ("118", "2026-12-31", PHASE_FINAL)],
        materials="提供层状氧化物正极前驱体样品及现有烧结窑炉参数；开放百公斤级中试线和电芯试制线；承担中试原材料费用。",
        ip=JOINT, years=5, copies=5, phase="正极材料配方定型、百公斤级中试和电芯验证", method=1),
    "cage": _c("198", "2024-11-15", [
        ("79.2", "2024-12-31", ADVANCE),
        ("59.4", "2025-12-31", "智能投喂与水质监测系统在深远海网箱完成一个养殖季运行（运行验收）"),
        ("59.4", "2026-12-31", FINAL)],
        materials="提供象山石浦海域深远海养殖网箱1组及工作船，承担海上作业的船舶与人工费用；提供近3年投喂与水质记录。",
        court=True, years=3, copies=4, method=2, paid=((1, "2024-12-27"),)),
    "fish_fresh": _c("85", "2024-11-26", [
        ("42.5", "2024-12-31", ADVANCE),
        ("42.5", "2025-12-31", "船上保鲜装置与快速无损检测仪完成2个航次海上试验，" + FINAL)],
        materials="提供2艘远洋渔船用于船上保鲜试验，提供渔获物样品及现行冰鲜工艺记录；安排质检人员配合品质检测。",
        years=3, copies=4, method=2, service=6),
    "leak": _c("318", "2024-11-28", [
        ("95.4", "2025-01-15", ADVANCE),
        ("127.2", "2025-12-31", "漏损识别与定位系统在试点DMA分区上线运行满3个月，定位精度达标（试点验收）"),
        ("95.4", "2026-12-31", FINAL)],
        materials="提供试点区域供水管网GIS数据、压力与流量监测数据及历史漏损工单（脱敏）；开放SCADA系统只读接口，"
                  "安排1个DMA分区用于试点。",
        ip=CLIENT, court=True, years=4, copies=4, method=2),
    "ecg": _c("282", "2024-11-19", [
        ("84.6", "2024-12-31", ADVANCE),
        ("112.8", "2025-12-31", "动态心电AI辅助诊断软件与记录仪样机完成性能测试（样机通过验收）"),
        ("84.6", "2026-12-31", "产品通过注册检验，" + FINAL)],
        materials="提供现有动态心电记录仪硬件平台及产品技术要求；协调合作医院提供经伦理审查的脱敏心电数据；承担注册检验费用。",
        ip=CLIENT, years=5, copies=5, method=1, paid=((1, "2025-01-08"),)),
    "coating": _c("142", "2024-11-27", [
        ("56.8", "2024-12-31", ADVANCE),
        ("56.8", "2025-08-31", "涂层导管样品通过细胞毒性、致敏、刺激等生物学评价（样品验收）"),
        ("28.4", "2025-12-31", FINAL)],
        materials="提供一次性导尿管、导引导管等基材样品及现行涂覆工艺；开放洁净车间浸涂设备用于工艺验证；承担生物学评价"
                  "检测费用。",
        years=4, copies=4, method=1, service=6),
}

# One contract is corrected: issued, voided at the developer's request, reissued as -V2 and then signed.
CORRECTION = dict(
    key="antibody", first_sign=d("2024-10-30"), voided_on=d("2024-11-04"), reissued_on=d("2024-11-08"),
    reason="乙方财务处来函：本项目经费须汇入学校科研经费专用账户，原合同第五条所列为基本存款账户。"
           "作废原合同，按更正后的开户银行和账号重新出具。",
    party_b={"bank_name": "中国银行宁波江北支行", "bank_account": "388858330176"},
)

ACCEPTANCE_METHODS = (
    "由甲方组织不少于5名同行专家组成验收专家组，进行现场测试和会议评审，形成书面验收意见；阶段验收由双方项目联系人"
    "共同组织。",
    "关键指标委托具有CMA资质的第三方检测机构按验收标准检测，由甲方组织专家会议验收并出具验收意见。",
    "在甲方生产现场连续运行考核，由甲乙双方共同确认运行数据并签署验收报告；必要时邀请行业专家参加。",
)
IP_DETAILS = {
    DEV: "乙方在本合同签订前已拥有的背景知识产权仍归乙方所有，甲方在本项目成果的实施范围内可免费使用。乙方发表与本"
         "项目有关的论文，应事先征得甲方书面同意，且不得披露甲方的技术秘密。",
    CLIENT: "本项目形成的专利申请权、软件著作权和技术秘密归甲方所有，乙方完成人员享有署名权。乙方背景知识产权仍归乙方"
            "所有，甲方在本项目成果范围内可免费使用。",
    JOINT: "本项目形成的专利由双方共同申请、共同所有；甲方在自身生产经营中实施无需向乙方支付费用；任何一方许可第三人"
           "实施的，须经另一方书面同意，收益按甲方60%、乙方40%分配。乙方背景知识产权仍归乙方所有。",
}
FUNDS_USE = ("乙方专款专用、单独核算，研究开发经费主要用于材料费、测试化验加工费、专用设备与样机试制费、差旅费、劳务费"
             "和专家咨询费；间接费用按乙方单位规定执行。乙方每半年向甲方书面报告一次研究开发进展和经费使用情况。")
RISK_TERMS = ("因技术风险导致研究开发失败或部分失败的，经双方共同认定后，乙方已合理支出的研究开发经费由甲方承担，"
              "未支出部分退还甲方；双方其他损失各自承担。")
BREACH_TERMS = ("甲方逾期支付研究开发经费的，每逾期一日按应付未付金额的万分之五向乙方支付违约金；乙方无正当理由逾期交付"
                "研究开发成果的，每逾期一日按合同总额的万分之五向甲方支付违约金，逾期超过90日的，甲方有权解除合同并要求"
                "退还未使用的经费。违约金总额以合同总额的10%为限。")
FOLLOW_UP = "双方同意将本合同的阶段验收与经费到账情况报送第八届中国创新挑战赛（宁波）组织方，用于揭榜项目跟踪服务。"


def after_sales(months: int) -> str:
    return (f"结题验收后{months}个月内，乙方免费为甲方指定的技术人员提供操作培训和技术指导，并提供远程技术支持；"
            "甲方提出现场服务需求的，乙方应在48小时内响应。")


def phase_terms(scope: str) -> str:
    """第二十七条 for a 36-month project contracted in two phases."""
    return (f"本项目按挑战报告的36个月研发计划分两个阶段实施。本合同为第一阶段（24个月），完成{scope}；"
            "第二阶段的研究开发内容和经费，在第一阶段结题验收合格后由双方另行签订合同。" + FOLLOW_UP)


def check_data() -> None:
    """The demo's figures hold: 18 different amounts adding up to 7250 万元, each schedule summing to its total."""
    amounts = [item["amount"] for item in CONTRACTS.values()]
    if len(amounts) != 18 or len(set(amounts)) != 18 or sum(amounts) != TOTAL_WAN:
        raise ValueError(f"演示合同数据有误：{len(amounts)} 份，合计 {sum(amounts)} 万元（应为 18 份、{TOTAL_WAN} 万元）")
    for key, item in CONTRACTS.items():
        if sum(wan for wan, _due, _c in item["schedule"]) != item["amount"]:
            raise ValueError(f"演示合同 {key} 的各期付款之和不等于合同总额")
