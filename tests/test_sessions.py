"""Sessions: a new one at log-in; logout, a password change or a disabled account end them everywhere."""
import pytest
import sqlalchemy as sa

from contest import create_app
from contest.config import from_environment
from contest.domain.states import Role
from contest.models import AuditEvent, User

from .conftest import PASSWORD

NEW_PASSWORD = "a-much-longer-passphrase"


def log_in(client, user, password=PASSWORD):
    response = client.post("/auth/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def is_logged_in(client) -> bool:
    """The firm's, team's or judge's home answers 200 to its user; anonymous users are sent to log in."""
    response = client.get("/auth/me")
    return response.status_code == 302 and "/auth/login" not in response.headers["Location"]


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def thief_with(app, cookie: str):
    """Another browser (or another app server) holding a copy of the session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


@pytest.fixture
def firm_user(make_user, db):
    user = make_user(Role.FIRM)
    db.session.commit()
    return user


@pytest.fixture
def organizer(make_user, db):
    user = make_user(Role.ORGANIZER)
    db.session.commit()
    return user


# --- log-in: a new session ------------------------------------------------------------------------

def test_nothing_from_before_the_login_survives_it(client, firm_user):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["csrf_token"] = "known-to-the-attacker"
    log_in(client, firm_user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "known-to-the-attacker"
        assert session["_user_id"] == str(firm_user.id)


def test_the_session_cookie_changes_at_login(client, firm_user):
    client.get("/auth/login?lang=en")
    before = session_cookie(client)
    log_in(client, firm_user)
    assert session_cookie(client) != before
    # the language chosen on the login page is kept: it is no secret
    assert 'lang="en"' in client.get("/firm/needs").get_data(as_text=True)


def test_a_session_from_an_older_generation_is_refused(client, firm_user, db):
    log_in(client, firm_user)
    assert is_logged_in(client)
    with client.session_transaction() as session:
        session["_generation"] = firm_user.session_generation - 1
    assert not is_logged_in(client)


def test_a_session_without_a_generation_is_refused(client, firm_user):
    with client.session_transaction() as session:
        session["_user_id"] = str(firm_user.id)
        session["_fresh"] = True
    assert not is_logged_in(client)


def test_an_inactive_account_is_refused_even_with_a_current_session(client, firm_user, db):
    log_in(client, firm_user)
    firm_user.active = False  # set behind the service's back: the loader still refuses it
    db.session.commit()
    assert not is_logged_in(client)


# --- logout ends every session --------------------------------------------------------------------

def test_logout_ends_the_session_on_every_browser_and_server(app, client, firm_user, db):
    log_in(client, firm_user)
    stolen = session_cookie(client)
    laptop = app.test_client()
    log_in(laptop, firm_user)
    assert is_logged_in(thief_with(app, stolen)) and is_logged_in(laptop)

    before = firm_user.session_generation
    assert client.post("/auth/logout").status_code == 302

    assert db.session.get(User, firm_user.id).session_generation == before + 1
    assert not is_logged_in(client)
    assert not is_logged_in(laptop)
    assert not is_logged_in(thief_with(app, stolen))
    assert thief_with(app, stolen).get("/firm/needs").headers["Location"].startswith("/auth/login")
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.logout")).actor_id == firm_user.id


def test_logging_in_again_after_logout_works(client, firm_user):
    log_in(client, firm_user)
    client.post("/auth/logout")
    log_in(client, firm_user)
    assert is_logged_in(client)


# --- password change -----------------------------------------------------------------------------

def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/auth/password", data={"current": current, "password": new,
                                               "confirm": new if confirm is None else confirm})


def test_password_page_needs_a_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, firm_user, db):
    log_in(client, firm_user)
    page = client.get("/auth/password")
    assert page.status_code == 200 and "当前密码" in page.get_data(as_text=True)
    stolen = session_cookie(client)
    phone = app.test_client()
    log_in(phone, firm_user)

    response = change(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/firm/")
    assert is_logged_in(client)  # this browser was logged in again at the new generation
    assert not is_logged_in(phone)
    assert not is_logged_in(thief_with(app, stolen))

    anonymous = app.test_client()
    assert anonymous.post("/auth/login", data={"username": firm_user.username, "password": PASSWORD}).status_code == 401
    log_in(anonymous, firm_user, NEW_PASSWORD)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password_change"))
    assert event.actor_id == firm_user.id


@pytest.mark.parametrize("kwargs,message", [
    ({"current": "not-the-password"}, "当前密码不正确"),
    ({"new": PASSWORD}, "新密码不能与当前密码相同"),
    ({"new": "short-pw"}, "密码至少 10 位"),
    ({"new": "qwertyuiop"}, "过于常见"),
    ({"confirm": "something-different"}, "两次输入的密码不一致"),
])
def test_a_refused_password_change_changes_nothing(app, client, firm_user, db, kwargs, message):
    log_in(client, firm_user)
    phone = app.test_client()
    log_in(phone, firm_user)
    generation, hash_before = firm_user.session_generation, firm_user.password_hash

    response = change(client, **kwargs)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, firm_user.id)
    assert user.password_hash == hash_before and user.session_generation == generation
    assert is_logged_in(client) and is_logged_in(phone)


# --- disabling an account ---------------------------------------------------------------------------

def test_disabling_an_account_ends_its_sessions_and_log_ins(app, client, organizer, make_user, db):
    judge = make_user(Role.JUDGE)
    db.session.commit()
    judge_browser = app.test_client()
    log_in(judge_browser, judge)
    assert is_logged_in(judge_browser)
    stolen, generation = session_cookie(judge_browser), judge.session_generation

    log_in(client, organizer)
    assert f"/organizer/users/{judge.id}/disable" in client.get("/organizer/users").get_data(as_text=True)
    response = client.post(f"/organizer/users/{judge.id}/disable")
    assert response.status_code == 302
    assert "已停用账号" in client.get(response.headers["Location"]).get_data(as_text=True)

    assert not is_logged_in(judge_browser)
    assert judge_browser.post("/auth/login", data={"username": judge.username, "password": PASSWORD}).status_code == 401
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.disable"))
    assert event.actor_id == organizer.id and event.object_id == judge.id

    assert client.post(f"/organizer/users/{judge.id}/enable").status_code == 302
    enabled = db.session.get(User, judge.id)
    assert enabled.active and enabled.session_generation == generation + 1
    assert not is_logged_in(thief_with(app, stolen))  # sessions from before the disabling stay dead
    log_in(judge_browser, judge)
    assert is_logged_in(judge_browser)


def test_an_organizer_cannot_disable_their_own_account(client, organizer, db):
    log_in(client, organizer)
    response = client.post(f"/organizer/users/{organizer.id}/disable")
    assert response.status_code == 400 and "不能停用自己的账号" in response.get_data(as_text=True)
    assert db.session.get(User, organizer.id).active and is_logged_in(client)


def test_only_organizers_disable_accounts(client, firm_user, make_user, db):
    other = make_user(Role.FIRM)
    db.session.commit()
    log_in(client, firm_user)
    assert client.post(f"/organizer/users/{other.id}/disable").status_code == 403
    assert db.session.get(User, other.id).active


def test_disabling_an_unknown_account_is_404(client, organizer):
    log_in(client, organizer)
    assert client.post("/organizer/users/99999/disable").status_code == 404


# --- cookies -----------------------------------------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite_lax(client, firm_user):
    response = log_in(client, firm_user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP unless configured


def test_session_cookie_is_secure_when_configured(tmp_path, databases, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        from contest.extensions import db

        user = User(username="secure-user", role=Role.ORGANIZER, display_name="组织方")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        response = client.post("https://localhost/auth/login",
                               data={"username": "secure-user", "password": PASSWORD})
        assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("0", False), ("no", False)])
def test_session_cookie_secure_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    assert from_environment()["SESSION_COOKIE_SECURE"] is expected


def test_no_remember_me(client, firm_user):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'name="remember' not in html
    response = client.post("/auth/login", data={"username": firm_user.username, "password": PASSWORD,
                                                 "remember": "y"})
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert all("remember_token" not in c for c in response.headers.getlist("Set-Cookie"))
