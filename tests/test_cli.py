"""The command-line tools: seed-demo (CIC8-NB judged in 2024 and its contracts signed, CIC9-NB open now),
create-user and init-db.

seed-demo runs once per module on its own database (`demo`); the tests reading it share it, and the
ones running it again check that nothing changes.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain import registration_codes as codes
from contest.domain.choices import NeedCategory, OrgKind
from contest.domain.contracts import (
    KEY_PROGRAMME_THRESHOLD, ContractStatus, ContractType, DisputeResolution, contract_type_for,
)
from contest.domain.organizations import normalize_credit_code
from contest.domain.rubric import Round
from contest.domain.states import (
    AssignmentStatus, BidStatus, EditionStage, FirmDecision, NeedStatus, ReviewDecision, Role, SheetStatus,
)
from contest.extensions import db as _db
from contest.models import (
    Assignment, AuditEvent, Bid, Contract, DeclaredConflict, Edition, FirmConfirmation, JudgeExpertise, Need,
    Organization, PanelMember, ScoreSheet, SheetReopening, Team, User,
)
from contest.services.contracts.drafting import party
from contest.services.contracts.registration import registration_rows
from contest.services.judging.conflicts import judge_conflicted
from contest.services.judging.standings import need_standings
from tests.conftest import DEMO_NOW as NOW, seeded_demo

DEMO_PASSWORD = "demo-pass-2024"
JUDGED, AWARDED, FAILED = (NeedStatus.AWARDED, NeedStatus.FAILED), NeedStatus.AWARDED, NeedStatus.FAILED


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases):
    """An app whose database holds the demo, seeded once per module; yields (app, seed-demo's output)."""
    with seeded_demo(tmp_path_factory.mktemp("demo"), databases) as demo:
        yield demo


@pytest.fixture
def demo(demo_app):
    """The seeded app, within an application context of this test only (other tests push their own app)."""
    app, _ = demo_app
    with app.app_context():
        yield demo_app
        _db.session.remove()


def _edition(code: str) -> Edition:
    return _db.session.scalar(sa.select(Edition).where(Edition.code == code))


def _needs(code: str) -> list[Need]:
    return list(_db.session.scalars(sa.select(Need).join(Edition).where(Edition.code == code).order_by(Need.id)))


def _user(username: str) -> User:
    return _db.session.scalar(sa.select(User).where(User.username == username))


def _team(username: str) -> Team:
    return _db.session.scalar(sa.select(Team).where(Team.owner_id == _user(username).id))


def _snapshot() -> dict[str, list]:
    """Every row of every table, in primary-key order."""
    return {table.name: [tuple(row) for row in _db.session.execute(
        sa.select(table).order_by(*table.primary_key.columns))] for table in _db.metadata.sorted_tables}


def test_the_past_edition_is_2024_with_published_results_and_default_settings(demo):
    app, output = demo
    edition = _edition("CIC8-NB")
    assert (edition.name, edition.year, edition.stage) == ("第八届中国创新挑战赛（宁波）", 2024, EditionStage.RESULTS)
    assert (edition.collection_start, edition.collection_end) == (date(2024, 3, 1), date(2024, 5, 31))
    assert edition.bidding_deadline == datetime(2024, 6, 30, 9, 0)  # 17:00 Beijing
    assert (edition.review_start, edition.review_end) == (date(2024, 7, 8), date(2024, 7, 26))
    assert (edition.final_date, edition.results_date) == (date(2024, 9, 10), date(2024, 9, 20))
    assert edition.results_published_at == datetime(2024, 9, 20, 2, 0)
    assert (edition.judges_per_bid, edition.min_sheets, edition.finalists_per_need) == (5, 3, 3)
    assert (edition.qualifying_score, edition.online_weight, edition.onsite_weight) == (60, Decimal("0.3"),
                                                                                       Decimal("0.7"))
    assert "CIC8-NB：18 个需求揭榜成功，7 个流榜" in output and "新建" in output
    assert app.config["FROZEN_NOW"] == NOW  # the seed's 2024 clock is put back
    judging = list(_db.session.scalars(sa.select(AuditEvent.created_at).where(AuditEvent.action.in_(
        ("edition.open_review", "sheet.submit", "need.panel", "need.confirm_winner", "edition.publish_results")))))
    assert len(judging) > 300 and datetime(2024, 7, 1) <= min(judging) <= max(judging) <= datetime(2024, 9, 20, 2)


def test_the_live_edition_has_dates_counted_from_the_first_seeding(demo):
    edition = _edition("CIC9-NB")
    assert (edition.name, edition.year, edition.stage) == ("第九届中国创新挑战赛（宁波）", 2026, EditionStage.OPEN)
    assert (edition.collection_start, edition.collection_end) == (date(2026, 1, 9), date(2026, 3, 30))
    assert edition.bidding_deadline == datetime(2026, 4, 19, 9, 0)
    assert (edition.review_start, edition.final_date, edition.results_date) == (
        date(2026, 4, 24), date(2026, 5, 14), date(2026, 5, 24))


def test_the_past_editions_needs_are_all_screened_and_judged(demo):
    needs = _needs("CIC8-NB")
    statuses = Counter(n.status for n in needs)
    assert len(needs) >= 25 and len({n.field for n in needs}) >= 8
    assert {n.category for n in needs} == set(NeedCategory) and 2 <= sum(n.anonymous for n in needs) <= 3
    assert set(statuses) == set(JUDGED) and statuses[AWARDED] == 18 and statuses[FAILED] >= 2
    organizer = _user("organizer")
    for need in needs:
        assert [(r.decision, r.reviewer_id) for r in need.reviews] == [(ReviewDecision.APPROVE, organizer.id)]
        assert date(2024, 3, 1) <= need.published_at.date() <= date(2024, 5, 31)
        assert datetime(2024, 7, 1) < need.updated_at <= datetime(2024, 9, 20, 2)


def test_each_awarded_need_has_one_winner_the_first_of_its_standings(demo):
    for need in _needs("CIC8-NB"):
        winners = [b for b in _db.session.scalars(sa.select(Bid).where(Bid.need_id == need.id))
                   if b.status == BidStatus.WINNER]
        if need.status == FAILED:
            assert winners == [], need.name
            continue
        standing = need_standings(need)
        assert len(winners) == 1 and standing.panel_complete, need.name
        assert [b.bid.id for b in standing.finalists if b.rank.rank == 1] == [winners[0].id]
        confirmation = _db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == need.id))
        assert (confirmation.decision, confirmation.bid_id) == (FirmDecision.CONFIRM, winners[0].id)
        assert _db.session.get(User, confirmation.decided_by_id).org_id == need.firm_org_id


