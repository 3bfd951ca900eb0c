"""Refusal texts of jobs (long work off the request, contest/services/jobs): retries, failures, summaries."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # retrying a job
    "job.not_failed": N_("只有失败的任务可以重试"),
    "job.not_starter": N_("只有发起该任务的用户可以重试"),
    # why a job failed
    "job.unknown_kind": N_("未知的任务类型：%(kind)s"),
    "job.param_invalid": N_("任务参数 %(name)s 的值无效：%(value)s"),
    "job.edition_required": N_("该任务须指定届次"),
    "job.crashed": N_("任务运行时出现了问题，我们已记录。错误编号：%(error_id)s。如需帮助请将此编号告知技术支持。"),
    "job.abandoned": N_("任务已尝试 %(attempts)s 次，每次都在运行中被中断，不再自动重试"),
    # what a finished job did
    "job.summary.scores_exported": N_("已导出 %(rows)s 条评分记录"),
    "job.summary.contracts_printed": N_("已汇总 %(count)s 份合同"),
    "job.summary.review_opened": N_("已开启初评"),
    "job.summary.finalists_confirmed": N_("已确认入围名单，进入现场赛"),
    "job.summary.results_published": N_("结果已发布"),
    "job.summary.assigned": N_("已为 %(bids)s 份挑战报告分配 %(n)s 人次评审"),
    "job.summary.assigned_short": N_("已为 %(bids)s 份挑战报告分配 %(n)s 人次评审；%(short)s 份挑战报告评审专家不足，见页面顶部列表"),
}
