"""Mail cannot be lost or doubled: a real `flask worker` delivers the outbox to a real SMTP server
(tests/mail_server.py) — each committed message once, with the Message-ID its row records; nothing from a change that
rolled back; a worker killed in the middle of a conversation loses nothing and the next one sends each message once;
an unreachable server or a refusal is tried again after its delay, a permanent refusal waits for the organizer's
resend. A reminder is told once; the daily digest gathers the day's held messages once. `flask mail-sink` keeps a
development instance's mail as .eml files.

The worker's queue is the SQLite file in the instance folder, or with CONTEST_TEST_DB=postgresql a throwaway Redis
server (as several machines would share it).
"""
from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.domain.states import MailMode, MailState, Role
from contest.extensions import db as _db
from contest.models import MailMessage, MailPreference, Notice, User
from contest.services import clock as app_clock, notify
from contest.services.jobs import queue
from contest.services.notify import delivery
from contest.worker import deliver_mail, sweep_jobs

from .conftest import TEST_DB
from .gunicorn_server import BIN, ROOT, wait_until
from .mail_server import html_of, inbox, smtp_server, smtp_session, text_of  # noqa: F401 (fixtures)
from .postgres import _free_port
from .test_servers import _redis

SENDER = "揭榜挂帅平台 <noreply@contest.example.cn>"
SITE = "https://contest.example.cn"
_names = count(1)


class Site:
    """The web side (this process: an app whose queue is the worker's) and what a worker is started with."""

    def __init__(self, app, env: dict, url: str, inbox, log: Path) -> None:
        self.app, self.env, self.inbox, self.log = app, env, inbox, log
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.emails: dict[int, str] = {}

    @contextmanager
    def worker(self, **settings: str):
        """A `flask worker` process, stopped gracefully at the end (it must exit cleanly)."""
        process = self.start(**settings)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                assert process.wait(timeout=30) == 0, self.log.read_text(errors="replace")[-3000:]

    def start(self, **settings: str) -> subprocess.Popen:
        with open(self.log, "ab") as out:
            return subprocess.Popen([str(BIN / "flask"), "--app", "contest", "worker", "--workers", "2"], cwd=ROOT,
                                    env={**self.env, **settings}, stdout=out, stderr=subprocess.STDOUT)

    def users(self, n: int) -> list[int]:
        with self.app.app_context():
            people = [User(username=f"mailer{k}", password_hash="-", role=Role.JUDGE, display_name=f"收件人{k}",
                           email=f"mailer{k}@example.com") for k in (next(_names) for _ in range(n))]
            _db.session.add_all(people)
            _db.session.commit()
            self.emails.update({u.id: u.email for u in people})
            return [u.id for u in people]

    def tell(self, user_ids: list[int], need: str, *, commit: bool = True) -> None:
        """The need published, told to these users in one transaction, committed or rolled back."""
        with self.app.app_context():
            users = [_db.session.get(User, i) for i in user_ids]
            notify.tell("need.published", users, now=app_clock.now(), link=notify.path("public.index"),
                        need=need, deadline="2026-04-30 17:00")
            if commit:
                _db.session.commit()
            else:
                _db.session.rollback()

    def rows(self, user_ids: list[int]) -> list:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(MailMessage.user_id, MailMessage.message_id, MailMessage.state,
                                          MailMessage.attempts, MailMessage.last_error, MailMessage.claimed_at,
                                          MailMessage.next_attempt_at, MailMessage.id)
                                .where(MailMessage.user_id.in_(user_ids)).order_by(MailMessage.id)).all()

    def open_transactions(self, within: float = 10.0) -> list:
        """On PostgreSQL, the statements of the other connections that stay idle in a transaction: polled for up to
        `within` seconds, since a worker busy between two statements of a short transaction (another message's
        claim, on a loaded machine) is idle in it for a moment too."""
        if self.engine.dialect.name != "postgresql":
            return []
        deadline = time.monotonic() + within
        while True:
            with self.engine.connect() as conn:
                found = conn.scalars(sa.text(
                    "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).all()
            if not found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def all_sent(self, user_ids: list[int]) -> bool:
        found = self.rows(user_ids)
        return bool(found) and all(r.state == MailState.SENT for r in found)

    def received(self, user_ids: list[int]) -> Counter:
        """How many times each Message-ID reached the server, of the mail to these users."""
        addresses = {self.emails[i] for i in user_ids}
        with self.inbox.lock:
            return Counter(str(m["Message-ID"]) for m in self.inbox.messages
                           if parseaddr(str(m["To"]))[1] in addresses)


@pytest.fixture(scope="module")
def site(tmp_path_factory, databases):
    """One database, one SMTP server and one queue (the instance's SQLite file, or Redis on PostgreSQL) for the
    module's real-worker tests; each test starts its own workers."""
    tmp = tmp_path_factory.mktemp("mail")
    instance, storage = tmp / "instance", tmp / "storage"
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "mail-worker-secret"\n')
    url = databases.fresh(tmp / "db")
    with ExitStack() as stack:
        port, box = stack.enter_context(smtp_server())
        settings = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "MAIL_FROM": SENDER, "PUBLIC_BASE_URL": SITE,
                    "MAIL_RETRY_DELAYS": "2,2"}
        if TEST_DB == "postgresql":  # several machines share a Redis queue
            settings["JOBS_URL"] = stack.enter_context(_redis())
        env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(storage),
               **settings}
        for name in ("SECRET_KEY", "MAIL_STALE_AFTER", "JOB_STALE_AFTER"):
            env.pop(name, None)
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setenv("CONTEST_INSTANCE", str(instance))
        patch.delenv("DATABASE_URL", raising=False)
        app = create_app({"TESTING": True, "JOBS_IMMEDIATE": False, "SECRET_KEY": "mail-worker-secret",
                          "SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(storage),
                          "UPLOAD_FOLDER": str(storage / "uploads"), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port,
                          "MAIL_FROM": SENDER, "PUBLIC_BASE_URL": SITE, "JOBS_URL": settings.get("JOBS_URL"),
                          "MAIL_RETRY_DELAYS": settings["MAIL_RETRY_DELAYS"]})
        found = Site(app, env, url, box, tmp / "worker.log")
        yield found
        found.engine.dispose()
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def fresh_inbox(site):
    site.inbox.clear()
    yield site.inbox
    site.inbox.clear()