def test_needs_fail_for_no_bid_for_no_qualifying_bid_and_for_the_firms_refusal(demo):
    reasons = Counter()
    for need in (n for n in _needs("CIC8-NB") if n.status == FAILED):
        standing = need_standings(need)
        confirmation = _db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == need.id))
        if not standing.bids:
            reasons["no bid"] += 1
        elif confirmation is not None:
            assert confirmation.decision == FirmDecision.DECLINE and len(confirmation.reason) > 20
            assert {b.bid.status for b in standing.bids} == {BidStatus.NOT_SELECTED} and standing.panel_complete
            reasons["declined"] += 1
        else:
            assert all(b.online is not None and b.online < 60 for b in standing.bids)
            reasons["below 60"] += 1
    assert reasons["no bid"] >= 1 and reasons["below 60"] >= 1 and reasons["declined"] == 1


def test_every_bid_got_its_online_judges_without_conflicts_and_a_sheet_each(demo):
    bids = [b for b in _db.session.scalars(sa.select(Bid).join(Need).join(Edition).where(Edition.code == "CIC8-NB"))]
    assignments = list(_db.session.scalars(sa.select(Assignment).where(Assignment.bid_id.in_([b.id for b in bids]))))
    active = [a for a in assignments if a.status == AssignmentStatus.ASSIGNED]
    assert Counter(a.bid_id for a in active) == {b.id: 5 for b in bids}
    assert not any(judge_conflicted(a.judge, a.bid) for a in active)
    recused = [a for a in assignments if a.status == AssignmentStatus.RECUSED]
    assert len(recused) == 1 and recused[0].recusal_reason
    sheets = {(s.bid_id, s.judge_id): s for s in _db.session.scalars(
        sa.select(ScoreSheet).where(ScoreSheet.round == Round.ONLINE))}
    assert set(sheets) == {(a.bid_id, a.judge_id) for a in active}
    assert all(s.status == SheetStatus.SUBMITTED and 40 <= s.total <= 100 and s.comment for s in sheets.values())
    reopened = list(_db.session.scalars(sa.select(SheetReopening)))
    assert len(reopened) == 1 and reopened[0].reason and "points" in reopened[0].snapshot
    assert len({j for (_, j) in sheets}) == 12


