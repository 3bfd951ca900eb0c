"""The organizer's mail log: every message of the outbox with where it stands (the server's reply for a refused
one), newest first, paged and searched; a message's text, escaped, never its HTML; a failed message resent with
its Message-ID, recorded in the audit trail; a page's statements the same whatever the number of messages."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from contest.domain.states import MailMode, MailState, Role
from contest.models import AuditEvent, MailMessage, MailPreference, User
from contest.services import notify
from contest.services.notify import digest

from .mail_server import inbox, smtp_session  # noqa: F401 (fixtures)

RETURNED = {"need": "注塑件视觉检测", "comment": "请补充预算依据"}


def _returned(users, clock, **params):
    notify.tell("need.returned", users, now=clock.now, **{**RETURNED, **params})


def _rows(html: str) -> list[tuple[int, str]]:
    """(message id, state) of each row of the log, in the page's order."""
    return [(int(i), s) for i, s in re.findall(r'data-mail="(\d+)" data-state="(\w+)"', html)]


@pytest.fixture
def organizer(make_user, login):
    return login(make_user(Role.ORGANIZER, username="mail-organizer"))


def test_the_log_shows_each_message_newest_first_with_its_state_and_the_servers_reply(
        client, db, clock, make_user, organizer, inbox):
    firm, other = make_user(Role.FIRM, username="firm-zhou"), make_user(Role.FIRM, username="firm-wu")
    _returned([firm], clock)
    db.session.commit()                                     # delivered: sent
    clock.shift(timedelta(minutes=1))
    inbox.refuse, inbox.refuse_code = 1, 550
    _returned([other], clock, need="另一个需求")
    db.session.commit()                                     # refused for good: failed
    clock.shift(timedelta(minutes=1))
    inbox.refuse, inbox.refuse_code = 1, 451
    notify.tell("need.published", [firm], now=clock.now, need="第三个需求", deadline="2026-04-30 17:00")
    db.session.commit()                                     # refused for now: to be tried again
    sent, failed, retrying = db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id)).all()
    assert (sent.state, failed.state, retrying.state) == (MailState.SENT, MailState.FAILED, MailState.QUEUED)

    response = client.get("/organizer/mail")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _rows(html) == [(retrying.id, "queued"), (failed.id, "failed"), (sent.id, "sent")]
    row = html[html.index(f'data-mail="{failed.id}"'):html.index(f'data-mail="{sent.id}"')]
    assert "firm-wu@example.com" in row and "firm-wu" in row and "需求退回修改" in row and "发送失败" in row
    assert "550" in row and "Try again later" in row and failed.message_id.strip("<>") in row
    row = html[html.index(f'data-mail="{retrying.id}"'):html.index(f'data-mail="{failed.id}"')]
    assert "待重试" in row and "451" in row and "需求发布" in row
    row = html[html.index(f'data-mail="{sent.id}"'):]
    assert "已发送" in row and "data-reply" not in row.split("</tr>")[0]
    # only the failed message offers a resend
    assert re.findall(r'/organizer/mail/(\d+)/resend', html) == [str(failed.id)]
    assert 'href="/organizer/mail"' in html   # the organizer's menu


def test_held_and_digested_messages_and_the_digest_itself(client, db, clock, make_user, organizer):
    firm = make_user(Role.FIRM)
    db.session.add(MailPreference(user_id=firm.id, event="need.returned", mode=MailMode.DIGEST))
    _returned([firm], clock)
    db.session.commit()
    held = db.session.scalar(sa.select(MailMessage))
    html = client.get("/organizer/mail").get_data(as_text=True)
    assert _rows(html) == [(held.id, "held")] and "待并入每日摘要" in html

    clock.shift(timedelta(hours=10))                        # past 18:00 Beijing
    assert digest.write_digests(now=clock.now) == 1
    db.session.commit()
    made = db.session.scalar(sa.select(MailMessage).where(MailMessage.event == "digest"))
    html = client.get("/organizer/mail").get_data(as_text=True)
    assert _rows(html) == [(made.id, "queued"), (held.id, "digested")]
    assert "每日摘要" in html and "已并入每日摘要" in html

    page = client.get(f"/organizer/mail/{held.id}").get_data(as_text=True)
    assert f'href="/organizer/mail/{made.id}"' in page             # where it went
    page = client.get(f"/organizer/mail/{made.id}").get_data(as_text=True)
    assert f'href="/organizer/mail/{held.id}"' in page and "注塑件视觉检测" in page   # what it gathered


