"""Refusal texts: accounts, passwords, organizations, permissions, the demo data, and words shared by all."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # words shared by every area
    "list.enumeration": N_("、"),
    "list.semicolon": N_("；"),
    # who may act at all
    "permission.organizer_only": N_("只有组织方可以执行此操作"),
    # organizations
    "org.credit_code_invalid": N_("统一社会信用代码无效（应为 18 位，含校验码），请核对"),
    "org.region_code_invalid": N_("行政区划代码应为 6 位数字（GB/T 2260），如宁波市 330200"),
    "org.credit_code_taken": N_("统一社会信用代码 %(code)s 已登记为“%(name)s”，请核对机构名称"),
    "org.name_taken": N_("机构“%(name)s”已用另一统一社会信用代码登记，请核对"),
    # accounts
    "account.username_taken": N_("用户名“%(username)s”已被使用"),
    "account.self_registration_only": N_("发榜企业和揭榜团队请自行注册"),
    "account.disable_self": N_("不能停用自己的账号"),
    # joining an organization already on file
    "membership.not_yours": N_("只有该机构已确认的成员或组织方可以处理加入申请"),
    "membership.not_pending": N_("账号“%(username)s”没有待处理的加入申请"),
    # passwords
    "password.too_short": N_("密码至少 %(n)s 位"),
    "password.too_long": N_("密码不能超过 %(n)s 位"),
    "password.common": N_("该密码过于常见，容易被猜中，请换一个"),
    "password.same_as_username": N_("密码不能与用户名相同"),
    "password.current_wrong": N_("当前密码不正确"),
    "password.unchanged": N_("新密码不能与当前密码相同"),
    # the demo data (contest/demo)
    "demo.username_taken": N_("用户名“%(username)s”已被另一角色的账号占用，无法载入演示数据；请在新数据库中运行"),
}