def test_each_final_panel_has_three_unconflicted_experts_and_the_firm_who_scored_every_finalist(demo):
    finals = [n for n in _needs("CIC8-NB") if _db.session.scalar(
        sa.select(FirmConfirmation.id).where(FirmConfirmation.need_id == n.id))]
    assert len(finals) == 19
    for need in finals:
        panel = list(_db.session.scalars(sa.select(PanelMember).where(PanelMember.need_id == need.id)))
        experts = [m.user for m in panel if not m.firm_representative]
        reps = [m.user for m in panel if m.firm_representative]
        assert len(experts) == 3 and len(reps) == 1 and reps[0].org_id == need.firm_org_id
        standing = need_standings(need)
        assert standing.panel_complete and all(b.onsite_sheets == 4 for b in standing.finalists)
        assert not any(judge_conflicted(j, b.bid) for j in experts for b in standing.finalists)


def test_judges_have_profiles_covering_every_field_with_five_experts(demo):
    fields = Counter(f for (f,) in _db.session.execute(sa.select(JudgeExpertise.field)))
    assert all(fields[n.field] >= 5 for n in _needs("CIC8-NB"))
    assert len(set(_db.session.scalars(sa.select(DeclaredConflict.judge_id)))) >= 2


def test_the_live_edition_has_needs_in_every_stage_before_judging(demo):
    needs = _needs("CIC9-NB")
    statuses = Counter(n.status for n in needs)
    assert statuses[NeedStatus.SUBMITTED] == 2 and statuses[NeedStatus.RETURNED] == 1
    assert statuses[NeedStatus.DRAFT] == 1 and statuses[NeedStatus.PUBLISHED] >= 4
    returned = next(n for n in needs if n.status == NeedStatus.RETURNED)
    assert returned.reviews[-1].decision == ReviewDecision.RETURN and returned.reviews[-1].comment
    assert returned.firm_org_id == _user("firm2").org_id
    draft = next(n for n in needs if n.status == NeedStatus.DRAFT)
    assert draft.created_by.username == "firm1" and draft.firm_org_id == _user("firm1").org_id
    for need in needs:
        if need.status == NeedStatus.PUBLISHED:
            assert need.published_at <= NOW and need.reviews[-1].decision == ReviewDecision.APPROVE
    team1 = _team("team1")
    bid_on = set(_db.session.scalars(sa.select(Bid.need_id).where(Bid.team_id == team1.id)))
    published = {n.id for n in needs if n.status == NeedStatus.PUBLISHED}
    assert published & bid_on and published - bid_on


def test_demo_need_contents_follow_the_collection_form(demo):
    needs = _needs("CIC8-NB") + _needs("CIC9-NB")
    for need in needs:
        assert need.name and need.industry and need.market
        for text in (need.problem, need.key_points, need.goals):
            assert 0 < len(text) <= 500, need.name
        assert 1 <= len(need.keyword_list) <= 5 and Decimal("50") <= need.budget_wan <= Decimal("1500")
        months = (need.period_end - need.period_start).days / 30.4
        assert 11.5 <= months <= 36.5 and need.period_start > need.edition.results_date
    channels = {n.market.name for n in needs}
    assert "宁波科技大市场" in channels and len(channels) >= 5
    for username in ("firm1", "firm2", "firm3"):
        owned = [n for n in needs if n.firm_org_id == _user(username).org_id]
        assert len(owned) >= 2 and any(n.status in (NeedStatus.PUBLISHED, AWARDED) for n in owned)


