"""Log-in throttling (10 a minute per address; per account counted in the database: an address locked out after
10 refusals, all addresses together slowed down by a growing delay; 429 in Chinese) and the log-in audit trail."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.config import Config
from contest.domain.states import Role
from contest.extensions import db as _db, limiter
from contest.models import AuditEvent, User

from .conftest import PASSWORD

TOO_MANY = "登录尝试过于频繁，请稍后再试"


@pytest.fixture
def throttled(tmp_path, databases, monkeypatch):
    """A client of an app with throttling on (as in production), its counters empty, and one user."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path)})
    with app.app_context():
        limiter.reset()
        user = User(username="alice", role=Role.ORGANIZER, display_name="组织方")
        user.set_password(PASSWORD)
        _db.session.add(user)
        _db.session.commit()
        yield app.test_client()
        limiter.reset()
        _db.session.remove()
        _db.engine.dispose()


START = datetime(2026, 3, 10, 2, 0)


@pytest.fixture
def second_server(throttled):
    """Another app on the same database, as a second server: its own in-memory limiter."""
    first = throttled.application
    app = create_app({key: first.config[key] for key in (
        "TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "RATELIMIT_ENABLED", "SQLALCHEMY_DATABASE_URI")})
    yield app.test_client()
    with app.app_context():
        _db.engine.dispose()


def attempt(client, username="alice", password="wrong-password", address="10.0.0.1"):
    return client.post("/auth/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_throttling_is_on_by_default():
    assert Config.RATELIMIT_ENABLED is True and Config.LOGIN_RATE_LIMIT == "10/minute"
    assert Config.RATELIMIT_STORAGE_URI == "memory://"


def test_eleventh_attempt_from_one_address_is_429(throttled):
    for n in range(10):  # different accounts: only the address is shared
        assert attempt(throttled, username=f"guess{n}").status_code == 401
    response = attempt(throttled, username="someone-else")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert TOO_MANY in html and 'lang="zh-CN"' in html and "navbar" in html  # the site's styled page
    assert response.headers["Retry-After"]
    # even the right password waits: the attacker may not keep trying from here
    assert attempt(throttled, password=PASSWORD).status_code == 429
    # another address is not held back
    assert attempt(throttled, password=PASSWORD, address="10.0.0.2").status_code == 302


def test_one_address_is_locked_out_of_an_account_while_its_owner_still_signs_in(throttled):
    app = throttled.application
    app.config["FROZEN_NOW"] = START
    for n in range(10):     # one address, spread over minutes: the per-minute limit of addresses does not bite
        app.config["FROZEN_NOW"] = START + timedelta(minutes=n)
        assert attempt(throttled, address="10.0.3.1").status_code == 401
    app.config["FROZEN_NOW"] = START + timedelta(minutes=10)
    limiter.reset()                                    # minutes have passed for the per-minute limit of addresses
    assert attempt(throttled, password=PASSWORD, address="10.0.3.1").status_code == 429   # even the right one
    assert attempt(throttled, password=PASSWORD, address="10.0.3.9").status_code == 302   # the owner, elsewhere
    app.config["FROZEN_NOW"] = START + timedelta(minutes=25)                            # the window has passed
    limiter.reset()                                    # (and the per-minute limit of addresses, long since)
    assert attempt(throttled, address="10.0.3.1").status_code == 401


def test_attempts_on_one_account_from_many_addresses_and_servers_meet_a_growing_delay(throttled, second_server):
    """Counted in the database: two servers (each with its own in-memory limiter) see the same failures."""
    servers = (throttled, second_server)
    for app in (throttled.application, second_server.application):
        app.config["FROZEN_NOW"] = START
    for n in range(10):
        assert attempt(servers[n % 2], address=f"10.0.1.{n}").status_code == 401
    response = attempt(second_server, address="10.0.2.1")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert attempt(throttled, username="ALICE ", address="10.0.2.2").status_code == 429   # the same account
    assert attempt(throttled, username="bob", address="10.0.2.3").status_code == 401       # not another one
    for app in (throttled.application, second_server.application):
        app.config["FROZEN_NOW"] = START + timedelta(seconds=1)
    assert attempt(throttled, address="10.0.2.4").status_code == 401                       # waited: one more try
    response = attempt(second_server, address="10.0.2.5")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"          # the delay doubles
    for app in (throttled.application, second_server.application):
        app.config["FROZEN_NOW"] = START + timedelta(seconds=3)
    assert attempt(second_server, password=PASSWORD, address="10.0.9.9").status_code == 302  # the owner


def test_successful_logins_do_not_count(throttled):
    """Colleagues behind one office address log in all morning: only refused attempts are counted."""
    for _ in range(15):
        assert attempt(throttled, password=PASSWORD).status_code == 302
    for n in range(10):
        assert attempt(throttled, username=f"guess{n}").status_code == 401
    assert attempt(throttled, password=PASSWORD).status_code == 429


def test_guessing_the_current_password_on_the_password_page_is_throttled(throttled):
    assert attempt(throttled, password=PASSWORD).status_code == 302
    for _ in range(10):
        response = throttled.post("/auth/password", data={"current": "a-wrong-guess", "password": "new-passphrase-1",
                                                          "confirm": "new-passphrase-1"})
        assert response.status_code == 400
    response = throttled.post("/auth/password", data={"current": PASSWORD, "password": "new-passphrase-1",
                                                      "confirm": "new-passphrase-1"})
    assert response.status_code == 429


def test_the_login_page_itself_is_not_throttled(throttled):
    for _ in range(15):
        assert throttled.get("/auth/login").status_code == 200


def test_429_as_json_for_api_clients(throttled):
    for n in range(10):
        attempt(throttled, username=f"guess{n}")
    response = throttled.post("/auth/login", data={"username": "x", "password": "y"},
                              headers={"Accept": "application/json"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 429 and TOO_MANY in response.get_json()["detail"]


def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(tmp_path, databases, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                      "TRUSTED_PROXIES": 1, "SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path)})
    with app.app_context():
        limiter.reset()
        client = app.test_client()

        def via_proxy(client_address, username):
            return client.post("/auth/login", data={"username": username, "password": "wrong-password"},
                               headers={"X-Forwarded-For": client_address})

        for n in range(10):
            assert via_proxy("203.0.113.7", f"guess{n}").status_code == 401
        assert via_proxy("203.0.113.7", "another").status_code == 429
        assert via_proxy("203.0.113.8", "yet-another").status_code == 401  # same proxy, another client
        limiter.reset()
        _db.session.remove()
        _db.engine.dispose()


# --- audit ---------------------------------------------------------------------------------------------

def test_failed_logins_are_audited_with_the_name_tried(client, make_user, db):
    user = make_user(Role.FIRM)
    db.session.commit()
    client.post("/auth/login", data={"username": user.username, "password": "wrong-password"},
                environ_base={"REMOTE_ADDR": "10.9.8.7"})
    client.post("/auth/login", data={"username": "nobody-by-this-name", "password": "wrong-password"})
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.login_failed")
                                .order_by(AuditEvent.id)).all()
    assert len(events) == 2
    known, unknown = events
    assert known.actor_id is None and known.object_id == user.id and known.ip == "10.9.8.7"
    assert user.username in known.detail
    assert unknown.actor_id is None and unknown.object_id is None and "nobody-by-this-name" in unknown.detail
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.username == "nobody-by-this-name")) == 0


def test_a_disabled_account_logging_in_is_a_failed_login(client, make_user, db):
    user = make_user(Role.JUDGE, active=False)
    db.session.commit()
    assert client.post("/auth/login", data={"username": user.username, "password": PASSWORD}).status_code == 401
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.login_failed"))
    assert event.object_id == user.id


def test_successful_logins_are_audited(client, make_user, db):
    user = make_user(Role.TEAM)
    db.session.commit()
    assert client.post("/auth/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.login"))
    assert event.actor_id == user.id and event.object_id == user.id
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.login_failed")) is None


def test_failed_logins_show_in_the_organizers_audit_log(client, make_user, db):
    organizer = make_user(Role.ORGANIZER)
    db.session.commit()
    client.post("/auth/login", data={"username": "mallory-guess", "password": "wrong-password"})
    client.post("/auth/login", data={"username": organizer.username, "password": PASSWORD})
    html = client.get("/organizer/audit?action=user.login_failed").get_data(as_text=True)
    assert "mallory-guess" in html
