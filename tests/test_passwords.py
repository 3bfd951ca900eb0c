"""Passwords: at least 10 characters, long ones welcome, the most common refused, scrypt hashes."""
import pytest
import sqlalchemy as sa
from stdnum.cn import uscc
from werkzeug.security import generate_password_hash

from contest.demo.seed import PASSWORD as DEMO_PASSWORD
from contest.domain.errors import Invalid
from contest.domain.states import Role
from contest.models import User
from contest.security import PASSWORD_MAX, PASSWORD_MIN, common_passwords, password_problem
from contest.services import accounts

from .conftest import PASSWORD

COMMON_LONG_ONES = ["1234567890", "qwertyuiop", "QwErTyUiOp", "1q2w3e4r5t", "woaini1314", "WOAINI1314",
                    "Password123", "a123456789", "1qaz2wsx3edc", " 0123456789 "]


def count_users(db, username) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(User.username == username))


# --- the rule itself --------------------------------------------------------------------------------

def test_the_rule(app):
    assert PASSWORD_MIN == 10 and PASSWORD_MAX >= 64
    assert password_problem("nine-char") == "密码至少 10 位"
    assert password_problem("ten-chars!") is None
    assert password_problem("xk3-lamp-9q") is None  # 11 characters, not common
    assert password_problem("x" * 64 + "-long-passphrase") is None
    assert password_problem("y" * PASSWORD_MAX) is None
    assert password_problem("y" * (PASSWORD_MAX + 1)) == f"密码不能超过 {PASSWORD_MAX} 位"


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "demo-pass-2024", "test-pass-123"])
def test_the_demo_and_test_passwords_stay_valid(app, password):
    assert password_problem(password) is None


@pytest.mark.parametrize("password", COMMON_LONG_ONES)
def test_common_passwords_are_refused_whatever_their_case(app, password):
    assert password_problem(password) == "该密码过于常见，容易被猜中，请换一个"


def test_the_common_list_holds_the_well_known_ones():
    common = common_passwords()
    assert len(common) >= 300
    for password in ("123456", "password", "12345678", "qwerty", "111111", "123456789", "1234567890",
                     "iloveyou", "a1b2c3d4", "woaini1314", "qq123456"):
        assert password in common
    assert all(p == p.strip().lower() for p in common)


def test_the_password_may_not_be_the_username(app):
    assert password_problem("zhang.wei.2024", "Zhang.Wei.2024") == "密码不能与用户名相同"


def test_the_service_refuses_what_the_rule_refuses(app, db):
    with pytest.raises(Invalid, match="至少 10 位"):
        accounts.create_user(None, role=Role.JUDGE, username="j1", password="nine-char", display_name="J")
    with pytest.raises(Invalid, match="过于常见"):
        accounts.create_user(None, role=Role.JUDGE, username="j1", password="qwertyuiop", display_name="J")
    assert count_users(db, "j1") == 0


# --- hashes --------------------------------------------------------------------------------------------

def test_passwords_are_stored_as_scrypt_hashes(app, db):
    user = accounts.create_user(None, role=Role.JUDGE, username="j2", password="a-fine-passphrase",
                                display_name="J")
    assert user.password_hash.startswith("scrypt:")
    assert "a-fine-passphrase" not in user.password_hash and user.check_password("a-fine-passphrase")


def test_an_older_hash_is_upgraded_to_scrypt_at_login(client, make_user, db):
    user = make_user(Role.JUDGE)
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    db.session.commit()
    assert client.post("/auth/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    upgraded = db.session.get(User, user.id)
    assert upgraded.password_hash.startswith("scrypt:") and upgraded.check_password(PASSWORD)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_user, db):
    user = make_user(Role.FIRM)
    db.session.commit()
    wrong = client.post("/auth/login", data={"username": user.username, "password": "wrong-password"})
    unknown = client.post("/auth/login", data={"username": "no-such-user", "password": "wrong-password"})
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.get_data(as_text=True) and "用户名或密码错误" in unknown.get_data(as_text=True)


# --- everywhere a password is chosen ----------------------------------------------------------------------

def registration(username, password):
    body = "91330200MA2AB1234"
    return {"account-username": username, "account-display_name": "周敏", "account-email": "",
            "account-phone": "", "account-password": password, "account-confirm": password,
            "org-name": "宁波口令测试有限公司", "org-kind": "enterprise", "org-credit_code": body + uscc.calc_check_digit(body),
            "org-region_code": "330212", "org-nature_code": "150", "org-address": "宁波市鄞州区", "org-legal_rep": "陈立",
            "org-contact_name": "周敏", "org-contact_phone": "13800000000"}


@pytest.mark.parametrize("password,message", [
    ("nine-char", "密码至少 10 位"),
    ("QWERTYUIOP", "过于常见"),
    ("woaini1314", "过于常见"),
    ("newfirm-pw", None),  # ten characters: accepted
    ("x" * 129, "密码不能超过 128 位"),
])
def test_registration_applies_the_rule(client, db, password, message):
    response = client.post("/auth/register/firm", data=registration("pwfirm", password))
    if message is None:
        assert response.status_code == 302
        assert db.session.scalar(sa.select(User).where(User.username == "pwfirm")).password_hash.startswith("scrypt:")
    else:
        assert response.status_code == 400 and message in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_registration_accepts_a_long_passphrase(client, db):
    passphrase = "correct horse battery staple, 宁波 2026 — " * 2  # 80 characters
    assert len(passphrase) >= 64
    assert client.post("/auth/register/firm", data=registration("longpass", passphrase)).status_code == 302
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": "longpass", "password": passphrase}).status_code == 302


def test_registration_refuses_the_username_as_password(client, db):
    response = client.post("/auth/register/firm", data=registration("ningbo-firm-01", "ningbo-firm-01"))
    assert response.status_code == 400 and "密码不能与用户名相同" in response.get_data(as_text=True)


@pytest.fixture
def organizer(make_user, login):
    return login(make_user(Role.ORGANIZER))


def new_user(password):
    return {"role": "judge", "username": "judge-li", "display_name": "李专家", "email": "", "phone": "",
            "password": password, "confirm": password, "org_id": "0"}


@pytest.mark.parametrize("password,message", [("nine-char", "密码至少 10 位"), ("1q2w3e4r5t", "过于常见")])
def test_organizer_created_users_follow_the_rule(client, organizer, db, password, message):
    response = client.post("/organizer/users/new", data=new_user(password))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count_users(db, "judge-li") == 0
    assert client.post("/organizer/users/new", data=new_user("ten-chars!")).status_code == 302
    assert count_users(db, "judge-li") == 1


@pytest.mark.parametrize("password,message", [("nine-char", "密码至少 10 位"), ("Password123", "过于常见")])
def test_the_create_user_command_follows_the_rule(runner, db, password, message):
    result = runner.invoke(args=["create-user", "--role", "judge", "--username", "cli-judge", "--name", "J",
                                 "--password", password])
    assert result.exit_code != 0 and message in result.output
    assert count_users(db, "cli-judge") == 0
    result = runner.invoke(args=["create-user", "--role", "judge", "--username", "cli-judge", "--name", "J",
                                 "--password", "cli-judge-passphrase"])
    assert result.exit_code == 0, result.output


def test_password_change_accepts_a_long_passphrase(client, make_user, login, db):
    user = login(make_user(Role.TEAM))
    long_one = "my team's password is a whole sentence of sixty-four characters!"
    assert len(long_one) == 64
    response = client.post("/auth/password", data={"current": PASSWORD, "password": long_one, "confirm": long_one})
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed.check_password(long_one) and changed.password_hash.startswith("scrypt:")