def test_demo_bids_carry_a_real_pdf_each_and_were_submitted_in_time(demo):
    app, _ = demo
    bids = list(_db.session.scalars(sa.select(Bid)))
    assert 38 <= len(bids) <= 45
    folder = Path(app.config["UPLOAD_FOLDER"]) / "bids"
    for bid in bids:
        content = (folder / bid.pdf_stored_name).read_bytes()
        assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
        assert len(content) == bid.pdf_size and hashlib.sha256(content).hexdigest() == bid.pdf_sha256
        assert bid.declaration_accepted and bid.need.published_at < bid.submitted_at < bid.need.edition.bidding_deadline
        assert 12 <= bid.duration_months <= 36 and bid.price_wan > 0 and bid.approach and bid.plan
        live = bid.need.edition.code == "CIC9-NB"
        assert (bid.status == BidStatus.SUBMITTED) == live
    assert any(b.price_wan > b.need.budget_wan for b in bids)
    assert max(Counter(b.need_id for b in bids).values()) <= 5


def test_every_demo_account_logs_in_with_the_demo_password(demo):
    app, _ = demo
    users = list(_db.session.scalars(sa.select(User)))
    expected = {"organizer": Role.ORGANIZER, **{f"firm{i}": Role.FIRM for i in range(1, 20)},
                **{f"team{i}": Role.TEAM for i in range(1, 9)}, **{f"judge{i}": Role.JUDGE for i in range(1, 13)},
                **{f"market{i}": Role.MARKET for i in range(1, 4)}, **{f"broker{i}": Role.BROKER for i in range(1, 13)}}
    assert {u.username: u.role for u in users} == expected
    # Hashing is slow on purpose: check each distinct hash once, then log in once per role.
    by_hash = {u.password_hash: u for u in users}
    assert all(u.check_password(DEMO_PASSWORD) for u in by_hash.values())
    client = app.test_client()
    for username in ("organizer", "firm19", "team8", "judge12", "market1", "broker12"):
        _login(client, username)
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": "firm1", "password": "not-it"}).status_code == 401


def test_teams_have_a_lead_organization_and_members_and_codes_are_valid(demo):
    for username in ("team1", "team2", "team3"):
        team = _team(username)
        assert team.lead_org_id == _user(username).org_id and team.leader_name
        assert 3 <= len(team.members) <= 5 and all(m.name and m.organization_name and m.title for m in team.members)
    orgs = list(_db.session.scalars(sa.select(Organization)))
    assert len(orgs) >= 10
    assert all(uscc.is_valid(o.credit_code) and len(o.region_code) == 6 for o in orgs)
    # the county or district of the address (the registration form's), even where a city registered the code
    assert all(not o.region_code.endswith("00") for o in orgs)
    assert _user("organizer").organization.region_code == "330212"  # 鄞州区, though its code says 330200
    firms = [o for o in orgs if o.kind == OrgKind.ENTERPRISE]
    assert all(o.nature_code == ("160" if o.name.endswith("股份有限公司") else "150") for o in firms)
    assert {o.nature_code for o in orgs if o.kind != OrgKind.ENTERPRISE} == {""}
    assert all(_user(f"firm{i}").organization.credit_code.startswith("913302") for i in (1, 2, 3))


def _login(client, username: str) -> None:
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302


def test_the_judging_pages_show_the_demo_edition(demo):
    app, _ = demo
    client = app.test_client()
    conformal = next(n for n in _needs("CIC8-NB") if n.name.startswith("大型压铸模具"))
    winner = _team("team1").name
    assert winner in client.get("/results/CIC8-NB").get_data(as_text=True)
    _login(client, "organizer")
    for page in ("judging", "assignments", "progress", "standings"):
        assert client.get(f"/organizer/editions/CIC8-NB/{page}").status_code == 200, page
    assert winner in client.get("/organizer/editions/CIC8-NB/standings").get_data(as_text=True)
    _login(client, "firm1")
    ranking = client.get(f"/firm/needs/{conformal.id}/ranking").get_data(as_text=True)
    assert winner in ranking and "专家A" in ranking
    _login(client, "team1")
    assert "挑战第一名" in client.get("/team/").get_data(as_text=True)


def _contracts(code: str = "CIC8-NB") -> list[Contract]:
    return list(_db.session.scalars(sa.select(Contract).join(Edition).where(Edition.code == code)
                                    .order_by(Contract.sequence, Contract.version)))


