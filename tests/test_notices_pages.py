"""Every user's notices and notification settings, for each role: unread first, one marked read (one's own
only), all marked read, the menu's count; the settings page offers no "in the app only" for an event the rules
require to be mailed and refuses it when posted anyway; a saved choice decides how the next event is told."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from contest.domain.states import MailMode, MailState, Membership, Role
from contest.models import AuditEvent, MailMessage, MailPreference, Notice
from contest.services import notify
from contest.services.notify.compose import subject_of
from contest.services.notify.events import EVENTS, for_role

# For each role: an event the user may keep in the app only, and one the rules require to be mailed.
EVENTS_OF = {
    Role.ORGANIZER: (("judge.recused", {"judge": "评委甲", "bid": 7, "reason": "曾合作", "outcome": "已改派"}),
                     ("account.password_changed", {"username": "org", "when": "2026-03-10 10:00"})),
    Role.FIRM: (("need.published", {"need": "注塑件视觉检测", "deadline": "2026-04-30 17:00"}),
                ("need.returned", {"need": "注塑件视觉检测", "comment": "请补充预算依据"})),
    Role.TEAM: (("bid.submitted", {"need": "注塑件视觉检测", "when": "2026-03-10 10:00", "deadline": "2026-04-30 17:00"}),
                ("bid.identity_disclosed", {"need": "注塑件视觉检测", "reason": "报告第 2 页出现团队名称"})),
    Role.JUDGE: (("judge.reminded", {"edition": "第八届", "count": 3, "due": "2026-05-20"}),
                 ("judge.assigned", {"edition": "第八届", "count": 5, "due": "2026-05-20"})),
}
ROLES = [pytest.param(role, id=role.value) for role in EVENTS_OF]
BADGE = re.compile(r'id="nav-notices">[^<]*<span class="badge[^"]*">(\d+)</span>')


def field(kind: str) -> str:
    return "mode_" + kind.replace(".", "__")


def shown(html: str) -> list[tuple[int, bool]]:
    """(notice id, unread) of the list, in the page's order."""
    return [(int(i), u == "1") for i, u in re.findall(r'data-notice="(\d+)" data-unread="([01])"', html)]


