"""Every action a page offers, with the check that decides it (contest/web/offers.py) and, for what cannot be
undone, the warning asked before it. One line an action; the check is the service's own, the one its verb calls."""
from __future__ import annotations

from flask_babel import gettext as _

from ..models import Assignment
from ..services import bids, needs
from ..services.contracts import drafting, issuing, registering
from ..services.judging import assignments, disclosure, objections, panels, rubrics, scoring, stages, ties
from ..services.notify import delivery
from .offers import action


def _opening(edition) -> str:
    """What opening the online review will do, in numbers."""
    opening = stages.review_opening(edition)
    return _("开启初评后：%(review)s 个需求进入评审；%(fail)s 个无人揭榜的需求流榜；%(waiting)s 个尚未完成甄别或修改的需求"
             "不再发布；相关发榜企业将收到通知。此操作不能撤销。", review=len(opening.to_review),
             fail=len(opening.to_fail), waiting=len(opening.waiting))


def _recusal(target, actor, now) -> None:
    """A recusal, asked of an assignment or of a row of the judge's list (which knows its sheet's status)."""
    if isinstance(target, Assignment):
        assignments.check_recuse(target, actor, now)
    else:
        assignments.check_recuse(target.assignment, actor, now, sheet_status=target.sheet_status)


# bids
action("bid.new", bids.check_new_bid)
action("bid.change", bids.check_change)
action("bid.withdraw", bids.check_change,
       lambda bid: _("撤回后该挑战报告不再参加评审，不能恢复（揭榜截止前可以重新揭榜）。确定撤回吗？"))
# needs
action("need.edit", needs.check_edit)
action("need.submit", needs.check_submit)
action("need.withdraw", needs.check_withdraw, lambda need: _("撤回后该需求退出甄别或需求榜单，不能恢复。确定撤回吗？"))
action("need.review", needs.check_review,
       lambda need: _("甄别结论提交后不能撤回：“通过”即在需求榜单公开发布，“不予通过”即终止该需求。确定提交吗？"))
action("need.publish", needs.check_publish)
# the stages of an edition
action("edition.open_review", stages.check_open_review, _opening)
action("edition.finalists", stages.check_finalists,
       lambda edition: _("确认入围后在线初评结束，各需求的入围团队随即确定，不能撤销。确定确认入围吗？"))
action("edition.publish", stages.check_publish,
       lambda edition: _("发布后结果立即向公众公示，并开始 %(d)s 天的异议期，不能撤销。确定发布吗？",
                         d=edition.objection_days))
# judging
action("assignment.recuse", _recusal)
action("sheet.reopen", scoring.check_reopen)
action("rubric.edit", rubrics.check_edit)
action("bid.disclose", disclosure.check_disclose, lambda bid: _("标记后该挑战报告退出在线初评，不能撤销。"))
action("need.confirm", panels.check_confirm,
       lambda need: _("确认后该团队即为本需求的挑战第一名，并作为技术开发合同的受托方；除异议成立外不能撤销。确定确认吗？"))
action("need.decline", panels.check_decline, lambda need: _("不予确认后该需求流榜，不能撤销。确定不予确认吗？"))
action("need.rule_tie", ties.check_rule_tie,
       lambda standing: _("裁定记入审计日志，不能撤销；发榜企业随后据此确认或不予确认。确定裁定吗？"))
# objections
action("objection.file", objections.check_file)
action("objection.rule", objections.check_rule,
       lambda objection: _("裁定记入审计日志，不能撤销；裁定异议成立将撤销原揭榜结果，由发榜企业重新确认。确定裁定吗？"))
# contracts
action("contract.draft", drafting.check_draft)
action("contract.issue", issuing.check_issue,
       lambda contract: _("出具后合同获得编号，PDF 固定保存，不能再修改；如需更正须作废后出具新版本。确定出具吗？"))
action("contract.void", issuing.check_void,
       lambda contract: _("作废后本版本合同失效（存档保留），并以其条款生成新版本草稿，不能撤销。确定作废吗？"))
action("contract.register", registering.check_register)
# mail
action("mail.resend", delivery.check_resend)