def test_the_18_winners_signed_their_contracts_for_72_5_million_yuan(demo):
    app, output = demo
    contracts = _contracts()
    live = [c for c in contracts if c.status != ContractStatus.VOID]
    assert len(live) == 18 and all(c.status == ContractStatus.SIGNED for c in live)
    assert sum(c.total_amount for c in live) == Decimal("72500000.00")
    assert len({c.total_amount for c in live}) == 18
    assert all(Decimal("500000") <= c.total_amount <= Decimal("9000000") and c.total_amount % 1000 == 0 for c in live)
    assert {c.need_id for c in live} == {n.id for n in _needs("CIC8-NB") if n.status == AWARDED}
    assert len({c.need.firm_org_id for c in live}) == 18  # 18 firms signed, one contract each
    assert all(c.contract_type == contract_type_for(c.need.cooperation) for c in live)
    assert Counter(c.contract_type for c in live) == {ContractType.JOINT: 10, ContractType.COMMISSIONED: 8}
    with_parts = [c for c in live if c.nontech_amount]
    assert len(with_parts) == 6 and all(Decimal("0") < c.tech_amount < c.total_amount for c in with_parts)
    assert all(c.registered_tech_amount == c.tech_amount for c in live if c.registration_number)
    assert [c.sequence for c in live] == list(range(1, 19))
    assert [c.number.removesuffix("-V2") for c in live] == [f"CIC8-NB-2024-{n:03d}" for n in range(1, 19)]
    for contract in live:
        need = contract.need
        winner = _db.session.scalar(sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.WINNER))
        a, b = party(contract, "party_a"), party(contract, "party_b")
        assert contract.bid_id == winner.id, need.name
        assert (a["name"], a["credit_code"]) == (need.firm.name, need.firm.credit_code)
        assert (b["name"], b["credit_code"]) == (winner.team.lead_org.name, winner.team.lead_org.credit_code)
        assert all(p["bank_name"] and p["bank_account"] for p in (a, b))
        instalments = contract.instalments
        assert 2 <= len(instalments) <= 4 and sum(i.amount for i in instalments) == contract.total_amount
        assert all(i.due_date >= contract.signed_on and i.condition for i in instalments)
        assert instalments[-1].condition.endswith("结题验收")
        assert date(2024, 10, 21) <= contract.signed_on <= date(2024, 11, 30), contract.number
        assert contract.issued_at.date() <= contract.signed_on and contract.sign_date == contract.signed_on
        assert 3 <= contract.confidentiality_years <= 5 and 4 <= contract.copies <= 6
        assert contract.pdf.startswith(b"%PDF") and hashlib.sha256(contract.pdf).hexdigest() == contract.pdf_sha256
        scan = (Path(app.config["UPLOAD_FOLDER"]) / "contracts" / contract.signed_scan_name).read_bytes()
        assert scan.startswith(b"%PDF") and hashlib.sha256(scan).hexdigest() == contract.signed_scan_sha256
    disputes = Counter(c.dispute for c in live)
    assert disputes[DisputeResolution.COURT] == 2 and disputes[DisputeResolution.ARBITRATION] == 16
    assert all(c.arbitration_commission == "宁波仲裁委员会" for c in live if c.dispute == DisputeResolution.ARBITRATION)
    assert "CIC8-NB 合同：签订技术开发合同 18 份（委托 8 份、合作 10 份，" in output
    assert "7,250.00 万元（72,500,000.00 元）" in output