def badge(html: str) -> int:
    found = BADGE.search(html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("role", ROLES)
def test_unread_first_one_read_then_all_read_and_the_menus_count(client, db, clock, make_user, login, role):
    (kind, params), _ = EVENTS_OF[role]
    user, stranger = make_user(role), make_user(role)
    told = []
    for n in range(3):
        notify.tell(kind, [user], now=clock.now, link="/notices/settings", **params)
        clock.shift(timedelta(minutes=1))
    notify.tell(kind, [stranger], now=clock.now, **params)
    db.session.commit()
    told = list(db.session.scalars(sa.select(Notice.id).where(Notice.user_id == user.id).order_by(Notice.id)))
    theirs = db.session.scalar(sa.select(Notice.id).where(Notice.user_id == stranger.id))
    login(user)

    html = client.get("/notices/").get_data(as_text=True)
    assert shown(html) == [(told[2], True), (told[1], True), (told[0], True)] and badge(html) == 3
    assert 'action="/notices/read"' in html
    assert subject_of(EVENTS[kind], params, "zh_CN") in html and 'href="/notices/settings"' in html

    response = client.post(f"/notices/{told[2]}/read")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(html) == [(told[1], True), (told[0], True), (told[2], False)]   # the unread ones first
    assert badge(html) == 2
    assert client.post(f"/notices/{told[2]}/read").status_code == 302            # read again: nothing to do

    # another user's notice, or none: 404, and it stays unread
    assert client.post(f"/notices/{theirs}/read").status_code == 404
    assert client.post("/notices/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notice, theirs).read_at is None
    assert badge(client.get("/notices/").get_data(as_text=True)) == 2

    response = client.post("/notices/read", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "全部通知已标为已读" in html and badge(html) == 0
    assert shown(html) == [(told[2], False), (told[1], False), (told[0], False)]
    assert 'action="/notices/read"' not in html                                   # nothing left to mark
    db.session.expire_all()
    assert db.session.get(Notice, theirs).read_at is None                         # only one's own


@pytest.mark.parametrize("role", ROLES)
def test_settings_keep_required_mail_and_decide_how_the_next_event_is_told(client, db, clock, make_user, login, role):
    (optional, optional_params), (required, required_params) = EVENTS_OF[role]
    user = login(make_user(role))
    html = client.get("/notices/settings").get_data(as_text=True)
    for event in for_role(role):
        row = html[html.index(f'data-event="{event.kind}"'):].split("</tr>")[0]
        assert f'name="{field(event.kind)}"' in row and 'value="digest"' in row
        assert ('value="app"' in row) != event.required, event.kind
    assert not [e for e in EVENTS.values() if role not in e.audience and f'data-event="{e.kind}"' in html]

    everything_immediate = {"language": "zh_CN", **{field(e.kind): "immediate" for e in for_role(role)}}
    # a crafted form: the required event in the app only
    response = client.post("/notices/settings", data={**everything_immediate, "language": "en",
                                                      field(required): "app"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MailPreference)) == 0
    assert user.language == "zh_CN"
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "notify.settings")) is None

    response = client.post("/notices/settings", data={**everything_immediate, "language": "en",
                                                      field(required): "digest", field(optional): "app"})
    assert response.status_code == 303
    db.session.expire_all()
    assert dict(db.session.execute(sa.select(MailPreference.event, MailPreference.mode)
                                   .where(MailPreference.user_id == user.id)).tuples().all()) == {
        required: MailMode.DIGEST, optional: MailMode.APP}
    assert user.language == "en"
    html = client.get("/notices/settings").get_data(as_text=True)
    assert "通知设置已保存" in html
    assert re.search(r'checked[^>]*value="digest"|value="digest"[^>]*checked',
                     html[html.index(f'data-event="{required}"'):].split("</tr>")[0])
    assert re.search(r'<option[^>]* selected[^>]* value="en"|<option[^>]* value="en"[^>]* selected', html)

    # the next events: the required one held for the digest, the other in the app only (no mail at all)
    notify.tell(required, [user], now=clock.now, **required_params)
    notify.tell(optional, [user], now=clock.now, **optional_params)
    db.session.commit()
    mails = db.session.execute(sa.select(MailMessage.event, MailMessage.state, MailMessage.language)
                               .where(MailMessage.user_id == user.id)).all()
    assert mails == [(required, MailState.HELD, "en")]
    texts = dict(db.session.execute(sa.select(Notice.event, Notice.text).where(Notice.user_id == user.id)).all())
    assert texts == {required: subject_of(EVENTS[required], required_params, "en"),
                     optional: subject_of(EVENTS[optional], optional_params, "en")}


def test_a_list_page_holds_page_size_notices_whatever_the_query_string_asks(app, client, db, clock, make_user, login):
    app.config["PAGE_SIZE"] = 2
    user = make_user(Role.FIRM)
    (kind, params), _ = EVENTS_OF[Role.FIRM]
    for _n in range(3):
        notify.tell(kind, [user], now=clock.now, **params)
    login(user)
    assert len(shown(client.get("/notices/?per_page=50").get_data(as_text=True))) == 2
    assert len(shown(client.get("/notices/?page=2&per_page=50").get_data(as_text=True))) == 1
    assert len(shown(client.get("/notices/?page=9").get_data(as_text=True))) == 1   # past the end: the last page


def test_an_account_waiting_to_join_reads_its_notices(client, db, clock, make_user, login):
    user = make_user(Role.FIRM)
    user.membership = Membership.PENDING
    notify.tell("account.created", [user], now=clock.now, username=user.username)
    login(user)
    html = client.get("/notices/").get_data(as_text=True)
    assert len(shown(html)) == 1 and badge(html) == 1
    assert client.get("/notices/settings").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/notices/", "/notices/settings"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
