"""SQLite safety: every connection keeps a write-ahead log and waits for locks, so the single-machine
default serves many users writing at once without "database is locked" (which the app would answer as 503)."""
from __future__ import annotations

from functools import partial

import sqlalchemy as sa

from contest import create_app
from contest.domain.choices import OrgKind
from contest.extensions import SQLITE_BUSY_TIMEOUT_MS, db
from contest.models import Organization

from .conftest import PASSWORD, PDF
from .e2e.live import make_app
from .races import BID_FORM, NEED_FORM, Browser, at_once, csrf_token, hidden, served

USERS = 20


def _pragmas(connection) -> tuple:
    return tuple(connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                 for name in ("journal_mode", "busy_timeout", "foreign_keys"))


def test_every_connection_to_a_sqlite_file_writes_ahead_and_waits_for_locks(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert SQLITE_BUSY_TIMEOUT_MS >= 10_000
        connections = [db.engine.connect() for _ in range(3)]   # three of the pool's connections at once
        try:
            assert [_pragmas(c) for c in connections] == [("wal", SQLITE_BUSY_TIMEOUT_MS, 1)] * 3
        finally:
            for c in connections:
                c.close()
            db.engine.dispose()


def test_an_in_memory_database_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        db.create_all()
        assert db.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
        assert db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
        db.session.add(Organization(name="内存数据库测试单位", kind=OrgKind.ENTERPRISE,
                                    credit_code="91330200MA2CDE0001", region_code="330200", address="宁波",
                                    legal_rep="张三", contact_name="李四", contact_phone="0574-1"))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 1
        db.session.remove()
        db.engine.dispose()


def test_twenty_users_logging_in_and_submitting_at_once_are_all_served(tmp_path):
    teams, firms = USERS * 7 // 10, USERS - USERS * 7 // 10
    with served(tmp_path, "sqlite", teams=teams, firms=firms, workers=2, threads=USERS // 2) as site:
        people = [(Browser(site.base), name) for name in site.world.teams + site.world.firms]
        log_ins = []
        for browser, name in people:
            token = csrf_token(browser.get("/auth/login").text)
            log_ins.append(partial(browser.post, "/auth/login", {"csrf_token": token, "username": name,
                                                                 "password": PASSWORD}))  # keeps the cookie
        logins = at_once(log_ins)
        assert [a.status for a in logins] == [302] * USERS, [(a.status, a.text[-300:]) for a in logins]

        need, edition = site.world.needs["open"], site.world.editions["open"]
        sends = []
        for i, (browser, _) in enumerate(people):
            if i < teams:
                form = browser.get(f"/team/needs/{need}/bid").text
                sends.append(browser.copy_of(f"/team/needs/{need}/bid", {
                    **BID_FORM, "approach": f"第 {i} 队的技术路线", "csrf_token": csrf_token(form),
                    "submission_key": hidden(form, "submission_key")}, ("pdf", f"报告{i}.pdf", PDF)))
            else:
                form = browser.get("/firm/needs/new").text
                sends.append(browser.copy_of("/firm/needs/new", {
                    **NEED_FORM, "name": f"同时提交的需求{i}", "edition": str(edition), "csrf_token": csrf_token(form),
                    "submission_key": hidden(form, "submission_key")}))
        answers = at_once(sends)
        assert [a.status for a in answers] == [302] * USERS, [(a.status, a.text[-300:]) for a in answers]
        assert all(a.location.startswith("/team/bids/") for a in answers[:teams])
        assert all(a.location.startswith("/firm/needs/") for a in answers[teams:])
        assert site.count("SELECT count(*) FROM bid WHERE need_id = :n", n=need) == teams
        assert site.count("SELECT count(*) FROM need WHERE name LIKE '同时提交的需求%'") == firms
        log = site.log.read_text(errors="replace")
        assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
