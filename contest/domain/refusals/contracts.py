"""Refusal texts: contracts, from the draft to the funds received, and the words they name."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # the parties, and the details of a party a refusal names
    "contract.side.party_a": N_("甲方"),
    "contract.side.party_b": N_("乙方"),
    "contract.field.name": N_("名称"),
    "contract.field.address": N_("住所地"),
    "contract.field.legal_rep": N_("法定代表人"),
    "contract.field.contact_name": N_("项目联系人"),
    "contract.field.contact_phone": N_("联系电话"),
    "contract.field.contact_email": N_("电子邮箱"),
    "contract.field.credit_code": N_("统一社会信用代码"),
    "contract.field.bank_name": N_("开户银行"),
    "contract.field.bank_account": N_("账号"),
    # amounts and the instalment schedule
    "contract.amount.total": N_("合同金额"),
    "contract.amount.instalment": N_("第 %(n)s 期付款金额"),
    "contract.amount.payment": N_("到账金额"),
    "contract.amount.not_a_number": N_("%(what)s须为金额数字"),
    "contract.amount.decimals": N_("%(what)s最多保留两位小数（分）"),
    "contract.amount.out_of_range": N_("%(what)s须在 0.01 元至 999,999,999,999.99 元之间"),
    "contract.schedule.empty": N_("请至少填写一期付款"),
    "contract.schedule.condition_missing": N_("第 %(n)s 期付款须写明触发付款的交付物或验收条件"),
    "contract.schedule.due_before_signing": N_("第 %(n)s 期付款的到期日不能早于签订日期"),
    "contract.schedule.sum_mismatch": N_("各期付款之和（%(paid)s 元）须等于合同总额（%(total)s 元）"),
    "contract.payment.over_total": N_("到账累计（%(received)s 元）将超过合同总额（%(total)s 元），不予登记"),
    # drafting
    "contract.draft": N_("草稿"),
    "contract.exists": N_("该需求已有合同（%(number)s），请在该合同上继续办理"),
    "contract.need_not_awarded": N_("只有已确认揭榜（挑战第一名已确认）的需求可以起草合同"),
    "contract.no_winner": N_("该需求没有经企业确认的挑战第一名，不能起草合同"),
    "contract.issued_frozen": N_("已出具的合同不能修改，请作废后出具新版本"),
    "contract.party.name_missing": N_("%(side)s名称未填写"),
    "contract.party.refused": N_("%(side)s%(refusal)s"),
    "contract.project_name_missing": N_("项目名称未填写"),
    "contract.validity_reversed": N_("有效期限的截止日期不能早于起始日期"),
    "contract.arbitration_commission_missing": N_("选择仲裁解决争议时须写明仲裁委员会名称，如宁波仲裁委员会"),
    "contract.copies_out_of_range": N_("合同份数须为 2 至 20 份"),
    "contract.confidentiality_out_of_range": N_("保密期限须为 0 至 50 年"),
    # issuing, voiding
    "contract.party.field_missing": N_("%(side)s%(field)s未填写，不能出具合同"),
    "contract.already_issued": N_("该合同已出具（%(number)s），不能重复出具"),
    "contract.not_issued": N_("合同尚未出具，没有可下载的 PDF"),
    "contract.void.reason_required": N_("请填写作废原因"),
    "contract.void.reason_too_long": N_("作废原因不能超过 500 个字符"),
    "contract.void.not_issued": N_("只有已出具或已签订的合同可以作废"),
    "contract.void.has_payments": N_("该合同已登记到账款项，不能作废"),
    # signing and the follow-up
    "contract.sign.not_issued": N_("只有已出具、尚未签订的合同可以登记签订"),
    "contract.sign.in_future": N_("签订日期不能晚于今天"),
    "contract.sign.before_issue": N_("签订日期不能早于合同出具日期（%(issued_on)s）"),
    "contract.unsigned.acceptance": N_("合同尚未签订，不能登记验收"),
    "contract.unsigned.payment": N_("合同尚未签订，不能登记到账"),
    "contract.date.acceptance": N_("验收日期"),
    "contract.date.payment": N_("到账日期"),
    "contract.date.in_future": N_("%(what)s不能晚于今天"),
    "contract.date.before_signing": N_("%(what)s不能早于合同签订日期（%(signed_on)s）"),
    "contract.acceptance.description": N_("请填写验收内容（不超过 500 个字符）"),
    "contract.acceptance.instalment_unknown": N_("所选付款期不属于本合同"),
    "contract.payment.note_too_long": N_("备注不能超过 300 个字符"),
    "contract.payment.receipt_missing": N_("请填写银行回单号（不超过 60 个字符），实际到账以银行回单为凭"),
    # registration (技术合同认定登记) and the key-programme rule
    "contract.amount.registered": N_("核定技术交易额"),
    "contract.date.registration": N_("登记日期"),
    "contract.registration.not_signed": N_("只有已签订的合同可以登记技术合同认定登记结果"),
    "contract.registration.number_format": N_(
        "登记编号格式不正确：应为 4 位年份（2000–2099）、6 位登记机构行政区划代码（GB/T 2260）和 4 至 8 位顺序号，"
        "全部为数字，如 20243302030001"),
    "contract.registration.number_taken": N_("登记编号 %(number)s 已登记在合同 %(contract)s 上"),
    "contract.registration.amount_over_total": N_("核定技术交易额（%(amount)s 元）不能超过合同总额（%(total)s 元）"),
    "contract.key_programme.not_horizontal": N_("不是横向项目（乙方须为高校、科研院所或医疗卫生机构，甲方须为企业）"),
    "contract.key_programme.not_registered": N_("尚未办理技术合同认定登记"),
    "contract.key_programme.received_short": N_("凭银行回单的实际到账不足 300 万元"),
    # the batch PDF
    "contract.batch.none_issued": N_("届次 %(code)s 尚无已出具的合同"),
    "contract.batch.pdf_missing": N_("合同 %(numbers)s 缺少出具时保存的 PDF"),
}
