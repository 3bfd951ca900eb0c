"""The MOST model texts of the two technology development contracts, as data: what a registrar checks a printed
contract against, article by article (tests/test_contract_model_text.py).

For each ContractType: the cover's fields, each party block's lines, the preamble, then every article in order
(its number and the fixed wording of its head and of each sub-item), then the signature blocks and the part the
technology contract registration office fills in. Phrases are compared with the PDF's text with all whitespace
removed, so they are written without spaces. A blank of the model text ("＿") that is a clause of
contest.domain.contract_clauses is written {key} where it sits: the phrase must then read with the clause's printed
value (or its blank mark) in that place; {items:key} stands for a blank the model text numbers 1．2．3．, one item a
line of the value; {column} names a printed value of contract_context() the same way.

Sources (facts only; the wording of the fixed phrases is the model text's):
- 《技术开发（委托）合同》 (科学技术部印制), cover, party blocks, preamble and articles 1–8 with their blanks:
  https://365docx.com/view/9188e5fbb5.html and http://32336.cn/lhd_8ucgs1qcwe072ie1yi364bptb11wxs00mcn_13.html
  (第四条 1．技术资料清单 2．提供时间和方式 3．其他协作事项 …按以下方式处理; 第五条 其中：(1)…, (一次、分期或
  提成), 开户银行名称、地址和帐号, 3．…提成…查阅甲方有关的会计帐目; 第六条 …以＿的方式检查…; 第七条 …在＿日内予以
  答复…1．2．3．4．; 第八条 但有下列情况之一的…1．2．3．). The copies there cite the repealed 合同法; ours cite
  《中华人民共和国民法典》. "帐" is printed in its standard form "账".
- Articles 9–29 and the registration office's part: the registrar's report quoted by the project (第九条 风险认定
  方式 and ＿日内通知; 第十一条 甲方 1–4 / 乙方 1–4; 第十五条 第＿种方式, 1．专利申请权 with 利益分配, 2．技术秘密
  (1)使用权 (2)转让权 (3)相关利益的分配办法; 第十八条 归＿（甲、乙、双）方所有; 第十九条 three sub-items; 第二十一条
  two improvement clauses; 第二十四条 按以下第＿种方式处理：1．提交＿仲裁委员会仲裁；2．依法向人民法院起诉; 第二十六条
  经双方以＿方式确认; （以下由技术合同登记机构填写）合同登记编号 … 经办人), and 民法典第八百五十一条至第八百六十一条.
- 《技术开发（合作）合同》 (科学技术部印制): cover (项目名称, 甲方, 乙方, 签订时间, 签订地点, 有效期限), 填写说明 and the
  party blocks (甲方/乙方, 住所地, 法定代表人, 项目联系人, 联系方式: 通讯地址, 电话, 传真, 电子信箱):
  http://biz.doczj.com/doc/c73983769.html (2021 copy). Its articles could not be read in full from the sources at
  hand: their order and the wording of the articles the 委托 text does not have (第二条 甲方按下列约定作为本合同项目
  开发的投资, 第三条 乙方…, 第四条 分工参与研究开发工作, 第八条 组织管理和协调) follow 民法典第八百五十五条 and the
  委托 text's wording for the articles the two texts share.
"""
from __future__ import annotations

from contest.domain.contracts import ContractType

_PARTY_LINES = ["住所地：", "法定代表人：", "项目联系人：", "联系方式", "通讯地址：", "电话：", "传真：", "电子信箱："]

_END = [
    "（以下无正文）",
    "甲方：", "（盖章）", "法定代表人/委托代理人：", "（签名）",
    "乙方：", "（盖章）", "法定代表人/委托代理人：", "（签名）",
    "印花税票粘贴处：",
    "（以下由技术合同登记机构填写）", "合同登记编号：", "1．申请登记人：", "2．登记材料：（1）（2）（3）",
    "3．合同类型：", "4．合同交易额：", "5．技术交易额：", "技术合同登记机构（印章）", "经办人：",
]