def test_demo_contracts_have_payments_acceptances_and_one_corrected_version(demo):
    contracts = _contracts()
    live = [c for c in contracts if c.status != ContractStatus.VOID]
    paid = [c for c in live if c.payments]
    assert len(paid) == 12
    for contract in paid:
        received = sum(p.amount for p in contract.payments)
        assert received <= contract.total_amount
        assert all(contract.signed_on <= p.received_on <= date(2025, 12, 31) and p.note for p in contract.payments)
        due = [i.amount for i in contract.instalments]
        assert [p.amount for p in contract.payments] == due[:len(contract.payments)]  # instalments in order
    eligible = [c for c in live if sum(p.amount for p in c.payments) >= KEY_PROGRAMME_THRESHOLD]
    assert 3 <= len(eligible) <= 4
    assert any(sum(p.amount for p in c.payments) == c.total_amount for c in live)  # one is paid in full
    accepted = [a for c in live for a in c.acceptances]
    assert len(accepted) >= 5 and all(a.instalment_id and a.description for a in accepted)
    (voided,) = [c for c in contracts if c.status == ContractStatus.VOID]
    successor = next(c for c in live if c.replaces_id == voided.id)
    assert voided.void_reason and voided.payments == [] and voided.number + "-V2" == successor.number
    assert (successor.version, successor.sequence, successor.need_id) == (2, voided.sequence, voided.need_id)
    assert party(successor, "party_b")["bank_account"] != party(voided, "party_b")["bank_account"]
    moments = list(_db.session.scalars(sa.select(AuditEvent.created_at).where(AuditEvent.action.like("contract.%"))))
    assert len(moments) > 100 and datetime(2024, 10, 1) <= min(moments) <= max(moments) <= datetime(2025, 12, 31)
    assert all(datetime(2024, 10, 1) <= c.created_at <= c.updated_at <= datetime(2024, 12, 1) for c in contracts)


def test_stats_of_the_demo_edition_say_18_contracts_and_7250_wan(demo):
    app, _ = demo
    result = app.test_cli_runner().invoke(args=["stats", "--edition", "CIC8-NB", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["winners"], data["contracts_issued"], data["contracts_signed"]) == (18, 18, 18)
    assert data["firms_signed"] == 18  # the seed's "18 firms, 18 contracts, 7250万元"
    assert data["contract_amount_signed"] == data["contract_amount_issued"] == "72500000.00"
    assert Decimal("0") < Decimal(data["tech_amount_signed"]) < Decimal("72500000.00")
    assert Decimal("0") < Decimal(data["payments_received"]) < Decimal("72500000.00")
    assert 3 <= data["key_programme_eligible"] <= 4


def test_every_registration_row_of_the_demo_has_every_field_with_valid_codes(demo):
    app, _ = demo
    with app.test_request_context():
        header, rows = registration_rows(_edition("CIC8-NB"))
    assert len(rows) == 18
    registered = 0
    for row in rows:
        cell = dict(zip(header, row))
        office = {k: cell.pop(k) for k in ("合同登记编号", "核定技术交易额（元）", "登记日期")}
        registered += office["合同登记编号"] is not None
        assert all(value not in (None, "") for value in cell.values()), cell
        assert codes.label("contract_types", cell["合同类型代码"]).startswith("技术开发")
        assert codes.label("tech_fields", cell["技术领域代码"]) and codes.label("ip_categories", cell["知识产权类别代码"])
        assert codes.label("socio_goals", cell["社会经济目标代码"])
        for side in ("卖方（乙方）", "买方（甲方）"):
            assert codes.check_region(cell[side + "行政区划代码"]) and cell[side + "国别代码"] == codes.CHINA
            assert codes.label("unit_natures", cell[side + "性质代码"])
            assert normalize_credit_code(cell[side + "统一社会信用代码"])
        assert cell["买方（甲方）性质代码"] in ("150", "160")  # firms by registration type, never a default 170
        assert Decimal(0) < cell["技术交易额（元）"] <= cell["成交金额（元）"]
    assert registered == 5


def test_running_seed_demo_again_changes_nothing(demo):
    app, _ = demo
    before = _snapshot()
    uploads = Path(app.config["UPLOAD_FOLDER"])
    files = sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*"))
    app.config["FROZEN_NOW"] = NOW + timedelta(days=5)  # a later run must not move any date either
    try:
        again = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["FROZEN_NOW"] = NOW
    assert again.exit_code == 0, again.output
    assert "新建 0" in again.output and "已存在" in again.output and "已完成评审" in again.output
    assert "CIC8-NB：18 个需求揭榜成功" in again.output
    assert "CIC8-NB 合同：已有 19 份（已签订 18 份），保持不变" in again.output
    _db.session.expire_all()
    after = _snapshot()
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    assert after == before
    assert sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*")) == files


def test_seed_demo_speaks_the_language_of_the_environment(demo):
    app, _ = demo
    runner = app.test_cli_runner()
    unset = {"LC_ALL": None, "LC_MESSAGES": None}  # they would take precedence over LANG

    english = runner.invoke(args=["seed-demo"], env={**unset, "LANG": "en_US.UTF-8"})
    assert english.exit_code == 0, english.output
    for phrase in ("Organizations: 0 created, ", "Accounts: 0 created, ", "Teams: 0 created, ",
                   "Edition CIC8-NB: already there, judged and its results published",
                   "Needs (CIC9-NB): 0 created, 8 already there", "Bids (CIC9-NB): 0 created, 5 already there",
                   "CIC8-NB: 18 needs awarded, 7 failed (",
                   "CIC8-NB contracts: 19 already there (18 signed), left as they are",
                   "Edition CIC9-NB: already there, dates left unchanged",
                   "Demo accounts (password demo-pass-2024 for all): organizer (organizer); firm1–firm19 (firms)"):
        assert phrase in english.output, phrase
    # Chinese is left only in the names of records (none of this run's lines names one).
    names = [*_db.session.scalars(sa.select(Edition.name)), *_db.session.scalars(sa.select(User.display_name)),
             *_db.session.scalars(sa.select(Organization.name)), *_db.session.scalars(sa.select(Team.name))]
    text = english.output
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text), text

    chinese = runner.invoke(args=["seed-demo"], env={**unset, "LANG": "C.UTF-8"})
    assert chinese.exit_code == 0, chinese.output
    for line in ("机构：新建 0 个，已存在 ", "届次 CIC8-NB：已存在，已完成评审并公布结果，保持不变",
                 "技术需求（CIC9-NB）：新建 0 条，已存在 8 条", "挑战报告（CIC9-NB）：新建 0 份，已存在 5 份",
                 "CIC8-NB：18 个需求揭榜成功，7 个流榜（", "CIC8-NB 合同：已有 19 份（已签订 18 份），保持不变",
                 "届次 CIC9-NB：已存在，日期保持不变", "演示账号（密码均为 demo-pass-2024）：organizer（组织方）"):
        assert line in chinese.output, line
    assert "already there" not in chinese.output and "Demo accounts" not in chinese.output
    assert len(chinese.output.splitlines()) == len(english.output.splitlines())


