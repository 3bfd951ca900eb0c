"""A confirmed winner's contract through HTTP: draft prefilled from the need, the bid and both parties; terms
and instalments; issue (numbered, frozen PDF); void and redraft; signing; acceptances; payments."""
from __future__ import annotations

import hashlib
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest.domain import contract_clauses
from contest.domain.contracts import ContractStatus, ContractType, DisputeResolution, IpOwnership
from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.models import AuditEvent, Contract, MilestoneAcceptance, Payment
from contest.services.contracts.drafting import PARTY_FIELDS, TERM_FIELDS, add_months

from .conftest import PDF


class World:
    """An awarded need of edition CIC8-NB (year 2024) with its confirmed WINNER bid, and an organizer. Its results
    were published on 1 March 2026, so the objection window closed on 6 March, before the clock's 10 March."""

    def __init__(self, db, edition, make_user, make_need, make_team, make_bid):
        edition.year = 2024
        edition.stage, edition.results_published_at = EditionStage.RESULTS, datetime(2026, 3, 1, 2, 0)
        self.db, self.edition = db, edition
        self.organizer = make_user(Role.ORGANIZER)
        self.firm = make_user(Role.FIRM)
        self.firm.organization.name = "宁波甬江精密注塑有限公司"
        self.team = make_team(name="视觉检测揭榜团队")
        self.team.lead_org.name = "宁波大学"
        self.need = make_need(status=NeedStatus.AWARDED, firm=self.firm, name="注塑件在线视觉检测")
        self.bid = make_bid(need=self.need, team=self.team, status=BidStatus.WINNER, price_wan=Decimal("350.00"))
        self.loser = make_bid(need=self.need, status=BidStatus.NOT_SELECTED)
        self.make_need, self.make_bid = make_need, make_bid
        db.session.commit()

    def awarded_need(self, name: str):
        need = self.make_need(status=NeedStatus.AWARDED, name=name)
        self.make_bid(need=need, status=BidStatus.WINNER, price_wan=Decimal("120.00"))
        self.db.session.commit()
        return need


@pytest.fixture
def world(db, edition, make_user, make_need, make_team, make_bid):
    return World(db, edition, make_user, make_need, make_team, make_bid)


def text(response) -> str:
    return response.get_data(as_text=True)


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (IpOwnership, DisputeResolution, ContractType)):
        return value.value
    return value.isoformat() if isinstance(value, date) else str(value)


def terms_form(contract: Contract, instalments=None, party_a=None, party_b=None, **overrides) -> dict:
    """The terms form as the page would post it: the contract's current values with some changed."""
    data = {key: _value(getattr(contract, key)) for key in TERM_FIELDS}
    clauses = {**contract_clauses.defaults(contract.contract_type), **(contract.clauses or {})}
    data.update({f"clauses-{key}": _value(value) for key, value in clauses.items()})
    for side, changes in (("party_a", party_a), ("party_b", party_b)):
        details = {**json.loads(getattr(contract, side)), **(changes or {})}
        data.update({f"{side}-{key}": details.get(key, "") for key in PARTY_FIELDS})
    rows = instalments if instalments is not None else [
        (str(i.amount), i.due_date.isoformat(), i.condition) for i in contract.instalments]
    for n, (amount, due, condition) in enumerate(rows):
        data.update({f"instalments-{n}-amount": amount, f"instalments-{n}-due": due,
                     f"instalments-{n}-condition": condition})
    data.update({key: _value(value) for key, value in overrides.items()})
    return data


SPLIT = [("1000000.00", "2026-06-30", "签订后预付"), ("1500000.00", "2026-12-31", "样机通过中期验收"),
         ("1000000.00", "2027-05-31", "项目通过最终验收")]


def draft(client, world, need=None) -> Contract:
    need = need or world.need
    r = client.post(f"/organizer/needs/{need.id}/contract")
    assert r.status_code == 302, text(r)
    return world.db.session.scalar(sa.select(Contract).where(Contract.need_id == need.id,
                                                             Contract.status != ContractStatus.VOID))