def _secrecy() -> list[str]:
    return [phrase for side, who in (("a", "甲方"), ("b", "乙方")) for phrase in (
        f"{who}：", f"1．保密内容（包括技术信息和经营信息）：{{secret_{side}_content}}；",
        f"2．涉密人员范围：{{secret_{side}_people}}；", "3．保密期限：", f"4．泄密责任：{{secret_{side}_liability}}。")]


def _ip() -> list[str]:
    return ["双方确定，因履行本合同所产生的研究开发成果及其相关知识产权权利归属，按下列第{ip_ways}种方式处理：",
            "1．{ip_applicant}享有申请专利的权利。", "专利权取得后的使用和有关利益分配方式如下：{ip_patent_benefit}。",
            "2．按技术秘密方式处理。有关使用和转让的权利归属及由此产生的利益按以下约定处理：",
            "（1）技术秘密的使用权：{secret_use}；", "（2）技术秘密的转让权：{secret_transfer}；",
            "（3）相关利益的分配办法：{secret_benefit}。", "双方对本合同有关的知识产权权利归属特别约定如下："]


def _materials(head: str) -> list[str]:
    return [head, "1．技术资料清单：", "2．提供时间和方式：{materials_delivery}；", "3．其他协作事项：{cooperation_items}。",
            "本合同履行完毕后，上述技术资料按以下方式处理：{materials_after}。"]


_CHANGES = ["本合同的变更必须由双方协商一致，并以书面形式确定。但有下列情形之一的，一方可以向另一方提出变更合同权利与义务的"
            "请求，另一方应当在{change_reply_days}日内予以答复；逾期未予答复的，视为同意：", "{items:change_grounds}"]


def _risk(who: str) -> list[str]:
    return ["在本合同履行中，因出现在现有技术水平和条件下难以克服的技术困难，导致研究开发失败或部分失败，并造成一方或双方"
            "损失的，双方按如下约定承担风险损失：{risk_terms}。",
            "双方确定，本合同项目的技术风险按{risk_assessment}的方式认定。认定技术风险的基本内容应当包括技术风险的存在、"
            "范围、程度及损失大小等。认定技术风险的基本条件是：",
            "1．本合同项目在现有技术水平条件下具有足够的难度；", f"2．{who}在主观上无过错且经认定研究开发失败为合理的失败。",
            "一方发现技术风险存在并有可能致使研究开发失败或部分失败的情形时，应当在{risk_notice_days}日内通知另一方并采取"
            "适当措施减少损失。逾期未通知并未采取适当措施而致使损失扩大的，应当就扩大的损失承担赔偿责任。"]


_DISCLOSURE = ["在本合同履行中，因作为研究开发标的的技术已经由他人公开（包括以专利权方式公开），一方应在"
               "{disclosure_notice_days}日内通知另一方解除合同。逾期未通知并致使另一方产生损失的，另一方有权要求予以赔偿。"]
_SECRECY_HEAD = ["双方确定因履行本合同应遵守的保密义务如下："]
_BREACH = ["双方确定：任何一方违反本合同约定，造成研究开发工作停滞、延误或失败的，按以下约定承担违约责任：",
           "{items:breach_terms}"]
_LIAISON = ["双方确定，在本合同有效期内，甲方指定{contact_a}为甲方项目联系人，乙方指定{contact_b}为乙方项目联系人。"
            "项目联系人承担以下责任：", "{items:liaison_duties}",
            "一方变更项目联系人的，应当及时以书面形式通知另一方。未及时通知并影响本合同履行或造成损失的，应承担相应的责任。"]
_TERMINATION = ["双方确定，出现下列情形，致使本合同的履行成为不必要或不可能的，一方可以通知另一方解除本合同：",
                "1．因发生不可抗力或技术风险；", "2．{termination_ground}。"]