def test_seed_demo_writes_a_missing_report_again(demo):
    app, _ = demo
    bid = _db.session.scalar(sa.select(Bid).order_by(Bid.id))
    path = Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name
    path.unlink()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == bid.pdf_sha256 and "补写" in result.output


def test_seed_demo_leaves_an_older_demo_edition_alone(runner, db, edition):
    db.session.commit()  # CIC8-NB as an older seed left it: open, 2026 dates
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "旧版演示数据" in result.output and "揭榜成功" not in result.output
    db.session.refresh(edition)
    assert edition.stage == EditionStage.OPEN and edition.year == 2026
    assert db.session.scalar(sa.select(sa.func.count(Need.id)).where(Need.edition_id == edition.id)) == 0
    assert len(_needs("CIC9-NB")) == 8
    assert db.session.scalar(sa.select(sa.func.count(JudgeExpertise.field))) > 0


def test_seed_demo_refuses_a_username_taken_by_another_role(runner, db, make_user):
    make_user(Role.JUDGE, username="firm1")
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "firm1" in result.output and "另一角色" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Edition.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_create_user_creates_a_judge(runner, db):
    result = runner.invoke(args=["create-user", "--role", "judge", "--username", "x", "--name", "X",
                                 "--password", "pw12345678"])
    assert result.exit_code == 0, result.output
    user = _user("x")
    assert user.role == Role.JUDGE and user.display_name == "X" and user.check_password("pw12345678")


def test_create_user_refuses_a_duplicate_username(runner, db):
    args = ["create-user", "--role", "judge", "--username", "x", "--name", "X", "--password", "pw12345678"]
    assert runner.invoke(args=args).exit_code == 0
    users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    result = runner.invoke(args=args[:-4] + ["--name", "Y", "--password", "pw12345678"])
    assert result.exit_code != 0 and "已被使用" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    assert _user("x").display_name == "X"


def test_init_db_creates_the_tables_on_a_fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "fresh.sqlite"
    fresh = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    result = fresh.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"alembic_version", "edition", "need", "bid", "user_account", "organization", "score_sheet"} <= tables
    assert len(version) == 1
