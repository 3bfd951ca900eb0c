"""What the parties of a result, a contract or an account hear, by mail (a real SMTP server, tests/mail_server.py)
and in the app: an objection received and ruled (the reversal of an award), a contract issued with its
verification link, signed, accepted and paid, an account created, a password changed, a request to join an
organization and its decision. Each mail goes to the people concerned and to no one else, in their language,
with the site's absolute links; a change that rolls back tells no one.
"""
from __future__ import annotations

import io
import shutil
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest.domain.choices import OrgKind
from contest.domain.states import Membership, Role
from contest.extensions import db as _db
from contest.models import MailMessage, Notice, Objection, User
from contest.services import accounts, membership

from .conftest import PASSWORD, PDF
from .mail_server import inbox, smtp_session, text_of  # noqa: F401 (fixtures)
from .test_contracts import World, issued
from .test_objections import DURING, RULED, file_objection, published, rule, w  # noqa: F401 (fixtures)

SITE = "https://contest.example.cn"


def received(inbox) -> dict[str, list]:
    """The mail that arrived, by recipient address."""
    found: dict[str, list] = {}
    for message in list(inbox.messages):
        [to] = message["To"].addresses
        found.setdefault(to.addr_spec, []).append(message)
    return found


def one_each(inbox, users: list[User]) -> dict[str, object]:
    """Exactly one mail to each of these users and none to anyone else: their mail by username."""
    got = received(inbox)
    assert sorted(got) == sorted(u.email for u in users), sorted(got)
    assert all(len(messages) == 1 for messages in got.values()), {a: len(m) for a, m in got.items()}
    return {u.username: got[u.email][0] for u in users}


def body(message) -> str:
    return text_of(message)


# --- contracts: both parties, from issue to payment ----------------------------------------------------------

@pytest.fixture
def parties(db, edition, make_user, make_need, make_team, make_bid):
    """test_contracts' world (an awarded need, its winner, a loser, an organizer), with a colleague of the firm
    who reads English, and another firm and team with an awarded need of their own."""
    world = World(db, edition, make_user, make_need, make_team, make_bid)
    world.colleague = make_user(Role.FIRM, org=world.firm.organization, language="en")
    world.other_firm = make_user(Role.FIRM)
    world.other_team = make_team()
    other = make_need(firm=world.other_firm, name="其他企业的需求")
    make_bid(need=other, team=world.other_team)
    db.session.commit()
    return world


def test_both_parties_hear_of_their_contract_from_issue_to_payment(client, db, parties, login, inbox):
    world = parties
    login(world.organizer)
    contract = issued(client, world)
    firm, colleague, team = world.firm, world.colleague, world.team.owner
    verify = f"{SITE}/contracts/verify/{contract.verify_token}"
    mails = one_each(inbox, [firm, colleague, team])  # not the organizer, the loser, the other firm or team
    zh = mails[firm.username]
    assert zh["Subject"] == f"合同 {contract.number} 已出具"
    assert "需求“注塑件在线视觉检测”的技术开发合同 CIC8-NB-2024-001 已出具" in body(zh) and "合同金额 3,500,000.00 元" in body(zh)
    assert f"合同真伪可在此核验：{verify}" in body(zh) and f"查看：{verify}" in body(zh)
    assert body(mails[team.username]) == body(zh).replace(firm.display_name, team.display_name)
    en = mails[colleague.username]
    assert en["Subject"] == f"Contract {contract.number} is issued"
    assert "for 3,500,000.00 yuan" in body(en) and f"verified at {verify}" in body(en)
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == team.id, Notice.event == "contract.issued"))
    assert notice.link == f"/contracts/verify/{contract.verify_token}"

    inbox.clear()
    r = client.post(f"/organizer/contracts/{contract.id}/sign",
                    data={"signed_on": "2026-03-10", "scan": (io.BytesIO(PDF), "已签合同.pdf")})
    assert r.status_code == 302
    mails = one_each(inbox, [firm, colleague, team])
    assert mails[firm.username]["Subject"] == f"合同 {contract.number} 已登记签订"
    assert f"合同 {contract.number} 已于 2026-03-10 签订" in body(mails[team.username])
    assert mails[colleague.username]["Subject"] == f"Contract {contract.number} is recorded as signed"
    assert f"查看：{verify}" in body(mails[firm.username])

    inbox.clear()
    first = contract.instalments[0]
    r = client.post(f"/organizer/contracts/{contract.id}/acceptances",
                    data={"description": "样机通过中期验收", "accepted_on": "2026-03-10", "instalment_id": first.id})
    assert r.status_code == 302
    mails = one_each(inbox, [firm, colleague, team])
    assert mails[team.username]["Subject"] == f"合同 {contract.number} 登记了一次验收"
    assert "于 2026-03-10 登记验收：样机通过中期验收" in body(mails[firm.username])
    assert "acceptance recorded on 2026-03-10: 样机通过中期验收" in body(mails[colleague.username])

    inbox.clear()
    for amount in ("1000000", "500000"):
        r = client.post(f"/organizer/contracts/{contract.id}/payments",
                        data={"amount": amount, "received_on": "2026-03-10", "bank_receipt": f"HD-{amount}"})
        assert r.status_code == 302
    got = received(inbox)
    assert sorted(got) == sorted([firm.email, colleague.email, team.email])
    second = got[team.email][-1]
    assert second["Subject"] == f"合同 {contract.number} 登记到账 500,000.00 元"
    assert "登记到账 500,000.00 元（2026-03-10），累计到账 1,500,000.00 元" in body(second)
    assert got[colleague.email][-1]["Subject"] == f"Contract {contract.number}: payment of 500,000.00 yuan recorded"
    assert "1,500,000.00 yuan received in all" in body(got[colleague.email][-1])


