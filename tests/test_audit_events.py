"""What the audit trail records, through real requests: log-ins, failed log-ins and log-outs,
refused accesses, downloads of bids and contracts, score saves, submissions and reopenings, winner decisions,
objections and their rulings, and contract actions, each with its actor, the UTC time and the client's address;
and a CR or LF in what a user types cannot forge an entry.
"""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import OperationalError

from contest import create_app
from contest.domain.rubric import Round
from contest.domain.states import EditionStage, NeedStatus, Role
from contest.extensions import db as _db
from contest.models import Assignment, AuditEvent, ScoreSheet, User
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for
from contest.services.records import audit, chain as audit_chain

from .conftest import PASSWORD, PDF
from .test_contracts import World as ContractWorld, issued, signed
from .test_standings import finals

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def from_address(client):
    """Every request of these tests comes from ADDRESS."""
    client.environ_base["REMOTE_ADDR"] = ADDRESS


def events(db, action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def recorded(db, clock, action: str, actor: User | None, **detail) -> AuditEvent:
    """The one latest event of `action`: by `actor`, from ADDRESS, at the app's UTC time, with this detail."""
    found = events(db, action)
    assert found, f"no {action} event"
    event = found[-1]
    assert event.actor_id == (actor.id if actor else None), action
    assert (event.ip, event.created_at) == (ADDRESS, clock.now), action
    stored = json.loads(event.detail)
    assert {k: stored.get(k) for k in detail} == detail, action
    return event


def log_in(client, user: User) -> None:
    with client.session_transaction() as session:
        session.clear()
    assert client.post("/auth/login", data={"username": user.username, "password": PASSWORD}).status_code == 302


# --- accounts ------------------------------------------------------------------------------------------------

def test_log_in_failed_log_in_and_log_out_are_recorded(client, db, clock, make_user):
    judge = make_user(Role.JUDGE)
    db.session.commit()
    refused = client.post("/auth/login", data={"username": judge.username, "password": "not-the-password"})
    assert refused.status_code == 401
    failed = recorded(db, clock, "user.login_failed", None, username=judge.username)
    assert (failed.object_type, failed.object_id) == ("user_account", judge.id)
    log_in(client, judge)
    recorded(db, clock, "user.login", judge)
    assert client.post("/auth/logout").status_code == 302
    recorded(db, clock, "user.logout", judge)
    assert audit_chain.verify_chain() == []


def test_behind_a_trusted_proxy_the_clients_own_address_is_recorded(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    url = databases.fresh(tmp_path / "proxied")
    app = create_app({"TESTING": True, "SECRET_KEY": "proxy", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                      "TRUSTED_PROXIES": 1})
    with app.app_context():
        response = app.test_client().post("/auth/login", data={"username": "nobody", "password": "whatever-it-is"},
                                          headers={"X-Forwarded-For": "198.51.100.23"},
                                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert response.status_code == 401
        assert _db.session.scalar(sa.select(AuditEvent.ip).where(AuditEvent.action == "user.login_failed")) \
            == "198.51.100.23"
        _db.session.remove()
        _db.engine.dispose()


def test_a_newline_in_a_username_cannot_forge_an_entry(client, db, clock, make_user):
    tried = "x\nauth.login admin\r\nuser.login organizer"
    response = client.post("/auth/login", data={"username": tried, "password": "whatever-it-is"})
    assert response.status_code == 401
    assert len(events(db, "user.login_failed")) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1   # one event, not three
    event = recorded(db, clock, "user.login_failed", None, username=tried)   # the exact string, kept
    assert "\n" not in event.detail and "\r" not in event.detail and "\\n" in event.detail
    # The organizer's audit page shows it on one line, escaped, as the one failed log-in it was.
    log_in(client, make_user(Role.ORGANIZER))
    page = client.get("/organizer/audit?action=user.login").get_data(as_text=True)
    assert page.count('data-action="user.login_failed"') == 1 and 'data-action="auth.login"' not in page
    assert "x\\nauth.login admin\\r\\nuser.login organizer" in page


def test_a_log_line_cannot_be_split_by_a_newline_in_the_path():
    assert audit.one_line("/a\r\n2026-03-10 INFO forged") == "/a\\r\\n2026-03-10 INFO forged"
    assert audit.one_line("C:\\n") == "C:\\\\n"  # a typed backslash-n stays distinguishable from an escaped LF


# --- refused accesses ------------------------------------------------------------------------------------------

def test_a_refused_access_is_recorded_with_its_path_and_method(client, db, clock, make_user):
    team_user = make_user(Role.TEAM)
    log_in(client, team_user)
    assert client.get("/organizer/").status_code == 403
    recorded(db, clock, "access.denied", team_user, method="GET", path="/organizer/")
    assert client.post("/judge/profile", data={"expertise": "x"}).status_code == 403
    recorded(db, clock, "access.denied", team_user, method="POST", path="/judge/profile")


def test_another_partys_object_is_recorded_as_not_found(client, db, clock, make_user, make_team, make_bid):
    bid = make_bid()
    intruder = make_team().owner
    log_in(client, intruder)
    for url in (f"/team/bids/{bid.id}", f"/team/bids/{bid.id}/file"):
        assert client.get(url).status_code == 404
        recorded(db, clock, "access.not_found", intruder, method="GET", path=url)
    assert events(db, "download.bid") == []


def test_repeated_not_found_requests_are_recorded_sparingly(client, db, clock, make_user, make_team, make_bid):
    """300 signed-in 404s, half of one path and half of as many others, write NOT_FOUND_LIMIT events: the
    first of each path until the limit; after the window the same path is recorded again."""
    bid = make_bid()
    intruder = make_team().owner
    log_in(client, intruder)
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    probed = f"/team/bids/{bid.id}"
    assert client.get(probed).status_code == 404
    first = recorded(db, clock, "access.not_found", intruder, method="GET", path=probed)
    for n in range(299):
        url = probed if n % 2 else f"/team/bids/{bid.id + 1000 + n}"
        assert client.get(url).status_code == 404, url
    found = events(db, "access.not_found")
    assert len(found) == audit.NOT_FOUND_LIMIT == 10
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before + audit.NOT_FOUND_LIMIT
    assert found[0].id == first.id and [json.loads(e.detail)["path"] for e in found[1:]] == \
        [f"/team/bids/{bid.id + 1000 + n}" for n in range(0, 18, 2)]
    other = make_team().owner  # another user's first 404 is theirs to be recorded
    log_in(client, other)
    assert client.get(probed).status_code == 404
    recorded(db, clock, "access.not_found", other, path=probed)
    log_in(client, intruder)
    clock.shift(audit.NOT_FOUND_WINDOW + timedelta(seconds=1))
    assert client.get(probed).status_code == 404
    assert client.get(probed).status_code == 404
    recorded(db, clock, "access.not_found", intruder, path=probed)
    assert len(events(db, "access.not_found")) == audit.NOT_FOUND_LIMIT + 2
    assert audit_chain.verify_chain() == []


def test_a_refusal_keeps_none_of_the_refused_requests_changes(app, client, db, clock, make_user):
    organizer = make_user(Role.ORGANIZER)
    name = organizer.display_name

    @app.route("/_test/half-done", methods=["POST"])
    def half_done():
        db.session.get(User, organizer.id).display_name = "半途改名"
        db.session.flush()
        abort(403)

    log_in(client, organizer)
    assert client.post("/_test/half-done").status_code == 403
    recorded(db, clock, "access.denied", organizer, path="/_test/half-done")
    db.session.expire_all()
    assert db.session.get(User, organizer.id).display_name == name


def test_a_refusal_that_cannot_be_recorded_is_still_a_refusal(client, db, make_user, monkeypatch):
    log_in(client, make_user(Role.FIRM))

    def database_gone(*args, **kwargs):
        raise OperationalError("INSERT INTO audit_event", {}, Exception("server closed the connection"))

    monkeypatch.setattr(audit, "record", database_gone)
    response = client.get("/organizer/")
    assert response.status_code == 403 and "无权访问" in response.get_data(as_text=True)
    assert events(db, "access.denied") == []


# --- downloads -------------------------------------------------------------------------------------------------

def test_each_download_of_a_bid_is_recorded(client, db, clock, edition, make_user, make_need, make_bid):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW))
    judge, organizer = make_user(Role.JUDGE), make_user(Role.ORGANIZER)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.commit()
    for user, url in ((bid.team.owner, f"/team/bids/{bid.id}/file"),
                      (organizer, f"/organizer/bids/{bid.id}/file"),
                      (judge, f"/judge/online/{bid.id}/file")):
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), url
        event = recorded(db, clock, "download.bid", user)
        assert (event.object_type, event.object_id) == ("bid", bid.id)
    assert len(events(db, "download.bid")) == 3