def issued(client, world, need=None) -> Contract:
    contract = draft(client, world, need)
    # The main need's 350 万元 in three instalments; another need keeps its one prefilled instalment.
    r = client.post(f"/organizer/contracts/{contract.id}",
                    data=terms_form(contract, instalments=None if need else SPLIT))
    assert r.status_code == 302, text(r)
    r = client.post(f"/organizer/contracts/{contract.id}/issue")
    assert r.status_code == 302, text(r)
    world.db.session.refresh(contract)
    return contract


def signed(client, world) -> Contract:
    contract = issued(client, world)
    r = client.post(f"/organizer/contracts/{contract.id}/sign",
                    data={"signed_on": "2026-03-10", "scan": (io.BytesIO(PDF), "已签合同.pdf")})
    assert r.status_code == 302, text(r)
    world.db.session.refresh(contract)
    return contract


def snapshot(db, contract: Contract) -> tuple:
    """What a refused request must leave untouched."""
    db.session.expire_all()
    c = db.session.get(Contract, contract.id)
    return (c.status, c.number, c.pdf_sha256, c.total_amount, c.party_a, c.party_b, c.sign_date,
            [(i.seq, i.amount, i.due_date, i.condition) for i in c.instalments],
            len(c.payments), len(c.acceptances), c.signed_scan_name)


# --- drafting ---------------------------------------------------------------------------------------------

def test_a_confirmed_winner_is_drafted_with_terms_prefilled_from_need_bid_and_both_organizations(client, db, world, login):
    login(world.organizer)
    page = text(client.get("/organizer/editions/CIC8-NB/contracts"))
    assert "注塑件在线视觉检测" in page and "起草合同" in page and "视觉检测揭榜团队" in page
    contract = draft(client, world)
    need, bid = world.need, world.bid
    assert (contract.status, contract.version, contract.number) == (ContractStatus.DRAFT, 1, None)
    assert contract.project_name == need.name and contract.goal == need.goals
    assert need.problem in contract.content and need.key_points in contract.content and bid.indicators in contract.content
    assert (contract.method, contract.rd_plan) == (bid.approach, bid.plan)
    assert contract.total_amount == Decimal("3500000.00")
    # The validity runs six months past the period: Article 19's after-sales service follows the final acceptance.
    assert (contract.valid_from, contract.valid_to) == (need.period_start, add_months(need.period_end, 6))
    assert contract.sign_place == "浙江省宁波市" and contract.copies == 4 and contract.confidentiality_years == 3
    assert (contract.ip_ownership, contract.dispute) == (IpOwnership.DEVELOPER, DisputeResolution.ARBITRATION)
    assert contract.arbitration_commission == "宁波仲裁委员会"
    a, b = json.loads(contract.party_a), json.loads(contract.party_b)
    firm_org, lead_org = world.firm.organization, world.team.lead_org
    assert (a["name"], a["credit_code"], a["bank_account"]) == (firm_org.name, firm_org.credit_code, firm_org.bank_account)
    assert (b["name"], b["credit_code"], b["bank_name"]) == ("宁波大学", lead_org.credit_code, lead_org.bank_name)
    assert a["kind"] == "enterprise" and b["region_code"] == "330212"
    assert [(i.seq, i.amount) for i in contract.instalments] == [(1, Decimal("3500000.00"))]
    # The terms form shows the prefilled values; the winner is no longer waiting for a contract.
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert firm_org.bank_account in page and "宁波仲裁委员会" in page and "人民币叁佰伍拾万元整" in page
    listing = text(client.get("/organizer/editions/CIC8-NB/contracts"))
    assert f'data-awaiting="{need.id}"' not in listing and f'data-contract="{contract.id}"' in listing
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contract.draft")) is not None


