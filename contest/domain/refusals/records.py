"""Refusal texts of the operators' tools: backup and restore, and what the integrity check finds."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    # backup
    "backup.database_unsupported": N_("不支持备份 %(kind)s 数据库（仅支持 SQLite 和 PostgreSQL）"),
    "backup.sqlite_in_memory": N_("内存中的 SQLite 数据库无法备份或恢复"),
    "backup.pg_tool_missing": N_("未找到 PostgreSQL 的 %(tool)s，请先安装 PostgreSQL 客户端（postgresql-client）"),
    "backup.pg_dump_failed": N_("pg_dump 备份数据库失败：%(output)s"),
    "backup.not_initialised": N_("数据库尚未初始化（没有 alembic_version 表），请先运行 init-db"),
    "backup.out_not_empty": N_("备份目录 %(out)s 已存在且不为空，请指定一个新的或空的目录"),
    # restore
    "restore.manifest_unreadable": N_("%(source)s 不是完整的备份（缺少或无法读取 %(manifest)s）"),
    "restore.dump_missing": N_("%(source)s 不是完整的备份（缺少数据库文件）"),
    "restore.dump_altered": N_("备份的数据库文件 %(dump)s 与清单记录的 SHA-256 不符，可能已损坏"),
    "restore.database_not_empty": N_("目标数据库不是空的（表 %(table)s 中已有数据）：只能恢复到空的实例中"),
    "restore.storage_not_empty": N_("存储目录 %(root)s 中已有文件：只能恢复到空的实例中"),
    "restore.database_kind": N_("备份来自 %(backup)s 数据库，而当前配置的是 %(kind)s 数据库，不能恢复"),
    "restore.revision_unknown": N_("备份的数据库版本 %(revision)s 不是本程序已知的迁移版本，请用生成该备份的程序版本恢复"),
    "restore.pg_restore_failed": N_("pg_restore 恢复数据库失败：%(output)s"),
    "restore.manifest_format": N_("备份清单的格式 %(format)s 不受支持（须为格式 2，记录每个文件的 SHA-256），请用生成该备份的程序版本恢复"),
    "restore.outside_backup": N_("备份清单中的文件名 %(name)s 不合法：只能指向备份目录之内（不能含路径分隔符、“..” 或绝对路径）"),
    "restore.file_count": N_("备份清单记录了 %(expected)s 个存储文件，备份中却有 %(found)s 个：备份不完整或被改动"),
    "restore.file_missing": N_("备份中缺少清单记录的存储文件 %(path)s"),
    "restore.file_unlisted": N_("备份中的存储文件 %(path)s 不在清单中：备份被改动"),
    "restore.file_altered": N_("备份的存储文件 %(path)s 与清单记录的 SHA-256 不符，可能已损坏"),
    "restore.dump_damaged": N_("备份的数据库文件 %(dump)s 已损坏，无法读取：%(output)s"),
    # the integrity check: stored files
    "check.file.bid": N_("挑战报告文件"),
    "check.file.scan": N_("合同签署扫描件"),
    "check.file.bad_name": N_("%(what)s名不合法 (%(name)s)"),
    "check.file.missing": N_("%(what)s缺失 (%(path)s)"),
    "check.file.altered": N_("%(what)s与记录的 SHA-256 不符 (%(path)s)"),
    "check.file.without_row": N_("存储目录中的文件没有对应的记录 (%(path)s)"),
    # needs and their winners
    "check.need.winners": N_("有 %(count)s 个挑战第一名 (%(bids)s)"),
    "check.need.no_winner": N_("需求已揭榜，但没有挑战第一名"),
    "check.need.not_awarded": N_("有挑战第一名 (bid %(bid)s)，但需求状态为 %(status)s"),
    # contracts
    "check.contract.instalments": N_("分期付款合计 %(paid)s 元与合同总额 %(total)s 元不符"),
    "check.contract.pdf_missing": N_("已出具合同的 PDF 缺失"),
    "check.contract.pdf_altered": N_("已出具合同的 PDF 与出具时记录的 SHA-256 不符"),
    # score sheets
    "check.sheet.conflicted": N_("评审专家与该挑战报告存在利益冲突，却提交了评分表"),
    "check.sheet.recused": N_("评审专家已申请回避该挑战报告，却提交了评分表"),
    # the audit chain
    "check.chain.edited": N_("审计记录的哈希与内容不符（记录被修改）"),
    "check.chain.broken": N_("审计链断裂：前一条记录缺失或被删除"),
    "check.chain.unkeyed": N_("审计记录的哈希未用审计链密钥计算（链被无密钥地重算，或是启用密钥前的记录：见 AUDIT_CHAIN_PLAIN_THROUGH）"),
    "check.chain.trigger_missing": N_("审计表缺少只追加触发器 %(trigger)s：数据库不再拒绝修改或删除审计记录"),
    "check.chain.trigger_altered": N_("审计表的只追加触发器 %(trigger)s 已被停用或改动，不再拒绝 %(operations)s"),
}