def test_contract_actions_and_downloads_are_recorded(client, db, clock, edition, make_user, make_need, make_team,
                                                     make_bid):
    world = ContractWorld(db, edition, make_user, make_need, make_team, make_bid)
    organizer = world.organizer
    log_in(client, organizer)
    contract = signed(client, world)
    for action in ("contract.draft", "contract.update", "contract.issue", "contract.sign"):
        event = recorded(db, clock, action, organizer)
        assert event.object_type == "contract"
    assert client.get(f"/organizer/contracts/{contract.id}/pdf").status_code == 200
    recorded(db, clock, "download.contract", organizer, file=f"{contract.number}.pdf")
    assert client.get(f"/organizer/contracts/{contract.id}/scan").status_code == 200
    recorded(db, clock, "download.contract_scan", organizer)
    r = client.post(f"/organizer/contracts/{contract.id}/payments",
                    data={"amount": "1000000", "received_on": "2026-03-10", "note": "银行回单",
                          "bank_receipt": "HD20260310001"})
    assert r.status_code == 302
    recorded(db, clock, "contract.payment", organizer)
    other = issued(client, world, world.awarded_need("另一项需求"))
    voided = client.post(f"/organizer/contracts/{other.id}/void", data={"reason": "乙方开户银行变更"})
    assert voided.status_code == 302
    recorded(db, clock, "contract.void", organizer, reason="乙方开户银行变更")
    redraft = recorded(db, clock, "contract.redraft", organizer, replaces=other.id)
    assert client.get(f"/organizer/contracts/{redraft.object_id}/draft.pdf").status_code == 200
    recorded(db, clock, "download.contract_draft", organizer)
    assert audit_chain.verify_chain() == []