def test_a_need_gets_one_live_contract_and_only_from_a_confirmed_winner(client, db, world, login, make_need, make_bid):
    login(world.organizer)
    first = draft(client, world)
    # A second click (or a replay) drafts nothing more: the organizer is sent on to the live draft.
    r = client.post(f"/organizer/needs/{world.need.id}/contract")
    assert r.status_code == 303 and r.headers["Location"] == f"/organizer/contracts/{first.id}"
    assert "该需求已有合同（草稿），请在该合同上继续办理" in text(client.get(r.headers["Location"]))
    assert db.session.scalar(sa.select(sa.func.count(Contract.id)).where(Contract.need_id == world.need.id)) == 1
    final = make_need(status=NeedStatus.FINAL, name="尚在现场赛的需求")
    make_bid(need=final, status=BidStatus.FINALIST)
    db.session.commit()
    r = client.post(f"/organizer/needs/{final.id}/contract")
    assert r.status_code == 409 and "只有已确认揭榜" in text(r)
    assert db.session.scalar(sa.select(sa.func.count(Contract.id))) == 1


def test_the_organizer_completes_the_terms_with_a_schedule_and_corrected_parties(client, db, world, login):
    login(world.organizer)
    contract = draft(client, world)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(
        contract, instalments=SPLIT, party_b={"bank_account": "3901 0000 8888", "contact_email": "lab@nbu.edu.cn"},
        total_amount="3500000", ip_ownership=IpOwnership.JOINT, dispute=DisputeResolution.COURT, copies=6,
        acceptance_criteria="漏检率低于 0.1%"))
    assert r.status_code == 302, text(r)
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert [(i.seq, i.amount, i.condition) for i in contract.instalments] == [
        (1, Decimal("1000000.00"), "签订后预付"), (2, Decimal("1500000.00"), "样机通过中期验收"),
        (3, Decimal("1000000.00"), "项目通过最终验收")]
    assert (contract.ip_ownership, contract.dispute, contract.copies) == (IpOwnership.JOINT, DisputeResolution.COURT, 6)
    assert json.loads(contract.party_b)["bank_account"] == "3901 0000 8888"
    assert contract.acceptance_criteria == "漏检率低于 0.1%"


BAD_TERMS = [
    ({"instalments": [("1000000", "2026-06-30", "预付"), ("2000000", "2027-05-31", "验收")]}, 400, "须等于合同总额"),
    ({"total_amount": "0", "instalments": [("0", "2026-06-30", "预付")]}, 400, "0.01 元至"),
    ({"total_amount": "-100", "instalments": [("-100", "2026-06-30", "预付")]}, 400, "0.01 元至"),
    ({"total_amount": "1000000000000", "instalments": [("1000000000000", "2026-06-30", "预付")]}, 400, "0.01 元至"),
    ({"instalments": [("3500000", "2026-06-30", "预付"), ("0", "2026-07-30", "验收")]}, 400, "第 2 期付款金额"),
    ({"instalments": [("3500000", "2026-03-01", "预付")]}, 400, "到期日不能早于签订日期"),
    ({"instalments": [("3500000", "", "预付")]}, 400, "每期须同时填写金额、到期日和付款条件"),
    ({"total_amount": "三百五十万"}, 400, "请检查表单"),
    ({"total_amount": "3500000.001"}, 400, "最多保留两位小数"),
    ({"party_a": {"credit_code": "913302001234"}}, 400, "统一社会信用代码无效"),
    ({"party_b": {"name": ""}}, 400, "请检查表单"),
    ({"dispute": DisputeResolution.ARBITRATION, "arbitration_commission": ""}, 400, "仲裁委员会名称"),
    ({"valid_to": "2025-01-01"}, 400, "截止日期不能早于起始日期"),
]


@pytest.mark.parametrize("changes, status, message", BAD_TERMS)
def test_bad_terms_are_refused_with_a_message_and_nothing_changes(client, db, world, login, changes, status, message):
    login(world.organizer)
    contract = draft(client, world)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(contract, **changes))
    assert r.status_code == status and message in text(r)
    assert snapshot(db, contract) == before


# --- issue, download, void --------------------------------------------------------------------------------

@pytest.mark.parametrize("side, field, message", [
    ("party_b", "bank_account", "乙方账号未填写"), ("party_b", "bank_name", "乙方开户银行未填写"),
    ("party_a", "credit_code", "甲方统一社会信用代码未填写"),
])
def test_issue_is_refused_while_a_party_lacks_a_bank_or_identity_detail(client, db, world, login, side, field, message):
    login(world.organizer)
    contract = draft(client, world)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(contract, **{side: {field: ""}}))
    assert r.status_code == 302, text(r)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}/issue")
    assert r.status_code == 400 and message in text(r)
    assert snapshot(db, contract) == before and before[0] == ContractStatus.DRAFT