# --- objections: received, ruled, an award reversed ----------------------------------------------------------

class TestObjections:
    """On test_objections' published world: one need with three finalists (first won) and a fourth bid, a firm
    with a colleague (reading English) and an account waiting to join, another firm's awarded need."""

    @pytest.fixture
    def app(self, published, databases):
        app = published.app
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
            databases.restore(published.url, published.snapshot)
            shutil.rmtree(published.uploads / "objections", ignore_errors=True)
            app.config["FROZEN_NOW"] = DURING
            _db.session.execute(sa.update(User).values(email=User.username + "@example.com"))
            _db.session.execute(sa.update(User).where(User.username == "obj-firm_colleague").values(language="en"))
            _db.session.execute(sa.delete(MailMessage))  # what building the world wrote is not under test
            _db.session.execute(sa.delete(Notice))
            _db.session.commit()
            yield app
            _db.session.remove()

    @staticmethod
    def filed(client, login, w, who: str, kind: str = "team") -> Objection:
        login(w.user(who))
        assert file_objection(client, kind, w.need_id).status_code == 302
        return _db.session.scalar(sa.select(Objection).order_by(Objection.id.desc()))

    def test_an_objection_is_told_to_the_organizers_the_firm_and_the_contested_team_not_who_filed(
            self, client, db, w, login, inbox):
        objection = self.filed(client, login, w, "fourth")
        firm, colleague, first = w.user("firm"), w.user("firm_colleague"), w.user("first")
        organizer = w.user("organizer")
        # Not the filer, the account waiting to join the firm, the other finalists, the other firm or team.
        mails = one_each(inbox, [organizer, firm, colleague, first])
        zh = mails[first.username]
        assert zh["Subject"] == "“注塑件在线视觉检测”的揭榜结果收到一项异议"
        assert "组织方将依规裁定并告知各方" in body(zh) and f"查看：{SITE}/team/objections" in body(zh)
        assert f"查看：{SITE}/firm/objections" in body(mails[firm.username])
        assert f"查看：{SITE}/organizer/objections/{objection.id}" in body(mails[organizer.username])
        for mail in mails.values():
            assert "未入围第四队" not in body(mail) and "obj-fourth" not in body(mail) and "用户fourth" not in body(mail)
        assert mails[colleague.username]["Subject"] == "An objection to the result for “注塑件在线视觉检测” was filed"
        # A firm of the edition objecting: the firm of the need and the contested team hear of it, not the filer.
        inbox.clear()
        self.filed(client, login, w, "other_firm", kind="firm")
        one_each(inbox, [organizer, firm, colleague, first])

    def test_a_rejected_objection_is_told_to_the_filer_the_firm_and_the_contested_team(
            self, client, db, w, login, inbox):
        objection = self.filed(client, login, w, "fourth")
        inbox.clear()
        login(w.user("organizer"))
        assert rule(client, objection.id, "rejected", "经核查，现场答辩内容与报告一致。").status_code == 303
        fourth, firm, colleague, first = w.user("fourth"), w.user("firm"), w.user("firm_colleague"), w.user("first")
        mails = one_each(inbox, [fourth, firm, colleague, first])
        for user in (fourth, firm, first):
            mail = mails[user.username]
            assert mail["Subject"] == "“注塑件在线视觉检测”的异议已裁定：异议不成立，原结果维持"
            assert "理由：经核查，现场答辩内容与报告一致。" in body(mail)
        assert f"查看：{SITE}/team/objections" in body(mails[fourth.username])
        en = mails[colleague.username]
        assert en["Subject"] == "The objection about “注塑件在线视觉检测” is ruled: Rejected; the result stands"
        assert "Reason: 经核查，现场答辩内容与报告一致。" in body(en)

    def test_an_upheld_objection_tells_each_party_what_the_reversal_means_to_it(self, client, db, w, login, inbox,
                                                                                 clock):
        objection = self.filed(client, login, w, "second")
        inbox.clear()
        login(w.user("organizer"))
        clock(RULED)
        assert rule(client, objection.id, "upheld", "经复核，第一名团队现场演示数据不实。").status_code == 303
        second, third, first = w.user("second"), w.user("third"), w.user("first")
        firm, colleague = w.user("firm"), w.user("firm_colleague")
        mails = one_each(inbox, [firm, colleague, first, second, third])  # not the fourth bid, not the organizer
        reason = "理由：经复核，第一名团队现场演示数据不实。"
        subject = "“注塑件在线视觉检测”的异议已裁定："
        assert mails[firm.username]["Subject"] == subject + "异议成立，原结果已撤销，请重新确认优胜团队或不予确认"
        assert f"查看：{SITE}/firm/needs/{w.need_id}/ranking" in body(mails[firm.username])
        assert reason in body(mails[firm.username])
        assert mails[first.username]["Subject"] == subject + "异议成立，贵团队的挑战第一名已撤销"
        assert reason in body(mails[first.username])
        # The filer, reinstated, reads the reason; the other reinstated finalist does not (it is about another team).
        for user in (second, third):
            assert mails[user.username]["Subject"] == subject + "异议成立，原结果已撤销，贵团队重新进入企业确认环节"
            assert f"查看：{SITE}/team/bids/{w.bid(user.username.removeprefix('obj-')).id}" in body(mails[user.username])
        assert reason in body(mails[second.username])
        assert "现场演示数据不实" not in body(mails[third.username])
        assert "请留意发榜企业的确认结果" in body(mails[third.username])
        assert mails[colleague.username]["Subject"] == (
            "The objection about “注塑件在线视觉检测” is ruled: "
            "Upheld; the result is reversed: please confirm a winning team again, or decline")