# --- a worker delivers what was committed, once, and nothing else ------------------------------------------------

def test_a_worker_delivers_each_committed_message_once_and_nothing_of_a_rolled_back_change(site, fresh_inbox):
    told, rolled_back, later = site.users(3), site.users(1), site.users(1)
    site.tell(told, "高精度注塑件在线视觉检测")
    site.tell(rolled_back, "撤销的需求", commit=False)
    with site.app.app_context():
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage)
                                  .where(MailMessage.user_id.in_(rolled_back))) == 0
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(Notice)
                                  .where(Notice.user_id.in_(rolled_back))) == 0
    with site.worker():
        wait_until(lambda: site.all_sent(told), "the committed messages sent")
        site.tell(later, "之后的需求")  # a later round of the worker: the rolled-back change is still not sent
        wait_until(lambda: site.all_sent(later), "a later message sent")
    rows = site.rows(told)
    assert [r.attempts for r in rows] == [1, 1, 1] and all(r.last_error == "" for r in rows)
    assert site.received(told) == Counter({r.message_id: 1 for r in rows})
    assert site.received(rolled_back) == Counter() and len(site.received(later)) == 1
    for row in rows:
        [mail] = [m for m in fresh_inbox.messages if str(m["Message-ID"]) == row.message_id]
        assert str(mail["From"]) == SENDER and mail["Auto-Submitted"] == "auto-generated"
        text, html = text_of(mail), html_of(mail)
        assert str(mail["Subject"]) == "您的需求“高精度注塑件在线视觉检测”已发布"
        assert "已通过审核并在需求榜单上发布，揭榜截止时间为 2026-04-30 17:00" in text and f"{SITE}/" in text
        assert "高精度注塑件在线视觉检测" in html and f'href="{SITE}/' in html


# --- a worker killed in the middle of a conversation ----------------------------------------------------------------

def test_a_worker_killed_mid_delivery_loses_nothing_and_the_next_sends_each_message_once(site, fresh_inbox):
    told = site.users(3)
    fresh_inbox.hold = hold = threading.Event()  # the server waits at RCPT
    first = site.start()
    try:
        site.tell(told, "被打断的投递")
        assert fresh_inbox.holding.wait(timeout=60), site.log.read_text(errors="replace")[-3000:]
        # the worker talks to the server with no transaction open (a database may cut such a connection: the
        # message sent and never marked); SQLite keeps no read transaction open for a SELECT anyway
        assert site.open_transactions() == []
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    fresh_inbox.hold = None
    hold.set()
    rows = site.rows(told)
    taken = [r for r in rows if r.state == MailState.SENDING]
    assert taken and all(r.state in (MailState.SENDING, MailState.QUEUED) for r in rows)
    assert site.received(told) == Counter()

    def stale() -> bool:  # claimed longer ago than the next worker's MAIL_STALE_AFTER
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        return all(now - r.claimed_at > timedelta(seconds=1.5) for r in taken)
    wait_until(stale, "the killed worker's claims older than MAIL_STALE_AFTER")
    with site.worker(MAIL_STALE_AFTER="1"):
        wait_until(lambda: site.all_sent(told), "every message sent by the next worker")
    rows = site.rows(told)
    assert site.received(told) == Counter({r.message_id: 1 for r in rows})
    assert sorted(r.attempts for r in rows if r.id in {t.id for t in taken}) == [2] * len(taken)


