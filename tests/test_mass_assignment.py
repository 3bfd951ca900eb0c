"""Mass assignment: fields a form does not have (team_id, status, role, score, judge_id, winner, org_id, need_id,
version, is_admin, active, …) posted to every create and edit form are ignored; each object ends with the
values the server decides (its owner from the session, its state from the rules)."""
from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest.domain.contracts import ContractStatus
from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, FirmDecision, NeedStatus, Role, SheetStatus
from contest.models import (
    Assignment, Bid, Contract, DeclaredConflict, Edition, FirmConfirmation, Need, Organization, ScoreSheet, Team, User,
)
from contest.services.contracts.drafting import PARTY_KEYS
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

from .conftest import PASSWORD, PDF
from .test_contracts import World, draft, terms_form

MULTIPART = "multipart/form-data"
EVERY_STATUS = ["published", "awarded", "submitted", "winner", "finalist", "signed", "issued", "results", "active"]


@pytest.fixture
def others(db, edition, make_user, make_need, make_team, make_org):
    """Someone else's organization, team, need and judge, and another edition: what a forged id would point to."""
    other_firm = make_user(Role.FIRM)
    other_team = make_team()
    other_need = make_need(firm=other_firm, name="别家的需求")
    other_judge = make_user(Role.JUDGE)
    other_edition = Edition(code="CIC7-NB", name="第七届", year=2025, collection_start=date(2025, 2, 1),
                            collection_end=date(2025, 3, 31), bidding_deadline=datetime(2025, 4, 30, 9),
                            review_start=date(2025, 5, 6), review_end=date(2025, 5, 20),
                            final_date=date(2025, 6, 10), results_date=date(2025, 6, 20))
    db.session.add(other_edition)
    db.session.commit()
    return dict(org=other_firm.organization, firm=other_firm, team=other_team, need=other_need, judge=other_judge,
                edition=other_edition)


def forged(others, *, keep=(), prefixes=("",)) -> dict:
    """Every field a form must ignore, pointing at somebody else's objects or at a privileged state;
    `keep` names the fields the form really has (left out), `prefixes` repeats them for nested forms."""
    values = {
        "id": "987654", "team_id": str(others["team"].id), "status": EVERY_STATUS, "role": ["organizer", "judge"],
        "score": "100", "total": "100", "judge_id": str(others["judge"].id), "winner": "y",
        "org_id": str(others["org"].id), "firm_org_id": str(others["org"].id), "lead_org_id": str(others["org"].id),
        "need_id": str(others["need"].id), "bid_id": "987654", "edition_id": str(others["edition"].id),
        "owner_id": str(others["firm"].id), "created_by_id": str(others["firm"].id), "user_id": str(others["firm"].id),
        "version": "99", "is_admin": "1", "admin": "1", "active": "0", "stage": "results", "decision": "confirm",
        "number": "FORGED-001", "sequence": "1", "published_at": "2020-01-01 00:00", "submitted_at": "2020-01-01",
        "pdf_stored_name": "../../evil.pdf", "pdf_sha256": "0" * 64, "verify_token": "forged-token",
        "password_hash": "forged", "session_generation": "0", "firm_representative": "y", "recusal_reason": "x",
        "results_published_at": "2020-01-01", "signed_on": "2020-01-01", "signed_scan_name": "evil.pdf",
        "firm_decision": "confirm", "round": "onsite", "criterion_id": "1",
    }
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}{key}": value for key, value in values.items() if key not in keep})
    return data


def _code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _org(prefix: str, name: str, code_body: str, kind: str = "enterprise") -> dict:
    return {f"{prefix}-name": name, f"{prefix}-kind": kind, f"{prefix}-credit_code": _code(code_body),
            f"{prefix}-region_code": "330212", f"{prefix}-address": "宁波市鄞州区", f"{prefix}-legal_rep": "陈立",
            f"{prefix}-contact_name": "周敏", f"{prefix}-contact_phone": "13800000000",
            f"{prefix}-contact_email": "", f"{prefix}-bank_name": "宁波银行", f"{prefix}-bank_account": "12345678",
            f"{prefix}-nature_code": "150" if kind == "enterprise" else ""}


def _account(username: str) -> dict:
    return {"account-username": username, "account-display_name": "周敏", "account-email": "", "account-phone": "",
            "account-password": "甬江-Orchid-2026", "account-confirm": "甬江-Orchid-2026"}


# --- registration ---------------------------------------------------------------------------------------

