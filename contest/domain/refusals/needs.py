"""Refusal texts: editions, needs, bids and uploaded files."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # editions
    "edition.collection_reversed": N_("需求征集结束日期不能早于开始日期"),
    "edition.deadline_before_collection_end": N_("揭榜截止时间不能早于需求征集结束"),
    "edition.review_before_deadline": N_("初评开始不能早于揭榜截止"),
    "edition.review_reversed": N_("初评结束不能早于初评开始"),
    "edition.final_before_review_end": N_("现场赛不能早于初评结束"),
    "edition.results_before_final": N_("结果公布不能早于现场赛"),
    "edition.code_invalid": N_("届次代码由 2 至 20 位大写字母、数字和连字符组成，如 CIC8-NB"),
    "edition.code_taken": N_("届次代码 %(code)s 已存在"),
    # a need's content
    "need.keyword_count": N_("关键词须为 %(min)s 至 %(max)s 个，现有 %(count)s 个"),
    "need.keyword_too_long": N_("每个关键词不超过 20 个字"),
    "need.period_reversed": N_("需求时限的结束日期不能早于开始日期"),
    "need.budget_not_positive": N_("拟投入资金总额必须为正数"),
    "need.budget_decimals": N_("拟投入资金总额最多保留两位小数"),
    # a need's life
    "need.collection_closed": N_("需求征集已截止，不能再提交新需求"),
    "need.not_own": N_("只能操作本单位的需求"),
    "need.firms_only": N_("只有发榜企业可以发布需求"),
    "need.not_editable": N_("只有草稿或退回修改的需求可以修改"),
    "need.withdraw_after_deadline": N_("揭榜已截止，需求不能再撤回"),
    "need.comment_required": N_("退回或不予通过时必须填写意见"),
    "need.not_submitted": N_("该需求当前状态为“%(status)s”，只有待甄别的需求可以甄别"),
    "need.publish_after_deadline": N_("本届揭榜已于北京时间 %(deadline)s 截止，需求发布后将无法揭榜，不能再发布；如确需发布，请先在届次设置中延长揭榜截止时间"),
    # bids
    "bid.deadline_passed": N_("揭榜已截止，不能再提交、修改或撤回挑战报告"),
    "bid.need_not_open": N_("该需求当前不接受揭榜"),
    "bid.price_not_positive": N_("报价必须为正数"),
    "bid.not_own": N_("只能操作本团队的挑战报告"),
    "bid.teams_only": N_("只有揭榜团队可以揭榜"),
    "bid.duration_not_positive": N_("研发周期必须为正整数（月）"),
    "bid.declaration_required": N_("提交前须阅读并接受挑战声明"),
    "bid.report_required": N_("提交前须上传挑战报告（PDF）"),
    "bid.already_bid": N_("本团队已对该需求提交过挑战报告，请修改原报告"),
    "bid.not_changeable": N_("该挑战报告当前状态不能修改"),
    # the organizer marks a bid's identity disclosed (services/judging/disclosure.py)
    "disclosure.not_reviewed": N_("只有已提交或已入围的挑战报告可以标记身份已披露"),
    "disclosure.results_published": N_("本届结果已公示，不能再标记身份已披露"),
    "disclosure.already": N_("该挑战报告已标记为身份已披露"),
    "disclosure.reason_required": N_("标记身份已披露时必须填写原因"),
    "disclosure.reason_too_long": N_("原因不超过 %(n)s 个字"),
    # uploaded files
    "upload.empty": N_("上传的文件为空"),
    "upload.too_large": N_("文件超过 %(mb)s MB 上限"),
    "pdf.not_pdf": N_("只接受 PDF 文件（按文件内容检查），网页、图片或改了扩展名的文件不能上传"),
    "pdf.polyglot": N_("文件同时含有网页或压缩包内容，不是单纯的 PDF，请重新导出为普通 PDF 后上传"),
    "pdf.corrupt": N_("PDF 文件已损坏或不完整，无法打开，请重新导出后上传"),
    "pdf.no_pages": N_("PDF 文件没有任何页面，请检查后重新上传"),
    "pdf.encrypted": N_("不接受加密或设置了密码的 PDF，请去除密码保护后重新上传"),
    "pdf.active": N_("PDF 文件含有脚本（JavaScript）或自动执行的动作，请导出为不含脚本的普通 PDF 后重新上传"),
    "pdf.embedded": N_("PDF 文件含有嵌入的附件，请去除附件后重新上传"),
    "pdf.external_action": N_("PDF 文件含有启动程序、打开其他文件或提交数据的动作，请导出为不含这些动作的普通 PDF 后重新上传"),
    "pdf.too_many_pages": N_("PDF 文件超过 %(limit)s 页的上限，请精简后重新上传"),
    "pdf.too_costly": N_("PDF 文件过于复杂，检查超出了 %(seconds)s 秒或 %(mb)s MB 内存的限制，请重新导出为普通 PDF（如压缩图片）后上传"),
    # the anonymity check of a challenge report (domain/anonymity.py): what was found, as `matches` names it
    "pdf.identifies_team": N_("挑战报告须匿名：第 %(page)s 页出现“%(found)s”（%(matches)s），请删除可识别团队身份的内容后重新上传"),
    "anonymity.team": N_("团队名称"),
    "anonymity.organization": N_("单位名称"),
    "anonymity.short_form": N_("“%(item)s”的简称"),
    "anonymity.leader": N_("团队负责人姓名"),
    "anonymity.member": N_("团队成员姓名"),
    "anonymity.contact": N_("团队联系人姓名"),
    "anonymity.phone": N_("电话号码"),
    "anonymity.email": N_("电子邮箱"),
}