# --- accounts and membership ---------------------------------------------------------------------------------

def _registration(username: str, org, email: str) -> dict:
    return {"account-username": username, "account-display_name": "周敏", "account-email": email,
            "account-phone": "", "account-password": "long-password-2026", "account-confirm": "long-password-2026",
            "org-name": org.name, "org-kind": org.kind.value, "org-credit_code": org.credit_code,
            "org-region_code": org.region_code, "org-address": "宁波市", "org-legal_rep": "某人",
            "org-nature_code": "150" if org.kind == OrgKind.ENTERPRISE else "",
            "org-contact_name": "某人", "org-contact_phone": "13900000000", "org-contact_email": "",
            "org-bank_name": "某银行", "org-bank_account": "123"}


def _user(db, username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_a_request_to_join_is_told_to_the_members_and_organizers_and_its_decision_to_the_account(
        client, db, make_user, login, inbox):
    firm = make_user(Role.FIRM)
    colleague = make_user(Role.FIRM, org=firm.organization)
    waiting = make_user(Role.FIRM, org=firm.organization, membership=Membership.PENDING)
    organizer, other_firm = make_user(Role.ORGANIZER), make_user(Role.FIRM)
    make_user(Role.TEAM)
    db.session.commit()
    assert client.post("/auth/register/firm", data=_registration("joiner", firm.organization,
                                                                 "joiner@example.com")).status_code == 302
    joiner = _user(db, "joiner")
    got = received(inbox)
    # Not the account already waiting, the other firm or the team.
    assert sorted(got) == sorted([firm.email, colleague.email, organizer.email, joiner.email])
    asked = got[firm.email][0]
    assert asked["Subject"] == f"周敏 申请以“{firm.organization.name}”的名义加入"
    assert "周敏（joiner）申请以" in body(asked) and f"查看：{SITE}/auth/join-requests" in body(asked)
    welcome = got[joiner.email][0]
    assert welcome["Subject"] == "您的账号 joiner 已开通" and f"查看：{SITE}/auth/me" in body(welcome)
    assert waiting.email not in got and other_firm.email not in got

    inbox.clear()
    login(firm)
    assert client.post(f"/auth/membership/{joiner.id}/approve").status_code == 302
    mails = one_each(inbox, [joiner])
    assert mails["joiner"]["Subject"] == f"您以“{firm.organization.name}”的名义加入的申请已获同意"
    assert f"查看：{SITE}/auth/me" in body(mails["joiner"])

    inbox.clear()
    waiting.language = "en"
    login(organizer)
    assert client.post(f"/auth/membership/{waiting.id}/refuse").status_code == 302
    mails = one_each(inbox, [waiting])
    assert mails[waiting.username]["Subject"] == f"Your request to join as “{firm.organization.name}”: refused"
    assert f"{SITE}/auth/membership" in body(mails[waiting.username])


def test_a_new_organizations_first_account_is_welcomed_and_no_one_is_asked(client, db, make_user, inbox):
    make_user(Role.ORGANIZER)
    make_user(Role.FIRM)
    db.session.commit()
    org = SimpleNamespace(name="全新的研究院", kind=OrgKind.ENTERPRISE, region_code="330212",
                          credit_code="91330200MA2PN0001" + uscc.calc_check_digit("91330200MA2PN0001"))
    assert client.post("/auth/register/firm", data=_registration("founder", org, "founder@example.com")
                       ).status_code == 302
    assert _user(db, "founder").membership == Membership.MEMBER
    mails = one_each(inbox, [_user(db, "founder")])
    assert mails["founder"]["Subject"] == "您的账号 founder 已开通"
    assert "您在揭榜挂帅平台的账号 founder 已开通。如非本人操作，请联系组织方。" in body(mails["founder"])


def test_an_account_the_organizer_creates_is_told_in_its_language(client, db, make_user, login, inbox):
    organizer = login(make_user(Role.ORGANIZER))
    r = client.post("/organizer/users/new", data={
        "username": "judge-new", "display_name": "陈专家", "email": "chen@example.com", "phone": "",
        "password": "long-password-2026", "confirm": "long-password-2026", "role": "judge", "org_id": "0"})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    judge = _user(db, "judge-new")
    mails = one_each(inbox, [judge])  # not the organizer who created it
    assert mails["judge-new"]["Subject"] == "您的账号 judge-new 已开通"
    assert "陈专家，您好" in body(mails["judge-new"]) and organizer.email not in received(inbox)


def test_a_changed_password_is_told_by_mail_and_in_the_app_only_without_an_address(client, db, make_user, login,
                                                                                   inbox):
    user = login(make_user(Role.TEAM, language="en"))
    other = make_user(Role.TEAM)
    db.session.commit()
    new = "a whole new sentence for a password"
    assert client.post("/auth/password", data={"current": PASSWORD, "password": new, "confirm": new}).status_code == 302
    mails = one_each(inbox, [user])  # not the other team
    assert mails[user.username]["Subject"] == f"The password of your account {user.username} was changed"
    assert "was changed at 2026-03-10 10:00" in body(mails[user.username])
    assert other.email not in received(inbox)

    inbox.clear()
    silent = login(make_user(Role.FIRM, email=""))
    assert client.post("/auth/password", data={"current": PASSWORD, "password": new, "confirm": new}).status_code == 302
    assert inbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id)).where(MailMessage.user_id == silent.id)) == 0
    [notice] = db.session.scalars(sa.select(Notice).where(Notice.user_id == silent.id))
    assert notice.text == f"您的账号 {silent.username} 的密码已修改" and notice.event == "account.password_changed"


def test_a_change_that_rolls_back_tells_no_one(client, db, make_user, clock, inbox):
    firm = make_user(Role.FIRM)
    waiting = make_user(Role.FIRM, org=firm.organization, membership=Membership.PENDING)
    db.session.commit()
    mails_before = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    notices_before = db.session.scalar(sa.select(sa.func.count(Notice.id)))
    membership.decide(firm, waiting, let_in=True, now=clock.now)
    accounts.change_password(firm, current=PASSWORD, new="a whole new sentence for a password")
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == mails_before + 2  # written, not committed
    db.session.rollback()
    firm.display_name = "甲公司联系人"  # the next change commits: the rolled-back mail is not in it
    db.session.commit()
    assert inbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == mails_before
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == notices_before
    assert db.session.get(User, waiting.id).membership == Membership.PENDING