def test_the_log_is_searched_by_text_kind_of_event_and_state(client, db, clock, make_user, organizer):
    zhou = make_user(Role.FIRM, username="zhou-firm")
    wu = make_user(Role.FIRM, username="wu-firm", email="procurement@wu.example.cn")
    zhou.display_name, wu.display_name = "周经理", "吴经理"
    _returned([zhou], clock, need="百分之百_需求")
    notify.tell("need.published", [wu], now=clock.now, need="激光焊接", deadline="2026-04-30 17:00")
    notify.tell("account.created", [wu], now=clock.now, username="wu-firm")
    db.session.commit()
    by_event = {m.event: m.id for m in db.session.scalars(sa.select(MailMessage))}
    db.session.execute(sa.update(MailMessage).where(MailMessage.id == by_event["account.created"])
                       .values(state=MailState.FAILED, last_error="550 no such user"))
    db.session.commit()

    def found(**args) -> set[int]:
        response = client.get("/organizer/mail", query_string=args)
        assert response.status_code == 200
        return {i for i, _ in _rows(response.get_data(as_text=True))}

    everything = set(by_event.values())
    assert found() == everything
    assert found(q="PROCUREMENT@wu") == {by_event["need.published"], by_event["account.created"]}  # the address
    assert found(q="zhou-firm") == {by_event["need.returned"]}                                     # the username
    assert found(q="吴经理") == {by_event["need.published"], by_event["account.created"]}           # the name
    assert found(q="激光焊接") == {by_event["need.published"]}                                      # the subject
    assert found(q="%") == set() and found(q="_") == {by_event["need.returned"]}  # LIKE's wildcards are text
    assert found(event="need.published") == {by_event["need.published"]}
    assert found(state="failed") == {by_event["account.created"]}
    assert found(state="queued", q="wu-firm") == {by_event["need.published"]}
    assert found(event="digest") == set()
    assert found(event="no.such.event", state="lost") == everything   # an unknown choice filters nothing
    page = client.get("/organizer/mail", query_string={"event": "need.published"}).get_data(as_text=True)
    assert re.search(r'<option selected value="need.published">|<option value="need.published" selected', page)
    assert "需求发布（发榜企业）" in page


def test_the_log_is_paged_newest_first(app, client, db, clock, make_user, organizer):
    app.config["PAGE_SIZE"] = 3
    firm = make_user(Role.FIRM)
    for n in range(7):
        _returned([firm], clock, need=f"需求{n}")
        clock.shift(timedelta(minutes=1))
    db.session.commit()
    ids = list(db.session.scalars(sa.select(MailMessage.id).order_by(MailMessage.created_at.desc())))
    pages = [[i for i, _ in _rows(client.get(f"/organizer/mail?page={p}").get_data(as_text=True))]
             for p in (1, 2, 3)]
    assert pages == [ids[:3], ids[3:6], ids[6:]]
    assert [i for i, _ in _rows(client.get("/organizer/mail?page=40").get_data(as_text=True))] == ids[6:]
    assert "共 7 条" in client.get("/organizer/mail").get_data(as_text=True)


def test_a_page_of_the_log_runs_the_same_statements_whatever_the_number_of_messages(
        app, client, db, clock, make_user, organizer, count_queries):
    app.config["PAGE_SIZE"] = 50

    def statements() -> int:
        client.get("/organizer/mail")   # warm
        db.session.expunge_all()         # as in a request of its own: no account already loaded
        with count_queries() as queries:
            assert client.get("/organizer/mail").status_code == 200
        return len(queries)

    firms = [make_user(Role.FIRM) for _ in range(12)]
    ids = [f.id for f in firms]
    _returned(firms[:3], clock)
    db.session.commit()
    few = statements()
    firms = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()
    _returned(firms, clock, need="第二轮")
    notify.tell("account.created", firms, now=clock.now, username="x")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == 27
    assert statements() == few


