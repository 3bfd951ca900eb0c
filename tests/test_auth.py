"""Accounts: log in and out, safe redirects, self-registration, CSRF."""
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain.states import Role
from contest.models import AuditEvent, Organization, Team, User

from .conftest import PASSWORD, csrf_token_from


def test_login_lands_on_the_role_home(client, make_user, login):
    user = make_user(Role.FIRM)
    login(user)
    assert client.get("/auth/me").headers["Location"].endswith("/firm/")


def test_wrong_password(client, make_user, db):
    user = make_user(Role.TEAM)
    db.session.commit()
    r = client.post("/auth/login", data={"username": user.username, "password": "nope-nope"})
    assert r.status_code == 401 and "用户名或密码错误" in r.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user, db):
    user = make_user(Role.JUDGE, active=False)
    db.session.commit()
    r = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 401


def test_login_records_an_audit_event_with_address(client, make_user, db):
    user = make_user(Role.ORGANIZER)
    db.session.commit()
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.login"))
    assert event.actor_id == user.id and event.ip == "10.1.2.3"


@pytest.mark.parametrize("target,safe", [
    ("/firm/needs", True),
    ("/needs?q=视觉", True),
    ("https://evil.example/", False),
    ("//evil.example/", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("", False),
])
def test_next_only_to_this_site(client, make_user, db, target, safe):
    user = make_user(Role.FIRM)
    db.session.commit()
    r = client.post("/auth/login", query_string={"next": target},
                    data={"username": user.username, "password": PASSWORD})
    location = unquote(r.headers["Location"])
    if safe:
        assert location == target
    else:
        assert location == "/firm/"


def test_guarded_page_sends_anonymous_to_login_with_next(client):
    r = client.get("/firm/needs")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login?next=/firm/needs")


def test_logout_is_a_post(client, make_user, login):
    login(make_user(Role.FIRM))
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")
    assert client.get("/firm/needs").status_code == 302


def _code(body="91330200MA2AB1234"):
    return body + uscc.calc_check_digit(body)


def _org(prefix, **over):
    data = {f"{prefix}-name": "宁波示例智能装备有限公司", f"{prefix}-kind": "enterprise",
            f"{prefix}-credit_code": _code(), f"{prefix}-region_code": "330212",
            f"{prefix}-address": "宁波市鄞州区首南街道", f"{prefix}-legal_rep": "陈立",
            f"{prefix}-contact_name": "周敏", f"{prefix}-contact_phone": "13800000000",
            f"{prefix}-contact_email": "zm@example.cn", f"{prefix}-bank_name": "宁波银行",
            f"{prefix}-bank_account": "12345678901234",
            f"{prefix}-nature_code": "150" if over.get(f"{prefix}-kind", "enterprise") == "enterprise" else ""}
    data.update(over)
    return data


def _account(username="newfirm"):
    return {"account-username": username, "account-display_name": "周敏", "account-email": "",
            "account-phone": "", "account-password": "long-password", "account-confirm": "long-password"}


def test_firm_registers_with_its_organization(client, db):
    r = client.post("/auth/register/firm", data={**_account(), **_org("org")})
    assert r.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "newfirm"))
    assert user.role == Role.FIRM and user.organization.credit_code == _code()
    assert user.check_password("long-password") and user.password_hash != "long-password"


@pytest.mark.parametrize("code", ["91330200MA2AB12345", "123", "91330200MA2AB1234!"])
def test_wrong_credit_code_refused_nothing_saved(client, db, code):
    r = client.post("/auth/register/firm", data={**_account(), **_org("org", **{"org-credit_code": code})})
    assert r.status_code == 400
    assert "统一社会信用代码无效" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 0


def test_duplicate_username_refused_nothing_saved(client, db, make_user):
    make_user(Role.TEAM, username="taken")
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(Organization.id)))
    r = client.post("/auth/register/firm", data={**_account("taken"), **_org("org")})
    assert r.status_code == 409 and "已被使用" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == before


def test_empty_fields_get_chinese_messages(client):
    r = client.post("/auth/register/firm", data={})
    assert r.status_code == 400 and "此项必填" in r.get_data(as_text=True)


def test_team_registers_with_lead_org_and_members(client, db):
    data = {**_account("newteam"), **_org("org", **{"org-name": "宁波大学", "org-kind": "university",
                                                   "org-credit_code": _code("12330200420000000")}),
            "team-name": "智能感知揭榜团队", "team-leader_name": "王强", "team-leader_title": "教授",
            "members-0-name": "李娜", "members-0-organization_name": "宁波大学", "members-0-title": "副教授",
            "members-1-name": "赵磊", "members-1-organization_name": "宁波工程学院", "members-1-title": "讲师"}
    r = client.post("/auth/register/team", data=data)
    assert r.status_code == 302, r.get_data(as_text=True)
    team = db.session.scalar(sa.select(Team))
    assert team.name == "智能感知揭榜团队" and team.lead_org.name == "宁波大学"
    assert [(m.name, m.organization_name) for m in team.members] == [("李娜", "宁波大学"), ("赵磊", "宁波工程学院")]


def test_member_without_organization_refused(client, db):
    data = {**_account("t2"), **_org("org"), "team-name": "T", "team-leader_name": "L", "members-0-name": "李娜"}
    r = client.post("/auth/register/team", data=data)
    assert r.status_code == 400 and "请填写成员所在单位" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Team.id))) == 0


@pytest.fixture
def csrf_client(tmp_path, databases, monkeypatch):
    """A client of an app with CSRF protection on, as in production."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path)})
    assert app.config.get("WTF_CSRF_ENABLED", True)
    with app.app_context():
        from contest.extensions import db
        user = User(username="csrfuser", role=Role.ORGANIZER, display_name="组织方")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_post_without_csrf_token_is_refused(csrf_client):
    r = csrf_client.post("/auth/login", data={"username": "csrfuser", "password": PASSWORD})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)


def test_post_with_csrf_token_passes(csrf_client):
    token = csrf_token_from(csrf_client.get("/auth/login").get_data(as_text=True))
    r = csrf_client.post("/auth/login", data={"username": "csrfuser", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302


def test_a_user_name_differing_only_in_case_is_taken(client, db, make_user):
    make_user(Role.ORGANIZER, username="organizer", org=None)
    db.session.commit()
    r = client.post("/auth/register/firm", data={**_account("Organizer"), **_org("org")})
    assert r.status_code == 409 and "已被使用" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    from .conftest import PASSWORD

    r = client.post("/auth/login", data={"username": "ORGANIZER", "password": PASSWORD})   # one account, any case
    assert r.status_code == 302 and r.headers["Location"].endswith("/organizer/")
