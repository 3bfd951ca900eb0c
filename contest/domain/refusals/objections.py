"""Refusal texts: objections (异议) to a published result and the organizer's rulings; what an objection keeps
a contract from."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # filing
    "objection.not_party": N_("只有本届提交过挑战报告的揭榜团队或发布过需求的发榜企业可以提出异议"),
    "objection.not_member": N_("账号尚未获准加入所在机构，不能提出异议"),
    "objection.not_published": N_("本届结果尚未公布，不能提出异议"),
    "objection.not_awarded": N_("只能对已揭榜（企业已确认挑战第一名）的需求结果提出异议"),
    "objection.window_closed": N_("异议期已于 %(deadline)s 结束，不再受理异议"),
    "objection.already_pending": N_("您对该需求已有一项待裁定的异议，请等组织方裁定后再提出"),
    "objection.reason_required": N_("请填写异议理由"),
    "objection.reason_too_long": N_("异议理由不能超过 %(n)s 个字符"),
    # ruling
    "objection.already_ruled": N_("该异议已裁定（%(status)s），不能再次裁定"),
    "objection.decision_invalid": N_("请选择裁定结论：异议成立或异议不成立"),
    "objection.ruling_reason_required": N_("请填写裁定理由"),
    "objection.ruling_reason_too_long": N_("裁定理由不能超过 %(n)s 个字符"),
    "objection.contract_exists": N_("该需求已有合同，不能撤销原结果"),
    # a contract waits for the notice to close uncontested
    "contract.results_not_published": N_("本届结果尚未公布：结果公示期满且没有待裁定的异议后方可起草合同"),
    "contract.objection_window_open": N_("异议期至 %(deadline)s（含）结束，期满后方可起草合同"),
    "contract.objections_pending": N_("该需求有 %(count)s 项异议待裁定，裁定后方可起草合同"),
    # the integrity check names the evidence files
    "check.file.objection": N_("异议证明材料"),
}
