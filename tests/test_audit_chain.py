"""The audit trail is append-only and chained: the database refuses UPDATE and DELETE on
SQLite and on PostgreSQL (whatever CONTEST_TEST_DB is), and `check` reports a missing or disabled trigger;
verify_chain() finds every edited or removed event by its id, and a chain rebuilt without the key (plain
SHA-256, another key); the chain stays whole when many sessions append at once, and the append lock is held
only for the commit.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from contest import create_app
from contest.domain.states import Role
from contest.extensions import db as _db
from contest.models import AuditEvent, User
from contest.services.records import audit, chain as audit_chain
from contest.services.records.chain import (
    BROKEN, EDITED, GENESIS, TRIGGER_ALTERED, UNKEYED, Violation, chain_head, verify_append_only, verify_chain,
)

from . import postgres

DIALECTS = ["sqlite", "postgresql"]
_names = iter(range(1, 10_000))


# --- a migrated database of each kind, whatever CONTEST_TEST_DB is ------------------------------------------

@pytest.fixture(scope="module")
def pg_cluster():
    with postgres.cluster() as cluster:
        yield cluster


@pytest.fixture(params=DIALECTS)
def dialect_app(request, tmp_path, monkeypatch):
    """An app on an empty database of the parametrized kind, migrated to head with Alembic."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'chain.sqlite'}"
    else:
        url = request.getfixturevalue("pg_cluster").create(f"chain_{next(_names)}")
    app = create_app({"TESTING": True, "SECRET_KEY": "chain", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads"), "FROZEN_NOW": datetime(2026, 3, 10, 2, 0)})
    with app.app_context():
        upgrade()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def record_events(count: int, start: int = 0) -> None:
    """`count` committed events with varied content (a newline, Chinese, microseconds)."""
    for n in range(start, start + count):
        audit.record(None, "test.event", None, {"n": n, "text": f"第 {n} 条\n换行"})
        _db.session.commit()


def event_ids() -> list[int]:
    return list(_db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)))


@contextmanager
def triggers_bypassed(connection):
    """Statements of an intruder with direct access to the database: the append-only triggers do not fire."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield
        return
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'").all()
    assert len(triggers) == 2
    for name, _ in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        for _, sql in triggers:
            connection.exec_driver_sql(sql)


def tamper(statement) -> None:
    """Run one statement on audit_event behind the app's back, bypassing the triggers."""
    _db.session.remove()
    with _db.engine.begin() as connection, triggers_bypassed(connection):
        connection.execute(statement)


# --- append-only -------------------------------------------------------------------------------------------

def test_the_database_refuses_update_and_delete_of_an_audit_event(dialect_app):
    record_events(3)
    before = _db.session.execute(sa.select(AuditEvent.id, AuditEvent.detail, AuditEvent.hash)).all()
    for statement in (sa.update(AuditEvent).values(detail="{}"),
                      sa.update(AuditEvent).where(AuditEvent.id == 2).values(action="user.login"),
                      sa.delete(AuditEvent).where(AuditEvent.id == 3),
                      sa.delete(AuditEvent),
                      sa.text("UPDATE audit_event SET ip = '10.0.0.1'"),
                      sa.text("DELETE FROM audit_event")):
        with pytest.raises(IntegrityError, match="append-only"):
            _db.session.execute(statement.execution_options(synchronize_session=False)
                                if isinstance(statement, (sa.Update, sa.Delete)) else statement)
        _db.session.rollback()
    assert _db.session.execute(sa.select(AuditEvent.id, AuditEvent.detail, AuditEvent.hash)).all() == before


def test_the_orm_cannot_change_an_event_either(dialect_app):
    record_events(1)
    event = _db.session.scalar(sa.select(AuditEvent))
    event.detail = json.dumps({"n": 99})
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    _db.session.delete(_db.session.scalar(sa.select(AuditEvent)))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    assert json.loads(_db.session.scalar(sa.select(AuditEvent.detail)))["n"] == 0