def test_objections_their_evidence_downloads_and_rulings_are_recorded(client, db, clock, edition, make_user,
                                                                     make_need, make_team, make_bid):
    world = ContractWorld(db, edition, make_user, make_need, make_team, make_bid)
    clock(datetime(2026, 3, 3, 2, 0))  # within the objection window (the results were published on 1 March)
    filer = world.loser.team.owner
    log_in(client, filer)
    r = client.post(f"/team/needs/{world.need.id}/objection", content_type="multipart/form-data",
                    data={"reason": "第一名的现场演示数据与报告不符。", "evidence": (io.BytesIO(PDF), "现场记录.pdf")})
    assert r.status_code == 302
    filed = recorded(db, clock, "objection.file", filer, need=world.need.id, bid=world.bid.id)
    assert filed.object_type == "objection"
    log_in(client, world.organizer)
    assert client.get(f"/organizer/objections/{filed.object_id}/evidence").status_code == 200
    recorded(db, clock, "download.objection_evidence", world.organizer, file="现场记录.pdf")
    r = client.post(f"/organizer/objections/{filed.object_id}/rule", data={"decision": "upheld", "reason": "复核成立。"})
    assert r.status_code == 303
    recorded(db, clock, "objection.rule", world.organizer, decision="upheld", reason="复核成立。")
    reversed_award = recorded(db, clock, "need.award_reversed", world.organizer, bid=world.bid.id)
    assert (reversed_award.object_type, reversed_award.object_id) == ("need", world.need.id)
    assert audit_chain.verify_chain() == []


# --- scoring and the winner ------------------------------------------------------------------------------------

def test_score_saves_submissions_and_reopenings_are_recorded(client, db, clock, edition, make_user, make_need,
                                                            make_bid):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW))
    judge, organizer = make_user(Role.JUDGE), make_user(Role.ORGANIZER)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.commit()
    criteria = list(rubric_for(edition.id, Round.ONLINE).criteria)
    points = {f"points-{c.id}": v for c, v in zip(criteria, ["25", "20", "16", "12", "8"])}
    log_in(client, judge)
    assert client.post(f"/judge/online/{bid.id}", data={**points, "comment": "草稿", "version": "",
                                                         "save_draft": "1"}).status_code == 302
    recorded(db, clock, "sheet.save", judge)
    sheet = db.session.scalar(sa.select(ScoreSheet))
    assert client.post(f"/judge/online/{bid.id}", data={**points, "comment": "定稿", "version": str(sheet.version),
                                                         "submit_sheet": "1"}).status_code == 302
    recorded(db, clock, "sheet.submit", judge)
    log_in(client, organizer)
    assert client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": "分数录入有误"}).status_code == 302
    event = recorded(db, clock, "sheet.reopen", organizer, reason="分数录入有误")
    assert (event.object_type, event.object_id) == ("score_sheet", sheet.id)


def test_winner_decisions_are_recorded(client, db, clock, edition, make_user, make_need, make_bid):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    confirmed, (first, _second), panel = finals(db, make_need, make_bid, judges, make_user, [80, 70], [90, 60])
    declined, _, other_panel = finals(db, make_need, make_bid, judges, make_user, [80], [90])
    db.session.commit()
    log_in(client, panel[-1])  # the firm's representative
    assert client.post(f"/firm/needs/{confirmed.id}/confirm").status_code in (302, 303)
    recorded(db, clock, "need.confirm_winner", panel[-1], bid_id=first.id)
    log_in(client, other_panel[-1])
    assert client.post(f"/firm/needs/{declined.id}/decline", data={"reason": "方案与产线不匹配"}).status_code \
        in (302, 303)
    recorded(db, clock, "need.decline", other_panel[-1], reason="方案与产线不匹配")
