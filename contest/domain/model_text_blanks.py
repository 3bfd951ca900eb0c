"""The blanks of the MOST model texts that are not Contract columns, as one declarative table (CLAUSES), by key;
what is done with them is contest.domain.contract_clauses.

The labels are marked for translation (N_) and translated where the organizer's form shows them; the contract
itself is Chinese only.
"""
from __future__ import annotations

from dataclasses import dataclass

from .contracts import ContractType
from .refusals.marker import N_

C, J = ContractType.COMMISSIONED, ContractType.JOINT
TEXT_MAX = 2000     # a multi-line clause, in characters
LINE_MAX = 200      # a one-line clause
DAYS_MIN, DAYS_MAX = 1, 365
KINDS = frozenset({"text", "line", "days", "party", "choice", "percent"})
NONE, SLASH = "无", "／"

# "party" clauses name one side or both: 归＿（甲、乙、双）方所有.
PARTY_CHOICES = (("a", N_("甲方")), ("b", N_("乙方")), ("both", N_("双方")))
PARTY_WORDS = {"a": "甲方", "b": "乙方", "both": "双方"}


@dataclass(frozen=True)
class Clause:
    """One blank of the model texts.

    kind: "text" (several lines; a list of items when the model text numbers them), "line" (one line), "days" (a
    whole number of days, 1–365), "percent" (0–100), "party" (甲方/乙方/双方, PARTY_CHOICES) or "choice" (one of
    `choices`). where: the article that holds the blank in each model text that has it (its keys are the types).
    default: what a new draft gets ("" prints the blank mark); joint_default: the 合作 text's, when it differs.
    blank: the mark printed when the parties leave it empty ("无", or "／" for a number or an option).
    """

    key: str
    where: tuple[tuple[ContractType, str], ...]
    label: object
    kind: str
    default: object = ""
    blank: str = NONE
    joint_default: object = None
    choices: tuple[tuple[str, object], ...] = ()

    @property
    def types(self) -> frozenset[ContractType]:
        return frozenset(kind for kind, _article in self.where)

    @property
    def article(self) -> str:
        """The article in the first model text that has the blank (委托 when both do)."""
        return self.where[0][1]

    def article_in(self, contract_type: ContractType) -> str:
        return dict(self.where)[ContractType(contract_type)]

    @property
    def options(self) -> tuple[tuple[str, object], ...]:
        """The (value, label) pairs of a "party" or "choice" clause."""
        return PARTY_CHOICES if self.kind == "party" else self.choices

    def default_for(self, contract_type: ContractType) -> object:
        if ContractType(contract_type) == J and self.joint_default is not None:
            return self.joint_default
        return self.default


def _both(commissioned: str, joint: str) -> tuple[tuple[ContractType, str], ...]:
    return (C, commissioned), (J, joint)


# 第十五条 (委托) / 第十八条 (合作): 按下列第＿种方式处理 — 1. 申请专利, 2. 技术秘密, or both.
IP_WAYS = (("1、2", N_("第1、2种（可申请专利的申请专利，其余按技术秘密处理）")), ("1", N_("第1种（申请专利）")),
           ("2", N_("第2种（按技术秘密处理）")))