def test_a_firm_registering_gets_the_firm_role_and_its_own_new_organization(client, db, others):
    data = {**_account("newfirm"), **_org("org", "宁波新注册机械有限公司", "91330200MA2XY1234"),
            **forged(others, prefixes=("", "account-", "org-"))}
    response = client.post("/auth/register/firm", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.username == "newfirm"))
    assert user.role == Role.FIRM and user.active and user.session_generation != 0
    assert user.org_id != others["org"].id and user.organization.name == "宁波新注册机械有限公司"
    assert user.check_password("甬江-Orchid-2026")


def test_a_team_registering_owns_its_new_team_under_its_own_organization(client, db, others):
    data = {**_account("newteam"), **_org("org", "宁波新注册研究院", "12330200420000001", "institute"),
            "team-name": "新注册揭榜团队", "team-leader_name": "王强", "team-leader_title": "教授",
            "members-0-name": "李娜", "members-0-organization_name": "宁波大学", "members-0-title": "副教授",
            **forged(others, prefixes=("", "account-", "org-", "team-", "members-0-"))}
    response = client.post("/auth/register/team", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.username == "newteam"))
    team = db.session.scalar(sa.select(Team).where(Team.name == "新注册揭榜团队"))
    assert user.role == Role.TEAM and user.active
    assert team.owner_id == user.id and team.lead_org_id == user.org_id != others["org"].id
    assert team.id != int(forged(others)["team_id"]) and [m.name for m in team.members] == ["李娜"]


# --- needs ---------------------------------------------------------------------------------------------

NEED_FORM = {"name": "产线视觉检测", "category": "firm_specific", "field": "electronic_info", "industry": "汽车零部件",
             "keywords": "机器视觉、缺陷检测", "problem": "漏检率高。", "key_points": "节拍 1 秒。",
             "goals": "在线检测。",
             "budget_wan": "300", "period_start": "2026-06-01", "period_end": "2027-05-31",
             "cooperation": "commissioned", "market_id": "1"}


@pytest.mark.parametrize("button, status", [("save", NeedStatus.DRAFT), ("save_and_submit", NeedStatus.SUBMITTED)])
def test_a_new_need_belongs_to_the_firm_and_starts_where_the_rules_say(client, db, edition, make_user, login,
                                                                       others, button, status):
    firm = login(make_user(Role.FIRM))
    data = {**NEED_FORM, "edition": str(edition.id), button: "x", **forged(others)}
    response = client.post("/firm/needs/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    need = db.session.scalar(sa.select(Need).where(Need.name == "产线视觉检测"))
    assert need.status == status and need.published_at is None
    assert (need.firm_org_id, need.created_by_id, need.edition_id) == (firm.org_id, firm.id, edition.id)
    assert need.id != 987654


def test_editing_a_need_changes_its_text_only(client, db, make_need, make_user, login, others):
    firm = login(make_user(Role.FIRM))
    need = make_need(status=NeedStatus.DRAFT, firm=firm)
    db.session.commit()
    before = (need.id, need.firm_org_id, need.created_by_id, need.edition_id)
    response = client.post(f"/firm/needs/{need.id}/edit", data={**NEED_FORM, "save": "x", **forged(others)})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.name == "产线视觉检测" and need.status == NeedStatus.DRAFT and need.published_at is None
    assert (need.id, need.firm_org_id, need.created_by_id, need.edition_id) == before


def test_a_screening_decision_sets_only_what_the_decision_implies(client, db, make_need, make_user, login, others):
    need = make_need(status=NeedStatus.SUBMITTED)
    login(make_user(Role.ORGANIZER))
    data = {"decision": "return", "comment": "请补充指标。", **forged(others, keep=("decision",))}
    assert client.post(f"/organizer/needs/{need.id}/review", data=data).status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.RETURNED and need.published_at is None
    assert need.firm_org_id != others["org"].id and need.edition_id != others["edition"].id


# --- bids ----------------------------------------------------------------------------------------------

BID_FORM = {"approach": "多光谱成像。", "innovation": "小样本学习。", "indicators": "漏检率 < 0.1%。",
            "plan": "六个月样机。", "price_wan": "280.00", "duration_months": "12", "ip_background": "",
            "strengths": "", "declaration_accepted": "y"}


@pytest.fixture
def bidding_team(make_team, make_need, login, db):
    team = make_team(name="自家揭榜团队")
    need = make_need(name="自家要揭的需求")
    login(team.owner)
    return team, need


@pytest.mark.parametrize("button, status", [("save_draft", BidStatus.DRAFT), ("submit_report", BidStatus.SUBMITTED)])
def test_a_new_bid_belongs_to_the_team_and_the_need_of_its_address(client, db, app, bidding_team, others, button,
                                                                   status):
    team, need = bidding_team
    data = {**BID_FORM, button: "x", "pdf": (io.BytesIO(PDF), "report.pdf"), **forged(others)}
    response = client.post(f"/team/needs/{need.id}/bid", data=data, content_type=MULTIPART)
    assert response.status_code == 302, response.get_data(as_text=True)
    bid = db.session.scalar(sa.select(Bid))
    assert (bid.team_id, bid.need_id, bid.status) == (team.id, need.id, status)
    assert bid.pdf_stored_name != "../../evil.pdf" and bid.pdf_sha256 != "0" * 64
    assert bid.id != 987654 and (bid.submitted_at is None) == (status == BidStatus.DRAFT)
    assert bid.submitted_at is None or bid.submitted_at.year == 2026


def test_editing_a_bid_changes_its_text_only(client, db, bidding_team, make_bid, others):
    team, need = bidding_team
    bid = make_bid(need=need, team=team, status=BidStatus.DRAFT)
    db.session.commit()
    stored = bid.pdf_stored_name
    data = {**BID_FORM, "approach": "改过的路线。", "save_draft": "x", **forged(others)}
    response = client.post(f"/team/bids/{bid.id}/edit", data=data, content_type=MULTIPART)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    bid = db.session.get(Bid, bid.id)
    assert bid.approach == "改过的路线。"
    assert (bid.team_id, bid.need_id, bid.status, bid.pdf_stored_name) == (team.id, need.id, BidStatus.DRAFT, stored)


# --- judging -------------------------------------------------------------------------------------------

@pytest.fixture
def online(db, edition, make_need, make_bid, make_user):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW))
    judge = make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.commit()
    return bid, judge, rubric_for(edition.id, Round.ONLINE).criteria


