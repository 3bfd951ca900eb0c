"""Mail in the recipient's language, through and through: with names typed in Latin letters, an English reader's
mail (subject, text, HTML, the daily digest) holds no Chinese at all, and a Chinese reader's is in Chinese."""
from __future__ import annotations

import re
from datetime import datetime

from contest.domain.states import MailMode, Role
from contest.models import MailPreference
from contest.services import notify
from contest.services.notify import digest

from .mail_server import html_of, inbox, smtp_session, text_of  # noqa: F401  (fixtures)

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _returned(users, clock):
    notify.tell("need.returned", users, now=clock.now, link=notify.path("firm.need", need_id=7),
                need="Laser welding", comment="Add the budget")


def test_an_english_readers_mail_has_no_chinese_and_a_chinese_readers_is_chinese(db, make_user, inbox, clock):
    english, chinese = make_user(Role.FIRM, language="en", display_name="Li Ming"), make_user(Role.FIRM)
    _returned([english, chinese], clock)
    db.session.commit()
    [mail] = inbox.to(english.email)
    for part in (str(mail["Subject"]), text_of(mail), html_of(mail)):
        assert not CJK.search(part), part
    assert "Laser welding" in mail["Subject"] and "Add the budget" in text_of(mail)
    assert "https://contest.example.cn/firm/needs/7" in text_of(mail) and 'lang="en"' in html_of(mail)
    [mail] = inbox.to(chinese.email)
    assert "被退回修改" in mail["Subject"] and "意见：Add the budget" in text_of(mail)
    assert 'lang="zh-CN"' in html_of(mail)


def test_an_english_readers_digest_has_no_chinese(db, make_user, inbox, clock):
    reader = make_user(Role.FIRM, language="en", display_name="Li Ming")
    db.session.add(MailPreference(user_id=reader.id, event="need.returned", mode=MailMode.DIGEST))
    clock(datetime(2026, 3, 10, 2, 0))  # 10:00 in Beijing
    _returned([reader], clock)
    db.session.commit()
    assert inbox.to(reader.email) == []
    clock(datetime(2026, 3, 10, 10, 30))  # 18:30 in Beijing: the day's digest is due
    assert digest.write_digests(now=clock.now) == 1
    db.session.commit()
    from contest.worker import deliver_mail

    deliver_mail()
    [mail] = inbox.to(reader.email)
    for part in (str(mail["Subject"]), text_of(mail), html_of(mail)):
        assert not CJK.search(part), part
    assert "Laser welding" in text_of(mail)