# --- refusals ----------------------------------------------------------------------------------------------------

def test_refused_and_unreachable_mail_is_tried_again_and_a_permanent_refusal_waits_for_the_resend(site, fresh_inbox):
    unreachable, refused_for_good, refused_once = site.users(3), site.users(1), site.users(1)
    jobs = queue.queue_of(site.app)
    jobs.huey.flush()  # an empty queue: what the rounds below plan is all it holds
    port, site.app.config["SMTP_PORT"] = site.app.config["SMTP_PORT"], _free_port()  # nothing listens there
    try:
        site.tell(unreachable, "服务器不可达")
        with site.app.app_context():
            deliver_mail()  # two rounds of delivery, as a worker runs them
            deliver_mail()
    finally:
        site.app.config["SMTP_PORT"] = port
    rows = site.rows(unreachable)
    assert [(r.state, r.attempts) for r in rows] == [(MailState.QUEUED, 1), (MailState.QUEUED, 1),
                                                   (MailState.QUEUED, 0)]  # a round stops at the dead server
    assert "ConnectionRefusedError" in rows[0].last_error and "ConnectionRefusedError" in rows[1].last_error
    planned = [t.eta for t in jobs.huey.pending() if t.name == "deliver_mail" and t.eta is not None]
    assert len(planned) == 1  # one round planned for both, not one each
    assert planned[0] >= rows[0].next_attempt_at  # after the first retry delay, not at once

    with site.worker():
        wait_until(lambda: site.all_sent(unreachable), "the mail sent once the server answers")
        assert [r.attempts for r in site.rows(unreachable)] == [2, 2, 1]
        assert site.received(unreachable) == Counter({r.message_id: 1 for r in rows})

        fresh_inbox.refuse, fresh_inbox.refuse_code = 1, 550
        site.tell(refused_for_good, "地址不存在")
        wait_until(lambda: site.rows(refused_for_good)[0].state == MailState.FAILED, "the 550 recorded")

        fresh_inbox.refuse, fresh_inbox.refuse_code = 1, 451
        site.tell(refused_once, "稍后再试")
        waiting = wait_until(lambda: [r for r in site.rows(refused_once) if r.attempts == 1
                                      and r.state == MailState.QUEUED], "the 451 recorded, the message waiting")
        assert waiting[0].last_error == "451 Try again later"
        wait_until(lambda: site.all_sent(refused_once), "the message sent at its second attempt")
        [sent] = site.rows(refused_once)
        assert (sent.attempts, sent.last_error) == (2, "") and site.received(refused_once) == {sent.message_id: 1}

        # the permanent refusal was not tried again meanwhile (its retry would have been due before the other's)
        [failed] = site.rows(refused_for_good)
        assert (failed.state, failed.attempts, failed.last_error) == (MailState.FAILED, 1, "550 Try again later")
        assert site.received(refused_for_good) == Counter()
        with site.app.app_context():
            delivery.resend(_db.session.get(MailMessage, failed.id), now=app_clock.now())
            _db.session.commit()
        wait_until(lambda: site.all_sent(refused_for_good), "the resent message sent")
    [resent] = site.rows(refused_for_good)
    assert resent.attempts == 1 and site.received(refused_for_good) == {failed.message_id: 1}


# --- in this process, on the frozen clock --------------------------------------------------------------------------