def test_issue_numbers_the_contract_and_freezes_its_pdf_with_its_sha256(client, db, world, login):
    login(world.organizer)
    contract = issued(client, world)
    assert contract.status == ContractStatus.ISSUED and contract.number == "CIC8-NB-2024-001"
    assert contract.pdf.startswith(b"%PDF") and contract.pdf_sha256 == hashlib.sha256(contract.pdf).hexdigest()
    assert len(contract.verify_token) == 43 and contract.issued_by_id == world.organizer.id
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "CIC8-NB-2024-001" in page and contract.pdf_sha256 in page and 'id="terms-form"' not in page
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contract.issue"))
    assert json.loads(event.detail)["sha256"] == contract.pdf_sha256


def test_an_issued_contract_is_never_issued_again_nor_edited(client, db, world, login):
    login(world.organizer)
    contract = issued(client, world)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}/issue")
    assert r.status_code == 409 and "不能重复出具" in text(r)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(contract, total_amount="1"))
    assert r.status_code == 409 and "已出具的合同不能修改，请作废后出具新版本" in text(r)
    assert snapshot(db, contract) == before


def test_every_download_returns_exactly_the_bytes_stored_at_issue(client, db, world, login):
    login(world.organizer)
    contract = issued(client, world)
    stored = contract.pdf
    # What the document was made from changes afterwards: the issued document does not.
    world.edition.name = "改名后的届次"
    world.firm.organization.bank_account = "000000"
    world.need.name = "改名后的需求"
    db.session.commit()
    first, second = (client.get(f"/organizer/contracts/{contract.id}/pdf") for _ in range(2))
    assert first.status_code == second.status_code == 200 and first.mimetype == "application/pdf"
    assert "CIC8-NB-2024-001.pdf" in first.headers["Content-Disposition"]
    assert first.data == second.data == stored
    assert hashlib.sha256(first.data).hexdigest() == contract.pdf_sha256


def test_a_draft_has_no_frozen_pdf_but_a_preview_that_stores_nothing(client, db, world, login):
    login(world.organizer)
    contract = draft(client, world)
    assert client.get(f"/organizer/contracts/{contract.id}/pdf").status_code == 404
    preview = client.get(f"/organizer/contracts/{contract.id}/draft.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert (contract.status, contract.pdf, contract.pdf_sha256, contract.number) == (ContractStatus.DRAFT, None, None, None)
    issued_contract = issued(client, world, world.awarded_need("已出具的需求"))
    assert client.get(f"/organizer/contracts/{issued_contract.id}/draft.pdf").status_code == 404


def test_voiding_keeps_the_old_version_and_redrafts_a_new_one_numbered_v2_once_issued(client, db, world, login):
    login(world.organizer)
    old = issued(client, world)
    old_pdf = old.pdf
    r = client.post(f"/organizer/contracts/{old.id}/void", data={"reason": ""})
    assert r.status_code == 400 and db.session.get(Contract, old.id).status == ContractStatus.ISSUED
    r = client.post(f"/organizer/contracts/{old.id}/void", data={"reason": "乙方开户银行变更"})
    assert r.status_code == 302
    db.session.expire_all()
    old = db.session.get(Contract, old.id)
    new = db.session.scalar(sa.select(Contract).where(Contract.replaces_id == old.id))
    assert (old.status, old.void_reason, old.number, old.pdf) == (
        ContractStatus.VOID, "乙方开户银行变更", "CIC8-NB-2024-001", old_pdf)
    assert (new.status, new.version, new.number) == (ContractStatus.DRAFT, 2, None)
    assert r.headers["Location"].endswith(f"/organizer/contracts/{new.id}")
    assert [(i.amount, i.due_date, i.condition) for i in new.instalments] == [
        (i.amount, i.due_date, i.condition) for i in old.instalments]
    assert (new.total_amount, new.party_a, new.content) == (old.total_amount, old.party_a, old.content)
    r = client.post(f"/organizer/contracts/{new.id}", data=terms_form(new, party_b={"bank_account": "3901999"}))
    assert r.status_code == 302
    assert client.post(f"/organizer/contracts/{new.id}/issue").status_code == 302
    db.session.refresh(new)
    assert new.number == "CIC8-NB-2024-001-V2" and new.status == ContractStatus.ISSUED
    page = text(client.get(f"/organizer/contracts/{new.id}"))
    assert 'data-version="1"' in page and 'data-version="2"' in page and "乙方开户银行变更" in page
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"contract.void", "contract.redraft"} <= actions
    # The next need's contract takes the next sequence: numbers are never reused.
    other = issued(client, world, world.awarded_need("第二个需求"))
    assert other.number == "CIC8-NB-2024-002"