_DISPUTE = ["双方因履行本合同而发生的争议，应协商、调解解决。协商、调解不成的，确定按以下第{dispute_way}种方式处理：",
            "1．提交{dispute_commission}仲裁委员会仲裁；", "2．依法向人民法院起诉。"]
_DEFINITIONS = ["双方确定：本合同及相关附件中所涉及的有关名词和技术术语，其定义和解释如下：", "{items:definitions}"]
_DOCUMENTS = ["与履行本合同有关的下列技术文件，经双方以{documents_confirm}方式确认后，为本合同的组成部分：",
              "1．技术背景资料：{background_document}；", "2．可行性论证报告：{doc_feasibility}；",
              "3．技术评价报告：{doc_evaluation}；", "4．技术标准和规范：{doc_standards}；",
              "5．原始设计和工艺文件：{doc_design}；", "6．其他：{report_document}。"]
_OTHER = ["双方约定本合同其他相关事项为："]
_COPIES = ["本合同一式{copies}份，具有同等法律效力。"]
_EFFECT = ["本合同经双方签字盖章后生效。"]

COMMISSIONED = {
    "cover": ["合同编号：", "技术开发（委托）合同", "项目名称：", "委托方（甲方）：", "受托方（乙方）：", "签订时间：",
              "签订地点：", "有效期限："],
    "parties": [("委托方（甲方）：", _PARTY_LINES), ("受托方（乙方）：", _PARTY_LINES)],
    "preamble": ["本合同甲方委托乙方研究开发{project_name}项目，并支付研究开发经费和报酬，乙方接受委托并进行此项研究开发"
                 "工作。双方经过平等协商，在真实、充分地表达各自意愿的基础上，根据《中华人民共和国民法典》的规定，达成如下"
                 "协议，并由双方共同恪守。"],
    "articles": [
        ("第一条", ["本合同研究开发项目的要求如下：", "1．技术目标：", "2．技术内容：", "3．技术方法和路线："]),
        ("第二条", ["乙方应在本合同生效后{plan_days}日内向甲方提交研究开发计划。研究开发计划应包括以下主要内容："]),
        ("第三条", ["乙方应按下列进度完成研究开发工作："]),
        ("第四条", _materials("甲方应向乙方提供的技术资料及协作事项如下：")),
        ("第五条", ["甲方应按以下方式支付研究开发经费和报酬：", "1．研究开发经费和报酬总额为", "其中：", "（1）技术交易额：",
                   "2．研究开发经费由甲方{payment_mode}支付乙方。具体支付方式和时间如下：",
                   "乙方开户银行名称、地址和账号为：", "开户银行：", "地址：", "账号：",
                   "3．双方确定，甲方以实施研究开发成果所产生的利益提成支付乙方的研究开发经费和报酬的，乙方有权以"
                   "{royalty_audit}的方式查阅甲方有关的会计账目。"]),
        ("第六条", ["本合同的研究开发经费由乙方以{funds_use}的方式使用。甲方有权以{funds_inspection}的方式检查乙方进行"
                   "研究开发工作和使用研究开发经费的情况，但不得妨碍乙方的正常工作。"]),
        ("第七条", _CHANGES),
        ("第八条", ["未经甲方同意，乙方不得将本合同项目部分或全部研究开发工作转让第三人承担。但有下列情况之一的，乙方可以"
                   "不经甲方同意，将本合同项目部分或全部研究开发工作转让第三人承担：", "{items:subcontract_cases}",
                   "乙方可以转让研究开发工作的具体内容包括：{subcontract_scope}。"]),
        ("第九条", _risk("乙方")),
        ("第十条", _DISCLOSURE),
        ("第十一条", _SECRECY_HEAD + _secrecy()),
        ("第十二条", ["乙方应当按以下方式向甲方交付研究开发成果：", "1．研究开发成果交付的形式及数量：{delivery_form}；",
                     "2．研究开发成果交付的时间及地点：{delivery_time_place}。"]),
        ("第十三条", ["双方确定，按以下标准及方法对乙方完成的研究开发成果进行验收：", "1．验收标准：", "2．验收方式："]),
        ("第十四条", ["乙方应当保证其交付给甲方的研究开发成果不侵犯任何第三人的合法权益。如发生第三人指控甲方实施的技术"
                     "侵权，乙方应当{infringement}。"]),
        ("第十五条", _ip()),
        ("第十六条", ["乙方不得在向甲方交付研究开发成果之前，自行将研究开发成果转让给第三人。"]),
        ("第十七条", ["乙方完成本合同项目的研究开发人员享有在有关技术成果文件上写明技术成果完成者的权利和取得有关荣誉"
                     "证书、奖励的权利。"]),
        ("第十八条", ["乙方利用研究开发经费所购置与研究开发工作有关的设备、器材、资料等财产，归{equipment_owner}所有。"]),
        ("第十九条", ["双方确定，乙方应在向甲方交付研究开发成果后，根据甲方的请求，为甲方指定的人员提供技术指导和培训，"
                     "或提供与使用该研究开发成果相关的技术服务。", "1．技术服务和指导内容：",
                     "2．地点和方式：{service_place}；", "3．费用及支付方式：{service_fee}。"]),
        ("第二十条", _BREACH),
        ("第二十一条", ["双方确定：甲方有权利用乙方按照本合同约定提供的研究开发成果，进行后续改进。由此产生的具有实质性"
                       "或创造性技术进步特征的新的技术成果及其权利归属，由{improve_a_owner}享有。具体相关利益的分配办法"
                       "如下：{improve_a_benefit}。",
                       "乙方有权在完成本合同约定的研究开发工作后，利用该项研究开发成果进行后续改进。由此产生的具有实质性"
                       "或创造性技术进步特征的新的技术成果，归{improve_b_owner}所有。具体相关利益的分配办法如下："
                       "{improve_b_benefit}。"]),
        ("第二十二条", _LIAISON),
        ("第二十三条", _TERMINATION),
        ("第二十四条", _DISPUTE),
        ("第二十五条", _DEFINITIONS),
        ("第二十六条", _DOCUMENTS),
        ("第二十七条", _OTHER),
        ("第二十八条", _COPIES),
        ("第二十九条", _EFFECT),
    ],
    "end": _END,
    "plan": "第二条",       # where the R&D plan is due, in days after the contract takes effect
    "schedule": "第三条",   # the schedule of the work, by date
}