def test_a_score_sheet_is_the_judges_own_draft_with_the_points_typed(client, db, login, online, others):
    bid, judge, criteria = online
    login(judge)
    data = {f"points-{c.id}": "5" for c in criteria}
    # A sheet's version is a real (hidden) field: the optimistic lock. It is compared, never stored.
    data.update({"comment": "思路清楚", "version": "", "save_draft": "1", **forged(others, keep=("version",))})
    response = client.post(f"/judge/online/{bid.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    sheet = db.session.scalar(sa.select(ScoreSheet))
    assert (sheet.judge_id, sheet.bid_id, sheet.round, sheet.status) == (judge.id, bid.id, Round.ONLINE,
                                                                         SheetStatus.DRAFT)
    assert sheet.submitted_at is None and sheet.version == 1
    assert sorted(str(i.points) for i in sheet.items) == ["5.0"] * len(criteria)
    assert bid.status == BidStatus.SUBMITTED


def test_the_judges_profile_changes_nothing_but_the_profile(client, db, login, make_user, make_org, others):
    own_org = make_org(name="自家单位")
    judge = make_user(Role.JUDGE, org=own_org)
    username, generation = judge.username, judge.session_generation
    login(judge)
    data = {"org_id": str(own_org.id), "expertise": ["marine"], "conflict_org_ids": [str(others["org"].id)],
            "username": "forged-name", "display_name": "冒名", **forged(others, keep=("org_id",))}
    response = client.post("/judge/profile", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    judge = db.session.get(User, judge.id)
    assert (judge.role, judge.active, judge.username, judge.org_id) == (Role.JUDGE, True, username, own_org.id)
    assert judge.display_name != "冒名" and judge.session_generation == generation
    assert judge.check_password(PASSWORD)
    assert set(db.session.scalars(sa.select(DeclaredConflict.org_id).where(DeclaredConflict.judge_id == judge.id))) \
        == {others["org"].id}


def test_a_firm_declining_records_no_winner(client, db, login, make_user, make_need, make_bid, edition, others):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    firm = make_user(Role.FIRM)
    need = make_need(status=NeedStatus.FINAL, firm=firm)
    finalist = make_bid(need=need, status=BidStatus.FINALIST)
    login(firm)
    data = {"reason": "与产线条件不匹配", "bid_id": str(finalist.id), **forged(others)}
    response = client.post(f"/firm/needs/{need.id}/decline", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    decision = db.session.scalar(sa.select(FirmConfirmation))
    assert (decision.decision, decision.bid_id, decision.decided_by_id) == (FirmDecision.DECLINE, None, firm.id)
    assert db.session.get(Bid, finalist.id).status != BidStatus.WINNER
    assert db.session.get(Need, need.id).status == NeedStatus.FAILED


# --- accounts ------------------------------------------------------------------------------------------

USER_FORM = {"role": "judge", "username": "judge-wang", "display_name": "王专家", "email": "", "phone": "",
             "password": "甬江-Orchid-2026", "confirm": "甬江-Orchid-2026", "org_id": "0"}


def test_a_created_user_is_active_with_the_role_chosen_among_those_allowed(client, db, login, make_user, others):
    login(make_user(Role.ORGANIZER))
    response = client.post("/organizer/users/new", data={**USER_FORM, **forged(others, keep=("role", "org_id"))})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.username == "judge-wang"))
    assert (user.role, user.active, user.org_id) == (Role.JUDGE, True, None)
    assert user.check_password("甬江-Orchid-2026") and user.password_hash != "forged"


@pytest.mark.parametrize("role", ["firm", "team", "admin"])
def test_a_role_outside_the_form_choices_is_refused(client, db, login, make_user, others, role):
    login(make_user(Role.ORGANIZER))
    response = client.post("/organizer/users/new", data={**USER_FORM, "role": role})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(User).where(User.username == "judge-wang")) is None