def test_a_message_shows_its_text_escaped_and_never_its_html(client, db, clock, make_user, organizer):
    firm = make_user(Role.FIRM)
    _returned([firm], clock, need="<b>加粗</b>", comment="第一行\n<script>alert(1)</script>")
    db.session.commit()
    message = db.session.scalar(sa.select(MailMessage))
    assert "font-size" in message.body_html                 # the HTML mail exists, styled
    page = client.get(f"/organizer/mail/{message.id}").get_data(as_text=True)
    body = page[page.index('id="mail-body"'):]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in page
    assert "&lt;b&gt;加粗&lt;/b&gt;" in body and "第一行" in body
    assert "font-size" not in page and "<hr>" not in body
    assert message.message_id.strip("<>") in page and firm.email in page
    assert "/resend" not in page                            # queued: nothing to resend
    assert client.get("/organizer/mail/999999").status_code == 404


def test_a_failed_message_is_resent_with_its_message_id_and_recorded(client, db, clock, make_user, organizer, inbox):
    firm = make_user(Role.FIRM)
    inbox.refuse, inbox.refuse_code = 1, 554
    _returned([firm], clock)
    db.session.commit()
    message = db.session.scalar(sa.select(MailMessage))
    assert message.state == MailState.FAILED and inbox.messages == []
    page = client.get(f"/organizer/mail/{message.id}").get_data(as_text=True)
    assert "554 Try again later" in page and f"/organizer/mail/{message.id}/resend" in page

    clock.shift(timedelta(hours=1))
    response = client.post(f"/organizer/mail/{message.id}/resend", data={"next": "/organizer/mail?state=failed"})
    assert response.status_code == 303 and response.headers["Location"] == "/organizer/mail?state=failed"
    db.session.expire_all()
    assert message.state == MailState.SENT and message.attempts == 1 and message.last_error == ""
    assert inbox.message_ids() == [message.message_id]     # the same Message-ID
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail.resend"))
    assert event.object_type == "mail_message" and event.object_id == message.id
    assert event.actor_id == organizer.id
    detail = json.loads(event.detail)
    assert detail["last_error"] == "554 Try again later" and detail["recipient"] == firm.email
    assert "邮件已重新排队发送" in client.get("/organizer/mail?state=failed").get_data(as_text=True)

    # sent now: a second resend is refused, nothing recorded, and the button is gone
    response = client.post(f"/organizer/mail/{message.id}/resend")
    assert response.status_code == 409 and "只有发送失败的邮件可以重发" in response.get_data(as_text=True)
    assert f"/organizer/mail/{message.id}/resend" not in response.get_data(as_text=True)
    assert len(inbox.messages) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "mail.resend")) == 1
    # another site is never where the resend goes back to
    inbox.refuse, inbox.refuse_code = 1, 550
    _returned([firm], clock, need="再一个")
    db.session.commit()
    again = db.session.scalar(sa.select(MailMessage).where(MailMessage.state == MailState.FAILED))
    response = client.post(f"/organizer/mail/{again.id}/resend", data={"next": "//evil.example/"})
    assert response.headers["Location"] == f"/organizer/mail/{again.id}"


@pytest.mark.parametrize("role", [Role.FIRM, Role.TEAM, Role.JUDGE])
def test_only_the_organizer_has_the_log(client, db, clock, make_user, login, role):
    firm = make_user(Role.FIRM)
    _returned([firm], clock)
    db.session.commit()
    message = db.session.scalar(sa.select(MailMessage))
    login(make_user(role))
    assert client.get("/organizer/mail").status_code == 403
    assert client.get(f"/organizer/mail/{message.id}").status_code == 403
    assert 'href="/organizer/mail"' not in client.get("/notices/").get_data(as_text=True)
