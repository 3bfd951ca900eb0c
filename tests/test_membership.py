"""Joining an organization already on file: by a member's or an organizer's consent, never by knowing its name
and credit code (both are public); and organization names compared in one normal form."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest.domain.choices import OrgKind
from contest.domain.conflicts import org_key
from contest.domain.errors import Conflict
from contest.domain.states import EditionStage, Membership, NeedStatus, Role
from contest.i18n import refusal_text
from contest.models import AuditEvent, Need, Organization, TeamMember, User
from contest.services.judging import assignments

from .conftest import PASSWORD


def _register_firm(client, org: Organization, username: str, name: str | None = None):
    return client.post("/auth/register/firm", data={
        "account-username": username, "account-display_name": "冒名者", "account-email": "",
        "account-phone": "", "account-password": "long-password-2026", "account-confirm": "long-password-2026",
        "org-name": name or org.name, "org-kind": org.kind.value, "org-credit_code": org.credit_code,
        "org-region_code": org.region_code, "org-nature_code": _nature(org), "org-address": "随便填",
        "org-legal_rep": "某人",
        "org-contact_name": "某人", "org-contact_phone": "13900000000", "org-contact_email": "",
        "org-bank_name": "某银行", "org-bank_account": "123"})


def _nature(org: Organization) -> str:
    """The unit nature a registration gives: a firm must say its own (150 有限责任公司), others go by kind."""
    return org.nature_code or ("150" if org.kind == OrgKind.ENTERPRISE else "")


def _user(db, username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _log_in(client, username: str, password: str = PASSWORD) -> None:
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": username, "password": password}).status_code == 302


def test_knowing_a_firms_name_and_code_no_longer_opens_its_needs(client, db, make_user, make_need):
    firm = make_user(Role.FIRM)
    draft = make_need(status=NeedStatus.DRAFT, firm=firm, name="甲公司的草稿需求")
    db.session.commit()
    response = _register_firm(client, firm.organization, "stranger")
    assert response.status_code == 302
    stranger = _user(db, "stranger")
    assert stranger.org_id == firm.org_id and stranger.membership == Membership.PENDING
    page = client.get("/firm/needs")                                      # logged in by the registration
    assert page.status_code == 302 and page.headers["Location"] == "/auth/membership"
    waiting = client.get("/auth/membership").get_data(as_text=True)
    assert "须由该机构已确认的成员或组织方确认" in waiting and "甲公司的草稿需求" not in waiting
    assert client.get(f"/firm/needs/{draft.id}").status_code == 302
    client.post(f"/firm/needs/{draft.id}/edit", data={"name": "被改掉的需求"})
    db.session.expire_all()
    assert db.session.get(Need, draft.id).name == "甲公司的草稿需求"
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "membership.request", AuditEvent.object_id == stranger.id)) is not None


def test_a_member_lets_a_colleague_in_and_the_colleague_then_works_for_the_firm(client, db, make_user, make_need):
    firm = make_user(Role.FIRM)
    make_need(status=NeedStatus.DRAFT, firm=firm, name="甲公司的草稿需求")
    db.session.commit()
    _register_firm(client, firm.organization, "colleague")
    colleague = _user(db, "colleague")
    _log_in(client, firm.username)
    listed = client.get("/auth/join-requests").get_data(as_text=True)
    assert "colleague" in listed and "确认加入" in listed
    assert client.post(f"/auth/membership/{colleague.id}/approve").status_code == 302
    db.session.expire_all()
    assert _user(db, "colleague").membership == Membership.MEMBER
    _log_in(client, "colleague", "long-password-2026")
    assert "甲公司的草稿需求" in client.get("/firm/needs").get_data(as_text=True)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == colleague.id,
                                                                     AuditEvent.action.like("membership.%")))
    assert set(actions) == {"membership.request", "membership.approve"}


def test_refused_or_decided_by_another_organization(client, db, make_user):
    firm, other_firm = make_user(Role.FIRM), make_user(Role.FIRM)
    organizer = make_user(Role.ORGANIZER, org=None)
    db.session.commit()
    _register_firm(client, firm.organization, "stranger")
    stranger = _user(db, "stranger")
    _log_in(client, other_firm.username)                                  # another firm: sees nothing, decides nothing
    assert "stranger" not in client.get("/auth/join-requests").get_data(as_text=True)
    assert client.post(f"/auth/membership/{stranger.id}/approve").status_code == 404
    _log_in(client, organizer.username)                                    # the organizer sees every request
    assert "stranger" in client.get("/auth/join-requests").get_data(as_text=True)
    assert client.post(f"/auth/membership/{stranger.id}/refuse").status_code == 302
    assert client.post(f"/auth/membership/{stranger.id}/approve").status_code == 409   # decided already
    _log_in(client, "stranger", "long-password-2026")
    assert client.get("/firm/needs").status_code == 302
    assert "未获同意" in client.get("/auth/membership").get_data(as_text=True)


def test_a_new_organization_is_its_first_accounts_own(client, db):
    org = Organization(name="全新的公司", kind=OrgKind.ENTERPRISE,
                       credit_code="91330200MA2CD1234" + uscc.calc_check_digit("91330200MA2CD1234"),
                       region_code="330212")
    _register_firm(client, org, "founder")
    assert _user(db, "founder").membership == Membership.MEMBER
    assert client.get("/firm/needs").status_code == 200


def test_a_team_for_a_lead_organization_on_file_waits_too(client, db, make_user):
    team_user = make_user(Role.TEAM)
    db.session.commit()
    org = team_user.organization
    response = client.post("/auth/register/team", data={
        "account-username": "newteam", "account-display_name": "王强", "account-email": "", "account-phone": "",
        "account-password": "long-password-2026", "account-confirm": "long-password-2026",
        "org-name": org.name, "org-kind": org.kind.value, "org-credit_code": org.credit_code,
        "org-region_code": org.region_code, "org-nature_code": _nature(org), "org-address": "x", "org-legal_rep": "x",
        "org-contact_name": "x",
        "org-contact_phone": "13900000000", "org-contact_email": "", "org-bank_name": "x", "org-bank_account": "1",
        "team-name": "新团队", "team-leader_name": "王强", "team-leader_title": "教授",
        "members-0-name": "李娜", "members-0-organization_name": f"\u200b{org.name[:2]}\u3000{org.name[2:]}",
        "members-0-title": "副教授"})
    assert response.status_code == 302
    assert _user(db, "newteam").membership == Membership.PENDING
    assert client.get("/team/").status_code in (302, 308)
    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.name == "李娜"))
    assert member.organization_name == org.name                  # written as the organization is registered


# --- one normal form for organization names ----------------------------------------------------------------

def test_lookalike_names_are_the_same_organization():
    assert org_key("宁波大学") == org_key("宁波\u200b大学") == org_key("宁波⼤学") == org_key(" 宁波 大学\ufeff")
    assert org_key("ＡＢＣ（宁波）有限公司") == org_key("abc(宁波)有限公司")
    assert org_key("宁波大学") != org_key("宁波工程学院")


def test_a_lookalike_of_a_registered_name_with_another_code_is_refused(client, db, make_org):
    make_org(name="宁波大学", kind=OrgKind.UNIVERSITY)
    db.session.commit()
    impostor = Organization(name="宁波⼤学", kind=OrgKind.UNIVERSITY,
                            credit_code="12330200MB0000001" + uscc.calc_check_digit("12330200MB0000001"),
                            region_code="330212")
    response = _register_firm(client, impostor, "impostor")
    assert response.status_code == 409 and "已用另一统一社会信用代码登记" in response.get_data(as_text=True)
    assert _user(db, "impostor") is None


@pytest.mark.parametrize("typed", ["宁波\u200b大学", "宁波⼤学", "宁波 大学"])
def test_a_judge_cannot_be_put_on_a_bid_whose_member_typed_the_judges_university_differently(
        db, make_org, make_user, make_team, make_need, make_bid, edition, typed):
    university = make_org(name="宁波大学", kind=OrgKind.UNIVERSITY)
    judge = make_user(Role.JUDGE, org=university)
    organizer = make_user(Role.ORGANIZER, org=None)
    team = make_team()
    team.members = [TeamMember(name="赵工", organization_name=typed, title="副教授")]
    need = make_need(status=NeedStatus.IN_REVIEW)
    bid = make_bid(need=need, team=team)
    edition.stage = EditionStage.ONLINE_REVIEW
    db.session.flush()
    with pytest.raises(Conflict) as refused:
        assignments.add_judge(edition, organizer, bid_id=bid.id, judge_id=judge.id)
    assert "宁波大学" in refusal_text(refused.value) or typed in refusal_text(refused.value)


def test_team_members_are_offered_the_registered_organizations(client, db, make_org):
    make_org(name="宁波大学", kind=OrgKind.UNIVERSITY)
    make_org(name="宁波大学科学技术学院", kind=OrgKind.UNIVERSITY)
    make_org(name="浙江大学", kind=OrgKind.UNIVERSITY)
    db.session.commit()
    page = client.get("/auth/register/team").get_data(as_text=True)
    assert 'list="registered-orgs"' in page and "js/org-picker.js" in page
    suggested = client.get("/auth/organizations?q=宁波⼤").get_json()
    assert suggested == {"organizations": ["宁波大学", "宁波大学科学技术学院"]}
    assert client.get("/auth/organizations?q=宁").get_json() == {"organizations": []}        # two characters at least