def test_a_reminder_told_in_a_change_that_rolls_back_tells_no_one_and_told_again_tells_once(app, db, clock, inbox,
                                                                                          make_user):
    judge = make_user(Role.JUDGE)
    db.session.commit()

    def remind() -> None:  # a keyed tell, as the sweep's reminders: each person hears of it once
        notify.tell("judge.reminded", [judge], now=clock.now, key="review_due:test", count=2, edition="第八届",
                    due="2026-05-20")

    def written() -> tuple[int, int]:
        with db.engine.connect() as other:
            return tuple(other.scalar(sa.select(sa.func.count()).select_from(table).where(table.user_id == judge.id))
                         for table in (Notice, MailMessage))

    remind()
    db.session.rollback()
    assert written() == (0, 0) and inbox.to(judge.email) == []
    for _ in range(2):
        remind()
        db.session.commit()
    assert written() == (1, 1) and [str(m["Subject"]) for m in inbox.to(judge.email)] == ["提醒：您还有 2 份评分表未提交"]


def test_the_daily_digest_gathers_the_held_messages_once_after_the_digest_hour(app, db, clock, inbox, make_user):
    firm, other = make_user(Role.FIRM), make_user(Role.FIRM)
    db.session.add(MailPreference(user_id=firm.id, event="need.published", mode=MailMode.DIGEST))
    db.session.commit()
    clock(datetime(2026, 3, 10, 2, 0))  # 10:00 Beijing

    def published(need: str) -> None:
        notify.tell("need.published", [firm, other], now=clock.now, link=notify.path("public.index"), need=need,
                    deadline="2026-04-30 17:00")
        db.session.commit()

    published("视觉检测")
    clock.shift(timedelta(hours=3))
    published("焊缝识别")
    assert [str(m["Subject"]) for m in inbox.to(firm.email)] == []  # held for the digest
    assert len(inbox.to(other.email)) == 2  # the other firm chose nothing: at once

    clock(datetime(2026, 3, 10, 9, 59))  # 17:59 Beijing: not yet
    sweep_jobs()
    assert inbox.to(firm.email) == []
    clock(datetime(2026, 3, 10, 10, 1))
    sweep_jobs()
    [digest] = inbox.to(firm.email)
    assert str(digest["Subject"]) == "揭榜挂帅平台每日摘要（2026-03-10）：2 条通知"
    text = text_of(digest)
    assert "1. 您的需求“视觉检测”已发布" in text and "2. 您的需求“焊缝识别”已发布" in text
    assert "揭榜截止时间为 2026-04-30 17:00" in text and f"{SITE}/" in text and "焊缝识别" in html_of(digest)

    clock.shift(timedelta(minutes=30))  # after today's digest: an event waits for tomorrow's
    published("涂层检测")
    sweep_jobs()
    sweep_jobs()
    assert len(inbox.to(firm.email)) == 1
    clock(datetime(2026, 3, 11, 10, 1))
    sweep_jobs()
    sweep_jobs()
    tomorrow = inbox.to(firm.email)[1:]
    assert [str(m["Subject"]) for m in tomorrow] == ["揭榜挂帅平台每日摘要（2026-03-11）：1 条通知"]
    assert "涂层检测" in text_of(tomorrow[0]) and "视觉检测" not in text_of(tomorrow[0])
    held = db.session.scalars(sa.select(MailMessage).where(MailMessage.user_id == firm.id)
                              .order_by(MailMessage.id)).all()
    assert [m.state for m in held] == [MailState.DIGESTED, MailState.DIGESTED, MailState.SENT,
                                       MailState.DIGESTED, MailState.SENT]
    assert held[0].digest_id == held[1].digest_id == held[2].id and held[3].digest_id == held[4].id
    assert all(Counter(inbox.message_ids()).get(m.message_id, 0) == (m.state == MailState.SENT) for m in held)


# --- the development sink ----------------------------------------------------------------------------------------

def test_the_mail_sink_keeps_each_message_as_an_eml_file(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "sink-secret"\n')
    port = _free_port()
    env = {**os.environ, "CONTEST_INSTANCE": str(instance)}
    env.pop("SECRET_KEY", None)
    with open(tmp_path / "sink.log", "wb") as out:
        sink = subprocess.Popen([str(BIN / "flask"), "--app", "contest", "mail-sink", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        mail = EmailMessage()
        mail["Subject"], mail["From"], mail["To"] = "本地测试", SENDER, "firm@example.com"
        mail.set_content("正文")

        def sent() -> bool:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                smtp.send_message(mail)
            return True
        wait_until(sent, "the sink taking a message")
        [kept] = wait_until(lambda: list((instance / "mail").glob("*.eml")), "the .eml file")
        kept_mail = message_from_bytes(kept.read_bytes(), policy=policy.default)
        assert (str(kept_mail["Subject"]), kept_mail.get_content().strip()) == ("本地测试", "正文")
    finally:
        sink.terminate()
        sink.wait(timeout=30)