JOINT = {
    "cover": ["合同编号：", "技术开发（合作）合同", "项目名称：", "甲方：", "乙方：", "签订时间：", "签订地点：", "有效期限："],
    "parties": [("甲方：", _PARTY_LINES), ("乙方：", _PARTY_LINES)],
    "preamble": ["本合同甲方、乙方就共同参与研究开发{project_name}项目事项，经过平等协商，在真实、充分地表达各自意愿的"
                 "基础上，根据《中华人民共和国民法典》的规定，达成如下协议，并由双方共同恪守。"],
    "articles": [
        ("第一条", ["本合同合作研究开发项目的要求如下：", "1．技术目标：", "2．技术内容：", "3．技术方法和路线："]),
        ("第二条", ["甲方按下列约定作为本合同项目开发的投资：", "1．投资方式和内容：{joint_a_invest}。",
                   "2．甲方投入的研究开发经费总额为", "其中：", "（1）技术交易额：",
                   "3．研究开发经费由甲方{payment_mode}支付乙方。具体支付方式和时间如下：",
                   "乙方开户银行名称、地址和账号为：", "开户银行：", "地址：", "账号：",
                   "4．甲方的投资占本合同项目总投资的{joint_a_share}。"]),
        ("第三条", ["乙方按下列约定作为本合同项目开发的投资：", "1．投资方式和内容：{joint_b_invest}。",
                   "2．乙方的投资占本合同项目总投资的{joint_b_share}。",
                   "双方以资金以外的形式进行投资的，应当折算成相应的金额，明确其在投资中所占的比例。"]),
        ("第四条", ["双方确定，按以下约定分工参与研究开发工作：", "1．甲方承担的研究开发工作：{joint_a_work}；",
                   "2．乙方承担的研究开发工作：{joint_b_work}。",
                   "双方应当按照上述分工，以各自的技术力量参加研究开发工作，并相互协作配合，直至完成本合同项目。"]),
        ("第五条", ["双方应在本合同生效后{plan_days}日内共同制定研究开发计划。研究开发计划应包括以下主要内容："]),
        ("第六条", ["双方应按下列进度完成研究开发工作："]),
        ("第七条", _materials("甲方为本合同项目提供的技术资料及协作事项如下：")),
        ("第八条", ["为确保本合同的全面履行，双方确定，采取以下方式对研究开发工作进行组织管理和协调："
                   "{joint_coordination}。"]),
        ("第九条", ["甲方投入的研究开发经费由乙方以{funds_use}的方式使用。甲方有权以{funds_inspection}的方式检查研究开发"
                   "工作和研究开发经费的使用情况，但不得妨碍乙方的正常工作。"]),
        ("第十条", _CHANGES),
        ("第十一条", ["未经另一方同意，任何一方不得将本合同项目部分或全部研究开发工作转让第三人承担。但有下列情况之一的，"
                     "一方可以不经另一方同意，将本合同项目部分或全部研究开发工作转让第三人承担：",
                     "{items:subcontract_cases}", "一方可以转让研究开发工作的具体内容包括：{subcontract_scope}。"]),
        ("第十二条", _risk("双方")),
        ("第十三条", _DISCLOSURE),
        ("第十四条", _SECRECY_HEAD + _secrecy()),
        ("第十五条", ["双方确定，按以下方式提交研究开发成果：", "1．研究开发成果的形式及数量：{delivery_form}；",
                     "2．研究开发成果提交的时间及地点：{delivery_time_place}。"]),
        ("第十六条", ["双方确定，按以下标准及方法对双方完成的研究开发成果进行验收：", "1．验收标准：", "2．验收方式："]),
        ("第十七条", ["双方应当保证其在本合同项目中投入的技术和完成的研究开发成果不侵犯任何第三人的合法权益。如发生第三人"
                     "指控侵权的，引起侵权的一方应当{infringement}。"]),
        ("第十八条", _ip()),
        ("第十九条", ["双方完成本合同项目的研究开发人员享有在有关技术成果文件上写明技术成果完成者的权利和取得有关荣誉"
                     "证书、奖励的权利。"]),
        ("第二十条", ["利用本合同研究开发经费所购置与研究开发工作有关的设备、器材、资料等财产，归{equipment_owner}所有。"]),
        ("第二十一条", _BREACH),
        ("第二十二条", ["双方确定：甲方有权利用本合同项目的研究开发成果进行后续改进。由此产生的具有实质性或创造性技术进步"
                       "特征的新的技术成果，归{improve_a_owner}所有。具体相关利益的分配办法如下：{improve_a_benefit}。",
                       "乙方有权利用本合同项目的研究开发成果进行后续改进。由此产生的具有实质性或创造性技术进步特征的新的"
                       "技术成果，归{improve_b_owner}所有。具体相关利益的分配办法如下：{improve_b_benefit}。"]),
        ("第二十三条", _LIAISON),
        ("第二十四条", _TERMINATION),
        ("第二十五条", _DISPUTE),
        ("第二十六条", _DEFINITIONS),
        ("第二十七条", _DOCUMENTS),
        ("第二十八条", _OTHER),
        ("第二十九条", _COPIES),
        ("第三十条", _EFFECT),
    ],
    "end": _END,
    "plan": "第五条",
    "schedule": "第六条",
}

MODEL_TEXTS = {ContractType.COMMISSIONED: COMMISSIONED, ContractType.JOINT: JOINT}