def test_changing_ones_password_changes_nothing_else(client, db, login, make_user, others):
    user = login(make_user(Role.TEAM))
    before = (user.role, user.org_id, user.username, user.display_name)
    data = {"current": PASSWORD, "password": "甬江-Orchid-2026", "confirm": "甬江-Orchid-2026",
            "username": "forged-name", "display_name": "冒名", **forged(others)}
    response = client.post("/auth/password", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.role, user.org_id, user.username, user.display_name) == before and user.active
    assert user.check_password("甬江-Orchid-2026")


# --- editions and contracts ----------------------------------------------------------------------------

EDITION_FORM = {"code": "CIC9-NB", "name": "第九届", "year": "2027", "collection_start": "2027-02-01",
                "collection_end": "2027-03-31", "bidding_deadline": "2027-04-30T17:00", "review_start": "2027-05-06",
                "review_end": "2027-05-20", "final_date": "2027-06-10", "results_date": "2027-06-20"}


def test_an_edition_starts_open_and_keeps_its_code_when_edited(client, db, login, make_user, others):
    login(make_user(Role.ORGANIZER))
    response = client.post("/organizer/editions/new", data={**EDITION_FORM, **forged(others)})
    assert response.status_code == 302, response.get_data(as_text=True)
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == "CIC9-NB"))
    assert edition.stage == EditionStage.OPEN and edition.results_published_at is None
    response = client.post("/organizer/editions/CIC9-NB/edit",
                           data={**EDITION_FORM, "code": "HIJACK", "name": "第九届（修订）", **forged(others)})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert (edition.code, edition.name, edition.stage) == ("CIC9-NB", "第九届（修订）", EditionStage.OPEN)


def test_contract_terms_never_issue_sign_or_move_the_contract(client, db, login, edition, make_user, make_need,
                                                              make_team, make_bid, others):
    world = World(db, edition, make_user, make_need, make_team, make_bid)
    login(world.organizer)
    contract = draft(client, world)
    before = (contract.need_id, contract.bid_id, contract.edition_id, contract.version)
    data = {**terms_form(contract, project_name="改过的项目名称"), **forged(others),
            **forged(others, prefixes=("party_a-", "party_b-"), keep=("id",))}
    response = client.post(f"/organizer/contracts/{contract.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert contract.project_name == "改过的项目名称"
    assert (contract.need_id, contract.bid_id, contract.edition_id, contract.version) == before
    assert contract.status == ContractStatus.DRAFT
    assert (contract.number, contract.sequence, contract.verify_token, contract.pdf_sha256) == (None, None, None, None)
    assert (contract.signed_on, contract.signed_scan_name) == (None, None)
    party_b = json.loads(contract.party_b)
    assert set(party_b) <= set(PARTY_KEYS)  # the snapshot's own keys, nothing the form slipped in
    assert party_b["name"] == world.team.lead_org.name
    assert db.session.get(Organization, others["org"].id).name == others["org"].name
