"""Refusal texts of notifications (contest/services/notify): settings and the organizer's resend."""
from __future__ import annotations

from .marker import N_

TEXTS = {
    "notify.unknown_language": N_("不支持的语言：%(language)s"),
    "notify.unknown_event": N_("没有这类通知：%(event)s"),
    "notify.mail_required": N_("“%(event)s”按规定须以邮件告知，不能只在平台内提示"),
    "mail.not_failed": N_("只有发送失败的邮件可以重发"),
}
