"""Refusal texts: accounts, passwords, organizations and the registration form's codes, permissions, the demo data,
and words shared by all."""
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
    "org.region_code_invalid": N_("行政区划代码应为 6 位数字（GB/T 2260，填到区、县一级），如宁波市鄞州区 330212"),
    "org.credit_code_taken": N_("统一社会信用代码 %(code)s 已登记为“%(name)s”，请核对机构名称"),
    "org.name_taken": N_("机构“%(name)s”已用另一统一社会信用代码登记，请核对"),
    # the technology contract registration form's codes (contest.domain.registration_codes)
    "registration.region_unknown": N_("行政区划代码 %(code)s 不在现行 GB/T 2260 代码表中（不存在或已撤销），"
                                      "请填写所在区、县的代码，如宁波市鄞州区 330212"),
    "registration.region_not_district": N_("行政区划代码 %(code)s 是%(name)s的代码，技术合同登记须填到区、县一级，"
                                           "请填写所在区、县的代码，如宁波市鄞州区 330212"),
    "registration.code_unknown": N_("%(field)s代码“%(code)s”不在技术合同登记表的代码表中"),
    "registration.table.contract_types": N_("合同类型"),
    "registration.table.tech_fields": N_("技术领域"),
    "registration.table.ip_categories": N_("知识产权类别"),
    "registration.table.socio_goals": N_("社会经济目标"),
    "registration.table.unit_natures": N_("单位性质"),
    "registration.table.countries": N_("国别"),
    "registration.nature_required": N_("企业须选择单位性质：按营业执照上的企业类型，如有限责任公司 150、"
                                       "股份有限公司 160、私营企业 170"),
    "registration.nature_not_enterprise": N_("单位性质 %(code)s（%(name)s）不是企业类型，企业请选择 110 至 340 之间的"
                                             "企业类型"),
    "registration.nature_enterprise_only": N_("单位性质 %(code)s（%(name)s）是企业类型，只有机构类型为企业时才能选择"),
    "registration.nature_group": N_("单位性质 %(code)s（%(name)s）是一组类型的总称，请选择其中具体的一种"),
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