# In the order of the articles of each model text (of_type() keeps it); where the two texts share a blank, its
# article in each is given, the 合作 text numbering its own.
CLAUSES: tuple[Clause, ...] = (
    # 合作: 第二条 to 第四条 — each party's investment, its share of the total, and its part of the work.
    Clause("joint_a_invest", ((J, "第二条"),), N_("甲方投资的方式和内容"), "text",
           "以货币资金投资，即本条约定的研究开发经费，由甲方按约定支付乙方，专项用于本合同项目的研究开发工作；"
           "并投入本合同第七条约定的技术资料和工作条件"),
    Clause("joint_a_share", ((J, "第二条"),), N_("甲方投资占总投资的比例（%）"), "percent", 70, SLASH),
    Clause("joint_b_invest", ((J, "第三条"),), N_("乙方投资的方式和内容"), "text",
           "以乙方研究开发团队的技术（含已有的背景技术和技术秘密）、研究开发人员的劳动以及实验室、仪器设备等"
           "研究开发条件投入本合同项目"),
    Clause("joint_b_share", ((J, "第三条"),), N_("乙方投资占总投资的比例（%）"), "percent", 30, SLASH),
    Clause("joint_a_work", ((J, "第四条"),), N_("甲方承担的研究开发工作"), "text",
           "提出技术需求和技术指标，提供样品、试验场地和生产条件，参与技术方案论证，负责中试、现场验证和应用"),
    Clause("joint_b_work", ((J, "第四条"),), N_("乙方承担的研究开发工作"), "text",
           "负责技术方案设计和关键技术攻关，完成样机（样品）研制、测试和技术文件编制，指导甲方进行中试和现场验证"),
    # 委托 第二条 / 合作 第五条: the plan is due so many days after the contract takes effect.
    Clause("plan_days", _both("第二条", "第五条"), N_("研究开发计划期限（合同生效后天数）"), "days", 30, SLASH),
    # 委托 第四条 / 合作 第七条: the firm's materials (item 1 is the firm_materials column).
    Clause("materials_delivery", _both("第四条", "第七条"), N_("技术资料的提供时间和方式"), "line",
           "本合同生效后15日内，以书面文件和电子文档方式提供"),
    Clause("cooperation_items", _both("第四条", "第七条"), N_("其他协作事项"), "text",
           "甲方为样品试制、现场试验和验证提供必要的场地、样品、生产条件和技术人员配合"),
    Clause("materials_after", _both("第四条", "第七条"), N_("合同履行完毕后技术资料的处理"), "line",
           "乙方将技术资料原件退还甲方，复制件予以销毁"),
    # 合作 第八条: how the joint work is organized and coordinated.
    Clause("joint_coordination", ((J, "第八条"),), N_("研究开发工作的组织管理和协调方式"), "text",
           "双方各指定一名项目负责人，组成项目协调小组；协调小组每季度至少召开一次会议，检查研究开发进度，协调解决"
           "研究开发中的问题，并形成经双方项目负责人签字确认的书面纪要"),
    # 委托 第五条 3: only when the firm pays by a royalty on the results.
    Clause("royalty_audit", ((C, "第五条"),), N_("以提成支付时查阅会计账目的方式"), "line", "", SLASH),
    # 委托 第六条 / 合作 第九条
    Clause("funds_inspection", _both("第六条", "第九条"), N_("甲方检查经费使用情况的方式"), "line",
           "查阅乙方提交的进度报告和经费使用明细，并进行现场检查"),
    # 委托 第七条 / 合作 第十条: changes — the grounds (items) and the days to answer.
    Clause("change_grounds", _both("第七条", "第十条"), N_("可以请求变更合同的情形（每行一项）"), "text",
           "因国家政策或法律法规调整，致使本合同部分内容无法履行\n"
           "因技术风险或不可抗力，确需调整研究开发内容或进度\n"
           "甲方的技术需求发生变化，需要相应调整技术目标或技术内容"),
    Clause("change_reply_days", _both("第七条", "第十条"), N_("答复变更请求的期限（天）"), "days", 15, SLASH),
    # 委托 第八条 / 合作 第十一条: passing work to a third party without consent.
    Clause("subcontract_cases", _both("第八条", "第十一条"), N_("可以不经同意转让研究开发工作的情况（每行一项）"), "text",
           "研究开发中需要的检测、测试和分析，须由具备相应资质的第三方机构承担"),
    Clause("subcontract_scope", _both("第八条", "第十一条"), N_("可以转让的研究开发工作的具体内容"), "line",
           "样品检测、性能测试和材料分析等辅助性工作，不包括本合同的核心研究开发工作"),
    # 委托 第九条 / 合作 第十二条: technical risk (the sharing itself is the risk_terms column).
    Clause("risk_assessment", _both("第九条", "第十二条"), N_("技术风险的认定方式"), "line",
           "由双方共同邀请三名以上同行专家组成专家组论证"),
    Clause("risk_notice_days", _both("第九条", "第十二条"), N_("发现技术风险后通知对方的期限（天）"), "days", 7, SLASH),
    # 委托 第十条 / 合作 第十三条
    Clause("disclosure_notice_days", _both("第十条", "第十三条"), N_("发现技术已被公开后通知对方的期限（天）"), "days", 7,
           SLASH),
    # 委托 第十一条 / 合作 第十四条: each party's duty of confidentiality (保密期限 is the confidentiality_years column).
    Clause("secret_a_content", _both("第十一条", "第十四条"), N_("甲方的保密内容"), "text",
           "因履行本合同而知悉的乙方技术信息和经营信息，包括乙方的背景技术、研究开发成果及相关技术资料"),
    Clause("secret_a_people", _both("第十一条", "第十四条"), N_("甲方的涉密人员范围"), "line",
           "甲方参与本合同项目及接触上述信息的人员"),
    Clause("secret_a_liability", _both("第十一条", "第十四条"), N_("甲方的泄密责任"), "line",
           "承担违约责任，并赔偿乙方因此遭受的全部损失"),
    Clause("secret_b_content", _both("第十一条", "第十四条"), N_("乙方的保密内容"), "text",
           "因履行本合同而知悉的甲方技术信息和经营信息，包括甲方提供的技术资料、样品、工艺数据和生产经营信息，"
           "以及本合同的研究开发成果"),
    Clause("secret_b_people", _both("第十一条", "第十四条"), N_("乙方的涉密人员范围"), "line",
           "乙方参与本合同项目的研究开发人员及接触上述信息的其他人员"),
    Clause("secret_b_liability", _both("第十一条", "第十四条"), N_("乙方的泄密责任"), "line",
           "承担违约责任，并赔偿甲方因此遭受的全部损失"),
    # 委托 第十二条 / 合作 第十五条: delivery of the results.
    Clause("delivery_form", _both("第十二条", "第十五条"), N_("研究开发成果交付的形式及数量"), "text",
           "研究开发总结报告一份，技术资料（含设计图纸、软件及使用说明）一套，样机（样品）按本合同第一条约定的"
           "技术内容交付"),
    Clause("delivery_time_place", _both("第十二条", "第十五条"), N_("研究开发成果交付的时间及地点"), "line",
           "按本合同约定的研究开发进度，在甲方住所地交付"),
    # 委托 第十四条 / 合作 第十七条: a third party's claim of infringement.
    Clause("infringement", _both("第十四条", "第十七条"), N_("第三人指控侵权时的处理"), "line",
           "负责处理，并承担由此产生的法律责任和另一方因此遭受的损失"),
    # 委托 第十五条 / 合作 第十八条: who may apply for patents is the ip_ownership column; the rest is here.
    Clause("ip_ways", _both("第十五条", "第十八条"), N_("知识产权的处理方式"), "choice", "1、2", SLASH,
           choices=IP_WAYS),
    Clause("ip_patent_benefit", _both("第十五条", "第十八条"), N_("专利权取得后的使用和利益分配"), "text",
           "专利权人可以自行实施该专利；专利权归乙方所有的，甲方可以免费实施该专利；许可第三人实施或者转让专利权的，"
           "须经另一方书面同意，所得收益由双方协商分配",
           joint_default="双方均可以自行实施该专利；许可第三人实施或者转让专利权的，须经另一方书面同意，所得收益按双方"
                         "在本合同项目中的投资比例分配"),
    Clause("secret_use", _both("第十五条", "第十八条"), N_("技术秘密的使用权"), "line", "甲方、乙方均有权使用"),
    Clause("secret_transfer", _both("第十五条", "第十八条"), N_("技术秘密的转让权"), "line",
           "经双方书面同意后方可向第三人转让或者许可他人使用；乙方不得在向甲方交付研究开发成果之前将其转让给第三人",
           joint_default="经双方书面同意后方可向第三人转让或者许可他人使用"),
    Clause("secret_benefit", _both("第十五条", "第十八条"), N_("技术秘密相关利益的分配办法"), "line",
           "转让或者许可他人使用所得收益，由甲方、乙方各得50%",
           joint_default="转让或者许可他人使用所得收益，按双方在本合同项目中的投资比例分配"),
    # 委托 第十八条 / 合作 第二十条: equipment bought with the project's funds.
    Clause("equipment_owner", _both("第十八条", "第二十条"), N_("用研究开发经费购置的设备、器材、资料归属"), "party",
           "b", SLASH),
    # 委托 第十九条: technical service after delivery (item 1 is the after_sales column).
    Clause("service_place", ((C, "第十九条"),), N_("技术服务和指导的地点和方式"), "line",
           "在甲方住所地或双方商定的地点，以现场指导、培训和远程技术支持相结合的方式进行"),
    Clause("service_fee", ((C, "第十九条"),), N_("技术服务和指导的费用及支付方式"), "line",
           "已包含在本合同研究开发经费和报酬总额内，甲方不另行支付"),
    # 委托 第二十一条 / 合作 第二十二条: follow-up improvements by each party.
    Clause("improve_a_owner", _both("第二十一条", "第二十二条"), N_("甲方后续改进成果的归属"), "party", "a", SLASH),
    Clause("improve_a_benefit", _both("第二十一条", "第二十二条"), N_("甲方后续改进的利益分配办法"), "line",
           "相关利益由享有该技术成果的一方独享"),
    Clause("improve_b_owner", _both("第二十一条", "第二十二条"), N_("乙方后续改进成果的归属"), "party", "b", SLASH),
    Clause("improve_b_benefit", _both("第二十一条", "第二十二条"), N_("乙方后续改进的利益分配办法"), "line",
           "相关利益由享有该技术成果的一方独享"),
    # 委托 第二十二条 / 合作 第二十三条: the project contacts' duties.
    Clause("liaison_duties", _both("第二十二条", "第二十三条"), N_("项目联系人的责任（每行一项）"), "text",
           "负责双方在本合同履行中的联络和协调\n"
           "接收和转交与本合同履行有关的通知、资料和研究开发成果\n"
           "组织或参加研究开发进度的检查和研究开发成果的验收"),
    # 委托 第二十三条 / 合作 第二十四条: the second ground of termination.
    Clause("termination_ground", _both("第二十三条", "第二十四条"), N_("可以解除合同的其他情形"), "line",
           "作为研究开发标的的技术已经由他人公开，致使本合同的履行没有意义"),
    # 委托 第二十五条 / 合作 第二十六条: definitions.
    Clause("definitions", _both("第二十五条", "第二十六条"), N_("名词和技术术语的定义（每行一项）"), "text",
           "技术目标：指本合同第一条第1项约定的技术指标\n"
           "研究开发成果：指因履行本合同完成的样机（样品）、软件、设计图纸、技术报告等技术成果\n"
           "技术秘密：指不为公众所知悉、具有商业价值并经权利人采取相应保密措施的技术信息"),
    # 委托 第二十六条 / 合作 第二十七条: the documents that form part of the contract (1 and 6 come from the need
    # and the winning bid).
    Clause("documents_confirm", _both("第二十六条", "第二十七条"), N_("技术文件的确认方式"), "line", "书面签字盖章"),
    Clause("doc_feasibility", _both("第二十六条", "第二十七条"), N_("可行性论证报告"), "line"),
    Clause("doc_evaluation", _both("第二十六条", "第二十七条"), N_("技术评价报告"), "line"),
    Clause("doc_standards", _both("第二十六条", "第二十七条"), N_("技术标准和规范"), "line"),
    Clause("doc_design", _both("第二十六条", "第二十七条"), N_("原始设计和工艺文件"), "line"),
)

BY_KEY: dict[str, Clause] = {clause.key: clause for clause in CLAUSES}
# 合作: the two shares of the total investment, which add up to 100 when both are given.
SHARES = ("joint_a_share", "joint_b_share")
