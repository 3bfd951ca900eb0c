"""Every event the contest tells people of: who hears of it, what the notice and the mail say, and whether the
rules require a mail (a user may then choose a digest, never "in the app only").

The subject is also the in-app notice; the body is the mail's text. Both are Chinese msgids with `%(name)s`
placeholders filled from the parameters the caller gives (names, numbers, dates as text), translated into the
recipient's language (contest.services.notify.compose). A parameter never names another team than the
recipient's own: a firm hears of bids as a count, a judge of a report by its number.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.refusals.marker import N_
from ...domain.states import Role

ORG, F, T, J = Role.ORGANIZER, Role.FIRM, Role.TEAM, Role.JUDGE
MKT = Role.MARKET


@dataclass(frozen=True)
class Event:
    kind: str
    audience: tuple[Role, ...]  # the roles that may hear of it (their settings page lists it)
    label: str                  # the kind of event, on the settings page and in the mail log
    subject: str
    body: str
    required: bool = False      # the rules require the mail: not "in the app only"


_EVENTS = (
    # needs: the firm that posted it
    Event("need.returned", (F,), N_("需求退回修改"), N_("您的需求“%(need)s”被退回修改"),
          N_("组织方退回了您的需求“%(need)s”，请按意见修改后重新提交。\n意见：%(comment)s"), required=True),
    Event("need.market_returned", (F,), N_("市场预审退回"), N_("您的需求“%(need)s”被%(market)s退回修改"),
          N_("%(market)s在预审中退回了您的需求“%(need)s”，请按意见修改后重新提交。\n意见：%(comment)s"),
          required=True),
    Event("need.market_passed", (F,), N_("市场预审通过"), N_("您的需求“%(need)s”已通过%(market)s预审"),
          N_("您的需求“%(need)s”已通过%(market)s的预审，进入组织方甄别。")),
    # needs: the staff of the market that collected it
    Event("need.market_review", (MKT,), N_("待市场预审"), N_("需求“%(need)s”等待本市场预审"),
          N_("本市场征集的需求“%(need)s”已提交，请预审后转交组织方甄别或退回企业修改。")),
    Event("need.published", (F,), N_("需求发布"), N_("您的需求“%(need)s”已发布"),
          N_("您的需求“%(need)s”已通过审核并在需求榜单上发布，揭榜截止时间为 %(deadline)s。")),
    Event("need.rejected", (F,), N_("需求未通过"), N_("您的需求“%(need)s”未予发布"),
          N_("您的需求“%(need)s”未予发布。\n说明：%(comment)s"), required=True),
    Event("need.failed", (F,), N_("需求流榜"), N_("您的需求“%(need)s”已流榜"),
          N_("您的需求“%(need)s”已流榜：%(reason)s"), required=True),
    Event("need.bids_closed", (F,), N_("揭榜截止"), N_("您的需求“%(need)s”揭榜截止：收到 %(count)s 份挑战报告"),
          N_("揭榜已截止，您的需求“%(need)s”共收到 %(count)s 份挑战报告。评审期间报告不对企业公开。")),
    Event("need.in_review", (F,), N_("进入初评"), N_("您的需求“%(need)s”进入在线初评"),
          N_("%(edition)s在线初评已开始，您的需求“%(need)s”的 %(count)s 份挑战报告进入评审，初评截止日期为 %(due)s。")),
    Event("need.finalists", (F,), N_("入围公布"), N_("您的需求“%(need)s”有 %(count)s 个团队入围现场评审"),
          N_("您的需求“%(need)s”有 %(count)s 个团队入围现场评审，现场评审日期为 %(final_date)s。")),
    # bids: the team that wrote it
    Event("bid.submitted", (T,), N_("挑战报告提交"), N_("您对“%(need)s”的挑战报告已提交"),
          N_("您对需求“%(need)s”的挑战报告已于 %(when)s 提交。揭榜截止（%(deadline)s）前仍可修改或撤回。")),
    Event("bid.withdrawn", (T,), N_("挑战报告撤回"), N_("您对“%(need)s”的挑战报告已撤回"),
          N_("您对需求“%(need)s”的挑战报告已于 %(when)s 撤回。")),
    Event("bid.in_review", (T,), N_("进入初评"), N_("您对“%(need)s”的挑战报告进入在线初评"),
          N_("%(edition)s在线初评已开始，您对需求“%(need)s”的挑战报告进入匿名评审，初评截止日期为 %(due)s。")),
    Event("bid.finalist", (T,), N_("入围现场评审"), N_("您对“%(need)s”的挑战报告入围现场评审"),
          N_("祝贺！您对需求“%(need)s”的挑战报告入围现场评审，现场评审日期为 %(final_date)s。")),
    Event("bid.not_finalist", (T,), N_("未入围"), N_("您对“%(need)s”的挑战报告未入围现场评审"),
          N_("您对需求“%(need)s”的挑战报告未入围现场评审。感谢参与。")),
    Event("bid.identity_disclosed", (T,), N_("身份披露认定"), N_("您对“%(need)s”的挑战报告被认定披露团队身份"),
          N_("您对需求“%(need)s”的挑战报告经组织方认定披露了团队身份（在线初评须匿名），不参与排名。\n理由：%(reason)s"),
          required=True),
    Event("final.schedule", (F, T, J), N_("现场评审安排"), N_("“%(need)s”的现场评审安排"),
          N_("需求“%(need)s”的现场评审定于 %(final_date)s 举行，请准时参加。")),
    # judges
    Event("judge.assigned", (J,), N_("初评任务"), N_("您有 %(count)s 份新的初评任务"),
          N_("%(edition)s在线初评为您分配了 %(count)s 份挑战报告，请在 %(due)s 前完成评分。评审期间报告匿名，"
             "请勿尝试识别团队身份；如有利益冲突请申请回避。"), required=True),
    Event("judge.reassigned", (J,), N_("回避后改派"), N_("您有一份新的初评任务：挑战报告 #%(bid)s"),
          N_("因另一位评委回避，挑战报告 #%(bid)s（需求“%(need)s”）改派给您，请在 %(due)s 前完成评分。"),
          required=True),
    Event("judge.reminded", (J,), N_("评分提醒"), N_("提醒：您还有 %(count)s 份评分表未提交"),
          N_("%(edition)s初评中您还有 %(count)s 份评分表未提交，请在 %(due)s 前完成。")),
    Event("judge.sheet_reopened", (J,), N_("评分表重开"), N_("组织方重开了您对挑战报告 #%(bid)s 的评分表"),
          N_("组织方重开了您对挑战报告 #%(bid)s 的评分表，请修改后重新提交。\n理由：%(reason)s"), required=True),
    # results
    Event("results.team", (T,), N_("揭榜结果"), N_("“%(need)s”的揭榜结果已公布"),
          N_("%(edition)s的揭榜结果已公布。您对需求“%(need)s”的挑战：%(outcome)s"), required=True),
    Event("results.firm", (F,), N_("揭榜结果"), N_("“%(need)s”的揭榜结果已公布"),
          N_("%(edition)s的揭榜结果已公布。您的需求“%(need)s”的排名：\n%(ranking)s")),
    Event("objection.filed", (ORG, F, T), N_("异议提出"), N_("“%(need)s”的揭榜结果收到一项异议"),
          N_("需求“%(need)s”的揭榜结果收到一项异议，组织方将依规裁定并告知各方。")),
    Event("objection.ruled", (F, T), N_("异议裁定"), N_("“%(need)s”的异议已裁定：%(decision)s"),
          N_("组织方对需求“%(need)s”揭榜结果的异议作出裁定：%(decision)s。\n%(detail)s"), required=True),
    Event("winner.confirmed", (ORG, T), N_("确认优胜"), N_("“%(need)s”的发榜企业已确认优胜团队"),
          N_("需求“%(need)s”的发榜企业已确认挑战第一名为优胜团队。")),
    Event("winner.declined", (ORG, T), N_("不予确认"), N_("“%(need)s”的发榜企业不予确认优胜团队"),
          N_("需求“%(need)s”的发榜企业不予确认优胜团队。\n理由：%(reason)s")),
    Event("tie.ruled", (F,), N_("并列裁定"), N_("组织方已裁定“%(need)s”并列第一名的排序"),
          N_("组织方已裁定需求“%(need)s”并列第一名的排序，请登录确认优胜团队。")),
    # contracts: both parties
    Event("contract.issued", (F, T), N_("合同出具"), N_("合同 %(number)s 已出具"),
          N_("需求“%(need)s”的技术开发合同 %(number)s 已出具，合同金额 %(amount)s 元。组织方将提供打印的合同文本"
             "供双方签署盖章；合同真伪可在此核验：%(verify_url)s"), required=True),
    Event("contract.signed", (F, T), N_("合同签订"), N_("合同 %(number)s 已登记签订"),
          N_("合同 %(number)s 已于 %(signed_on)s 签订，签署扫描件已存档。")),
    Event("contract.registered", (F, T), N_("合同登记"), N_("合同 %(number)s 已完成技术合同认定登记"),
          N_("合同 %(number)s 已于 %(registered_on)s 完成技术合同认定登记，登记编号 %(registration_number)s，"
             "核定技术交易额 %(amount)s 元。")),
    Event("contract.payment", (F, T), N_("到账登记"), N_("合同 %(number)s 登记到账 %(amount)s 元"),
          N_("合同 %(number)s 登记到账 %(amount)s 元（%(received_on)s），累计到账 %(received)s 元。")),
    Event("contract.acceptance", (F, T), N_("验收登记"), N_("合同 %(number)s 登记了一次验收"),
          N_("合同 %(number)s 于 %(accepted_on)s 登记验收：%(description)s")),
    # accounts
    Event("account.created", (ORG, F, T, J, MKT, Role.BROKER), N_("账号开通"), N_("您的账号 %(username)s 已开通"),
          N_("您在揭榜挂帅平台的账号 %(username)s 已开通。如非本人操作，请联系组织方。"), required=True),
    Event("account.password_changed", (ORG, F, T, J, MKT, Role.BROKER), N_("密码修改"), N_("您的账号 %(username)s 的密码已修改"),
          N_("您的账号 %(username)s 的密码已于 %(when)s 修改，其他设备上的登录已退出。如非本人操作，请立即联系组织方。"),
          required=True),
    Event("membership.requested", (ORG, F, T), N_("加入申请"), N_("%(person)s 申请以“%(org)s”的名义加入"),
          N_("%(person)s（%(username)s）申请以“%(org)s”的名义加入平台，请登录核实后同意或拒绝。")),
    Event("membership.decided", (F, T), N_("加入申请结果"), N_("您以“%(org)s”的名义加入的申请%(verdict)s"),
          N_("您以“%(org)s”的名义加入平台的申请%(verdict)s。"), required=True),
    # brokers (技术经纪人): the broker named on a need or a bid; the firm or team that named it
    Event("broker.credit_named", (Role.BROKER,), N_("经纪人服务确认"), N_("%(party)s 将您列为“%(need)s”的技术经纪人"),
          N_("%(party)s 在“%(need)s”上将您列为提供服务的技术经纪人，请登录确认或拒绝。")),
    Event("broker.credit_confirmed", (F, T), N_("经纪人确认"), N_("技术经纪人 %(broker)s 已确认“%(need)s”的服务"),
          N_("您在“%(need)s”上指定的技术经纪人 %(broker)s 已确认为您提供了服务。")),
    Event("broker.credit_declined", (F, T), N_("经纪人拒绝"), N_("技术经纪人 %(broker)s 未确认“%(need)s”的服务"),
          N_("您在“%(need)s”上指定的技术经纪人 %(broker)s 未确认为您提供了服务。您可以另行指定经纪人。")),
    # for the organizers
    Event("judge.recused", (ORG,), N_("评委回避"), N_("评委申请回避：挑战报告 #%(bid)s"),
          N_("评委 %(judge)s 对挑战报告 #%(bid)s 申请回避：%(reason)s。%(outcome)s")),
    # reminders at due dates (sent once each, by the worker's sweep)
    Event("reminder.review_due", (J,), N_("初评截止提醒"), N_("初评将于 %(due)s 截止：您还有 %(count)s 份评分表"),
          N_("%(edition)s在线初评将于 %(due)s 截止，您还有 %(count)s 份评分表未提交。")),
    Event("reminder.bidding_deadline", (T,), N_("揭榜截止提醒"), N_("揭榜将于 %(deadline)s 截止：“%(need)s”的报告尚未提交"),
          N_("您对需求“%(need)s”的挑战报告仍是草稿，揭榜将于 %(deadline)s 截止，截止后不能再提交。")),
    Event("reminder.contract_signing", (F, T), N_("合同签署提醒"), N_("合同 %(number)s 尚未登记签订"),
          N_("合同 %(number)s 已于 %(issued_on)s 出具，至今尚未登记签订。请双方签署后由组织方登记。")),
    # matchmaking events: the accounts registered for the event
    Event("event.cancelled", (F, T, Role.BROKER), N_("对接活动取消"), N_("您报名的对接活动“%(title)s”已取消"),
          N_("您报名的对接活动“%(title)s”（原定 %(when)s，%(place)s）已取消。")),
    Event("event.changed", (F, T, Role.BROKER), N_("对接活动变更"), N_("您报名的对接活动“%(title)s”时间或地点有变更"),
          N_("您报名的对接活动“%(title)s”时间或地点有变更，现定于 %(when)s 在 %(place)s 举行。")),
)

EVENTS: dict[str, Event] = {e.kind: e for e in _EVENTS}
if len(EVENTS) != len(_EVENTS):
    raise ValueError("an event kind is defined twice")
DIGEST = "digest"  # the daily digest's own kind, in the mail log


def event(kind: str) -> Event:
    return EVENTS[kind]


def for_role(role: Role) -> list[Event]:
    """The events a user of this role may hear of, in the table's order (the settings page)."""
    return [e for e in _EVENTS if role in e.audience]