# --- signing and follow-up --------------------------------------------------------------------------------

def test_a_payment_or_acceptance_on_an_unsigned_contract_is_refused(client, db, world, login):
    login(world.organizer)
    contract = issued(client, world)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}/payments",
                    data={"amount": "100000", "received_on": "2026-03-10", "bank_receipt": "HD001"})
    assert r.status_code == 409 and "合同尚未签订，不能登记到账" in text(r)
    r = client.post(f"/organizer/contracts/{contract.id}/acceptances",
                    data={"description": "中期验收", "accepted_on": "2026-03-10", "instalment_id": "0"})
    assert r.status_code == 409 and "合同尚未签订" in text(r)
    assert snapshot(db, contract) == before


@pytest.mark.parametrize("data, status, message", [
    ({"signed_on": "2026-03-10", "scan": (io.BytesIO(b"GIF89a not a pdf"), "scan.pdf")}, 400, "只接受 PDF 文件"),
    ({"signed_on": "2026-03-10"}, 400, "请上传签订后的合同扫描件"),
    ({"signed_on": "2026-03-11", "scan": (io.BytesIO(PDF), "scan.pdf")}, 400, "不能晚于今天"),
    ({"signed_on": "2026-03-01", "scan": (io.BytesIO(PDF), "scan.pdf")}, 400, "不能早于合同出具日期"),
])
def test_a_bad_signing_is_refused_and_nothing_is_stored(client, db, world, login, app, data, status, message):
    login(world.organizer)
    contract = issued(client, world)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}/sign", data=data)
    assert r.status_code == status and message in text(r)
    assert snapshot(db, contract) == before
    folder = Path(app.config["UPLOAD_FOLDER"]) / "contracts"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_signing_stores_the_scan_and_the_contract_is_signed(client, db, world, login, app):
    login(world.organizer)
    contract = signed(client, world)
    assert contract.status == ContractStatus.SIGNED and contract.signed_on == date(2026, 3, 10)
    stored = Path(app.config["UPLOAD_FOLDER"]) / "contracts" / contract.signed_scan_name
    assert stored.read_bytes() == PDF and contract.signed_scan_name != "已签合同.pdf"
    assert contract.signed_scan_sha256 == hashlib.sha256(PDF).hexdigest()
    r = client.get(f"/organizer/contracts/{contract.id}/scan")
    assert r.status_code == 200 and r.data == PDF
    # Still frozen: the issued PDF is unchanged by the signing.
    assert client.get(f"/organizer/contracts/{contract.id}/pdf").data == contract.pdf