@pytest.mark.parametrize("dialect_app", ["postgresql"], indirect=True)
def test_postgresql_still_lets_the_tests_truncate_the_trail(dialect_app):
    """tests/databases.py empties the shared PostgreSQL test database with TRUNCATE between tests."""
    record_events(2)
    _db.session.remove()
    with _db.engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_event RESTART IDENTITY CASCADE")
    assert event_ids() == []
    record_events(1)  # a new chain starts from the beginning
    assert verify_chain() == [] and _db.session.scalar(sa.select(AuditEvent.prev_hash)) == GENESIS


def test_a_fork_of_the_chain_is_refused_by_the_database(dialect_app):
    record_events(2)
    head = chain_head()
    _db.session.remove()
    forged = {"id": head.id + 10, "actor_id": None, "action": "user.login", "object_type": "user_account",
              "object_id": 1, "detail": "{}", "ip": "", "created_at": datetime(2026, 3, 10),
              "prev_hash": _db.session.scalar(sa.select(AuditEvent.prev_hash).where(AuditEvent.id == head.id)),
              "hash": "f" * 64}
    with pytest.raises(IntegrityError):  # a second successor of the same event
        with _db.engine.begin() as connection:
            connection.execute(sa.insert(AuditEvent.__table__).values(**forged))
    assert verify_chain() == []