def test_acceptances_are_recorded_against_an_instalment(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    second = contract.instalments[1]
    r = client.post(f"/organizer/contracts/{contract.id}/acceptances",
                    data={"description": "样机通过中期验收", "accepted_on": "2026-03-10", "instalment_id": str(second.id)})
    assert r.status_code == 302
    acceptance = db.session.scalar(sa.select(MilestoneAcceptance))
    assert (acceptance.contract_id, acceptance.instalment_id, acceptance.accepted_on) == (contract.id, second.id, date(2026, 3, 10))
    assert "样机通过中期验收" in text(client.get(f"/organizer/contracts/{contract.id}"))
    r = client.post(f"/organizer/contracts/{contract.id}/acceptances",
                    data={"description": "将来的验收", "accepted_on": "2026-04-01", "instalment_id": "0"})
    assert r.status_code == 400 and "不能晚于今天" in text(r)
    assert db.session.scalar(sa.select(sa.func.count(MilestoneAcceptance.id))) == 1


def test_payments_accumulate_to_the_key_programme_flag_and_overpayment_is_refused(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    listing = "/organizer/editions/CIC8-NB/contracts"
    for amount in ("1000000", "1999999.99"):
        r = client.post(f"/organizer/contracts/{contract.id}/payments",
                        data={"amount": amount, "received_on": "2026-03-10", "bank_receipt": "HD001"})
        assert r.status_code == 302
    # A university developing for a firm, registered: the flag waits for 3,000,000 received with receipts.
    r = client.post(f"/organizer/contracts/{contract.id}/registration",
                    data={"registration_number": "20263302030001", "tech_amount": "3500000",
                          "registered_on": "2026-03-10"})
    assert r.status_code == 302
    assert "符合市重点研发计划条件" not in text(client.get(listing))
    assert client.post(f"/organizer/contracts/{contract.id}/payments",
                       data={"amount": "0.01", "received_on": "2026-03-10",
                             "bank_receipt": "HD002"}).status_code == 302
    assert "符合市重点研发计划条件" in text(client.get(listing))
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "符合市重点研发计划条件" in page and "3,000,000.00" in page
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}/payments",
                    data={"amount": "500000.01", "received_on": "2026-03-10", "bank_receipt": "HD003"})
    assert r.status_code == 400 and "将超过合同总额" in text(r)
    r = client.post(f"/organizer/contracts/{contract.id}/payments",
                    data={"amount": "-5", "received_on": "2026-03-10", "bank_receipt": "HD004"})
    assert r.status_code == 400
    # A contract with money received under it is not voided.
    r = client.post(f"/organizer/contracts/{contract.id}/void", data={"reason": "更正"})
    assert r.status_code == 409 and "已登记到账款项" in text(r)
    assert snapshot(db, contract) == before
    assert db.session.scalar(sa.select(sa.func.sum(Payment.amount))) == Decimal("3000000.00")


# --- pages, guards ----------------------------------------------------------------------------------------

def test_the_contracts_page_runs_a_constant_number_of_queries(client, db, world, login, count_queries):
    login(world.organizer)
    issued(client, world)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/organizer/editions/CIC8-NB/contracts").status_code == 200
    for n in range(3):
        issued(client, world, world.awarded_need(f"另一个需求{n}"))
    world.awarded_need("待起草的需求")
    db.session.expire_all()
    with count_queries() as many:
        page = text(client.get("/organizer/editions/CIC8-NB/contracts"))
    assert "CIC8-NB-2024-004" in page and "待起草的需求" in page
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [Role.FIRM, Role.TEAM, Role.JUDGE])
def test_only_the_organizer_reaches_the_contracts(client, db, world, login, make_user, role):
    login(world.organizer)
    contract = issued(client, world)
    login(make_user(role))
    for url in ("/organizer/editions/CIC8-NB/contracts", f"/organizer/contracts/{contract.id}",
                f"/organizer/contracts/{contract.id}/pdf"):
        assert client.get(url).status_code == 403
    assert client.post(f"/organizer/contracts/{contract.id}/void", data={"reason": "x"}).status_code == 403
    assert client.post(f"/organizer/needs/{world.awarded_need('别的需求').id}/contract").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Contract.id))) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    r = client.get("/organizer/editions/CIC8-NB/contracts")
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]


def test_drafting_needs_the_csrf_token(app, client, db, world, login):
    login(world.organizer)
    app.config["WTF_CSRF_ENABLED"] = True
    r = client.post(f"/organizer/needs/{world.need.id}/contract")
    assert r.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Contract.id))) == 0


def test_unknown_contracts_and_editions_are_404(client, world, login):
    login(world.organizer)
    assert client.get("/organizer/contracts/999").status_code == 404
    assert client.get("/organizer/editions/NOPE/contracts").status_code == 404
    assert client.post("/organizer/needs/999/contract").status_code == 404