def test_events_recorded_before_the_chain_existed_are_chained_by_the_migration(tmp_path, monkeypatch, request):
    """Migration 0005 seals them with plain SHA-256: accepted up to AUDIT_CHAIN_PLAIN_THROUGH, reported without."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    for dialect in DIALECTS:
        url = (f"sqlite:///{tmp_path / 'old.sqlite'}" if dialect == "sqlite"
               else request.getfixturevalue("pg_cluster").create(f"old_{next(_names)}"))
        app = create_app({"TESTING": True, "SECRET_KEY": "old", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0004")
            with _db.engine.begin() as connection:
                for n in range(5):
                    connection.execute(sa.text(
                        "INSERT INTO audit_event (action, object_type, object_id, detail, ip, created_at) "
                        "VALUES ('need.create', 'need', :n, :detail, '10.1.1.1', :at)"),
                        {"n": n, "detail": json.dumps({"name": f"需求 {n}"}, ensure_ascii=False),
                         "at": datetime(2025, 1, 1, 8, 0, 0, 1000 * n)})
            upgrade()
            assert verify_chain() == [Violation(f"audit_event {n}", UNKEYED) for n in range(1, 6)], dialect
            app.config["AUDIT_CHAIN_PLAIN_THROUGH"] = 5  # the operator names the last event sealed without key
            assert verify_chain() == [], dialect
            assert len(event_ids()) == 5
            record_events(1)
            assert verify_chain() == [], dialect
            _db.session.remove()
            _db.engine.dispose()


# --- verification ------------------------------------------------------------------------------------------

def test_a_normal_history_verifies_clean(app, client, db, make_user):
    organizer = make_user(Role.ORGANIZER)
    db.session.commit()
    address = {"REMOTE_ADDR": "198.51.100.4"}
    client.post("/auth/login", data={"username": organizer.username, "password": "wrong"}, environ_base=address)
    client.post("/auth/login", data={"username": organizer.username, "password": "test-pass-123"},
                environ_base=address)
    client.get("/team/", environ_base=address)  # refused: recorded
    client.post("/auth/logout", environ_base=address)
    # Events added directly, one with microseconds and one with an aware time, and one by relationship.
    db.session.add(AuditEvent(action="test.direct", object_type="need", object_id=1,
                              created_at=datetime(2026, 3, 9, 15, 30, 5, 123456)))
    db.session.add(AuditEvent(action="test.aware", object_type="need", object_id=2,
                              created_at=datetime(2026, 3, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))))
    db.session.add(AuditEvent(actor=organizer, action="test.actor", object_type="need"))
    db.session.commit()
    record_events(3)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[:4] == ["user.login_failed", "user.login", "access.denied", "user.logout"]
    assert len(actions) == 10
    assert verify_chain() == []
    rows = db.session.execute(sa.select(AuditEvent.prev_hash, AuditEvent.hash).order_by(AuditEvent.id)).all()
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:]))
    assert db.session.scalar(sa.select(AuditEvent.actor_id).where(AuditEvent.action == "test.actor")) == organizer.id
    assert db.session.scalar(sa.select(AuditEvent.created_at).where(AuditEvent.action == "test.aware")) \
        == datetime(2026, 3, 10, 2, 0)
    assert chain_head() == audit_chain.ChainHead(event_ids()[-1], rows[-1].hash)


@pytest.mark.parametrize("column, value", [
    ("detail", '{"reason": "改过的理由"}'),
    ("actor_id", None),
    ("action", "need.approve"),
    ("object_id", 42),
    ("ip", "10.9.9.9"),
    ("created_at", datetime(2025, 12, 31, 23, 59)),
])
def test_an_edited_event_is_reported_by_its_id(app, db, monkeypatch, make_user, column, value):
    monkeypatch.setattr(audit_chain, "BATCH", 3)  # read in several batches
    actor = make_user(Role.ORGANIZER)
    for n in range(8):
        audit.record(actor, "need.approve" if column != "action" else "need.reject", actor, {"n": n})
        db.session.commit()
    ids = event_ids()
    tamper(sa.update(AuditEvent.__table__).where(AuditEvent.id == ids[5]).values({column: value}))
    assert verify_chain() == [Violation(f"audit_event {ids[5]}", EDITED)]


def test_an_edited_event_whose_hash_was_recomputed_breaks_the_link_to_the_next(app, db):
    record_events(6)
    ids = event_ids()
    row = db.session.execute(sa.select(AuditEvent).where(AuditEvent.id == ids[2])).scalar_one()
    forged = audit_chain.event_hash(row.id, row.actor_id, row.action, row.object_type, row.object_id, '{"n": -1}',
                                    row.ip, row.created_at, row.prev_hash)
    tamper(sa.update(AuditEvent.__table__).where(AuditEvent.id == ids[2]).values(detail='{"n": -1}', hash=forged))
    assert verify_chain() == [Violation(f"audit_event {ids[3]}", BROKEN)]


@pytest.mark.parametrize("removed", [[0], [3], [2, 3, 4], [0, 5]])
def test_a_removed_event_is_reported_at_the_one_that_follows_it(app, db, removed):
    record_events(7)
    ids = event_ids()
    tamper(sa.delete(AuditEvent.__table__).where(AuditEvent.id.in_([ids[i] for i in removed])))
    following = sorted({next(i for i in range(r + 1, len(ids)) if i not in removed) for r in removed})
    assert verify_chain() == [Violation(f"audit_event {ids[i]}", BROKEN) for i in following]


def test_a_removal_from_the_end_shows_only_as_a_different_head(app, db):
    """The documented limit: without an anchor kept elsewhere, a cut tail leaves a valid (shorter) chain."""
    record_events(5)
    noted = chain_head()
    tamper(sa.delete(AuditEvent.__table__).where(AuditEvent.id == noted.id))
    assert verify_chain() == []
    assert chain_head() != noted and chain_head().id < noted.id


def test_an_empty_trail_verifies_clean_and_has_no_head(app, db):
    assert verify_chain() == [] and chain_head() is None


def _rebuild_chain(seal) -> None:
    """Re-hash every event in id order with `seal(*fields)`, as an intruder with database access would after
    editing rows (the triggers bypassed)."""
    rows = _db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id)).all()
    _db.session.remove()
    with _db.engine.begin() as connection, triggers_bypassed(connection):
        prev_hash = GENESIS
        for row in rows:
            digest = seal(row.id, row.actor_id, row.action, row.object_type, row.object_id, row.detail, row.ip,
                          row.created_at, prev_hash)
            connection.execute(sa.update(AuditEvent.__table__).where(AuditEvent.id == row.id)
                               .values(prev_hash=prev_hash, hash=digest))
            prev_hash = digest


def check_output(app) -> tuple[int, list[str]]:
    """`flask check`'s exit status and its lines after the first (the chain's head)."""
    result = app.test_cli_runner().invoke(args=["check"])
    return result.exit_code, result.output.splitlines()[1:]


def _another_key(*fields) -> str:
    return audit_chain.event_hash(*fields, key=b"a key the intruder chose")


@pytest.mark.parametrize("seal, finding", [(audit_chain.plain_hash, UNKEYED), (_another_key, EDITED)],
                         ids=["plain SHA-256", "another key"])
def test_a_chain_rebuilt_without_the_key_is_reported_by_check(dialect_app, seal, finding):
    record_events(4)
    assert check_output(dialect_app) == (0, ["检查完成：未发现问题"])
    tamper(sa.update(AuditEvent.__table__).where(AuditEvent.id == 2).values(detail='{"n": "改过"}'))
    _rebuild_chain(seal)  # every link consistent again, as far as anyone without the key can make it
    assert verify_chain() == [Violation(f"audit_event {n}", finding) for n in range(1, 5)]
    text = {UNKEYED: "审计记录的哈希未用审计链密钥计算", EDITED: "审计记录的哈希与内容不符（记录被修改）"}[finding]
    code, lines = check_output(dialect_app)
    assert code == 1 and lines[-1] == "检查完成：4 项问题"
    assert [line.split(":")[0] for line in lines[:-1]] == [f"audit_event {n}" for n in range(1, 5)]
    assert all(text in line for line in lines[:-1])


def test_the_key_comes_from_audit_chain_key_or_else_from_the_secret_key(dialect_app):
    record_events(2)
    assert verify_chain() == []
    dialect_app.config["SECRET_KEY"] = "another secret"  # the derived key changes with it
    assert verify_chain() == [Violation(f"audit_event {n}", EDITED) for n in (1, 2)]
    dialect_app.config["AUDIT_CHAIN_KEY"] = "the chain's own key"
    record_events(1, start=2)
    dialect_app.config["SECRET_KEY"] = "chain"  # the key set: the secret key no longer matters to new events
    assert verify_chain() == [Violation(f"audit_event {n}", EDITED) for n in (1, 2)]
    del dialect_app.config["AUDIT_CHAIN_KEY"]
    assert verify_chain() == [Violation("audit_event 3", EDITED)]


def test_plain_hashed_events_after_the_configured_id_are_reported(dialect_app):
    record_events(3)
    dialect_app.config["AUDIT_CHAIN_PLAIN_THROUGH"] = 2
    _rebuild_chain(audit_chain.plain_hash)
    assert verify_chain() == [Violation("audit_event 3", UNKEYED)]


def alter_triggers(*statements: str) -> None:
    """Change audit_event's triggers behind the app's back, as an intruder with database access would."""
    _db.session.remove()
    with _db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_check_reports_each_missing_append_only_trigger_by_name(dialect_app):
    record_events(1)
    assert verify_append_only() == []
    names = list(audit_chain.APPEND_ONLY_TRIGGERS[_db.engine.dialect.name])
    on_table = " ON audit_event" if _db.engine.dialect.name == "postgresql" else ""
    alter_triggers(*(f"DROP TRIGGER {name}{on_table}" for name in names))
    code, lines = check_output(dialect_app)
    assert code == 1 and lines == [
        *(f"audit_event: 审计表缺少只追加触发器 {name}：数据库不再拒绝修改或删除审计记录" for name in names),
        f"检查完成：{len(names)} 项问题"]
    assert verify_chain() == []  # the chain itself is untouched


def test_check_reports_a_disabled_or_emptied_append_only_trigger(dialect_app):
    if _db.engine.dialect.name == "postgresql":
        alter_triggers("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        trigger, operations = "audit_event_append_only", "UPDATE DELETE"
    else:  # the same name, a body that refuses nothing
        alter_triggers("DROP TRIGGER audit_event_no_delete",
                       "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT 1; END")
        trigger, operations = "audit_event_no_delete", "DELETE"
    assert verify_append_only() == [Violation("audit_event", TRIGGER_ALTERED,
                                              {"trigger": trigger, "operations": operations})]
    code, lines = check_output(dialect_app)
    assert code == 1 and lines == [f"audit_event: 审计表的只追加触发器 {trigger} 已被停用或改动，不再拒绝 {operations}",
                                   "检查完成：1 项问题"]


# --- recording is transactional -----------------------------------------------------------------------------

def test_events_of_a_rolled_back_transaction_or_savepoint_are_dropped(app, db):
    audit.record(None, "test.rolled_back", None)
    db.session.rollback()
    audit.record(None, "test.kept", None)
    with db.session.begin_nested() as savepoint:
        audit.record(None, "test.in_savepoint", None)
        savepoint.rollback()
    with db.session.begin_nested():
        audit.record(None, "test.in_released_savepoint", None)
    db.session.commit()
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["test.kept", "test.in_released_savepoint"]
    assert verify_chain() == []


def test_an_event_is_visible_to_its_own_transaction_before_the_commit(app, db):
    audit.record(None, "test.visible", None, {"a": 1})
    assert db.session.scalar(sa.select(AuditEvent.action)) == "test.visible"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def _advisory_locks(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").scalar()


@pytest.mark.parametrize("dialect_app", ["postgresql"], indirect=True)
def test_the_append_lock_is_held_only_from_the_commit(dialect_app):
    observer = sa.create_engine(_db.engine.url, poolclass=sa.pool.NullPool)
    audit.record(None, "test.long_request", None)
    _db.session.scalar(sa.select(sa.func.count(User.id)))  # the request goes on: other queries, autoflush
    assert _advisory_locks(observer) == 0
    _db.session.commit()
    assert _advisory_locks(observer) == 0  # released with the transaction
    assert _db.session.scalar(sa.select(AuditEvent.action)) == "test.long_request"
    observer.dispose()


# --- many writers at once -----------------------------------------------------------------------------------

THREADS, EVENTS_EACH = 8, 12


def _append_from_thread(app, barrier: threading.Barrier, worker: int, errors: list) -> None:
    """One server's requests: its own app context, session and connection, each event its own transaction."""
    try:
        with app.app_context():
            barrier.wait()
            for n in range(EVENTS_EACH):
                _db.session.scalar(sa.select(sa.func.count(User.id)))  # the request's reads come first
                audit.record(None, "test.parallel", None, {"worker": worker, "n": n})
                _db.session.commit()
            _db.session.remove()
    except Exception as e:  # reported by the test, not lost in the thread
        errors.append(e)


def test_parallel_appends_keep_one_valid_complete_chain(dialect_app):
    """Eight sessions on eight connections append at once; the chain has every event exactly once, in one line."""
    barrier, errors = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=_append_from_thread, args=(dialect_app, barrier, w, errors))
               for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _db.session.remove()
    details = [json.loads(d) for d in _db.session.scalars(sa.select(AuditEvent.detail).order_by(AuditEvent.id))]
    assert sorted((d["worker"], d["n"]) for d in details) == [(w, n) for w in range(THREADS)
                                                              for n in range(EVENTS_EACH)]
    for w in range(THREADS):  # each worker's events in the order it committed them
        assert [d["n"] for d in details if d["worker"] == w] == list(range(EVENTS_EACH))
    assert verify_chain() == []
