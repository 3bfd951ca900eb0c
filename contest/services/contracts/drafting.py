"""Drafting a contract from a confirmed winner: the parties' snapshots, the terms and the instalment schedule,
completed and corrected until the contract is issued."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from ...domain import contracts as rules
from ...domain import contract_clauses, registration_codes
from ...domain.contracts import (
    CENT, NONTECH_PARTS, ContractStatus, ContractType, DisputeResolution, InstalmentTerm, IpOwnership, contract_type_for,
)
from ...domain.errors import Conflict, Invalid, Phrase
from ...domain.organizations import normalize_credit_code
from ...domain.permissions import ensure_organizer
from ...domain.states import BidStatus, NeedStatus
from ...extensions import db
from ...models import Bid, Contract, Instalment, Need, Organization, User
from ..clock import beijing_date
from ..brokers import credits as broker_credits
from ..judging import objections
from ..judging.stages import objection_deadline
from ..records import audit

PARTY_KEYS = ("name", "address", "legal_rep", "contact_name", "contact_phone", "contact_email", "fax", "credit_code",
              "bank_name", "bank_address", "bank_account", "region_code", "kind", "nature_code", "country_code")
# What the organizer may correct in a party's snapshot, with the words the contract uses for it.
PARTY_FIELDS = {
    "name": Phrase("contract.field.name"), "address": Phrase("contract.field.address"),
    "legal_rep": Phrase("contract.field.legal_rep"), "contact_name": Phrase("contract.field.contact_name"),
    "contact_phone": Phrase("contract.field.contact_phone"), "contact_email": Phrase("contract.field.contact_email"),
    "fax": Phrase("contract.field.fax"), "credit_code": Phrase("contract.field.credit_code"),
    "bank_name": Phrase("contract.field.bank_name"), "bank_address": Phrase("contract.field.bank_address"),
    "bank_account": Phrase("contract.field.bank_account"),
}
# A contract is not issued without these: the parties are identified and can be paid.
PARTY_REQUIRED_AT_ISSUE = ("name", "credit_code", "bank_name", "bank_account")
SIDES = {"party_a": Phrase("contract.side.party_a"), "party_b": Phrase("contract.side.party_b")}
# The terms copied from one version to the next, and those update_terms accepts.
TERM_FIELDS = ("contract_type", "project_name", "sign_place", "sign_date", "valid_from", "valid_to", "goal", "content",
               "method", "rd_plan", "firm_materials", "total_amount", *NONTECH_PARTS, "funds_use",
               "acceptance_criteria", "acceptance_method", "ip_ownership", "ip_detail", "confidentiality_years",
               "risk_terms", "after_sales", "breach_terms", "dispute", "arbitration_commission", "copies", "other_terms",
               "tech_field", "ip_category", "socio_goal")
# What a new version copies besides the terms: the model text's other blanks.
COPIED_FIELDS = (*TERM_FIELDS, "clauses")
# The registration form's classification, each checked against its code table.
CLASSIFICATION = {"tech_field": ("tech_fields", Phrase("contract.field.tech_field")),
                  "ip_category": ("ip_categories", Phrase("contract.field.ip_category")),
                  "socio_goal": ("socio_goals", Phrase("contract.field.socio_goal"))}
# Article 19's after-sales service runs this long past the final acceptance, and the contract with it.
SERVICE_MONTHS = 6
SIGN_PLACE = "浙江省宁波市"
ARBITRATION_COMMISSION = "宁波仲裁委员会"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter: 8-31 + 6 → 2-28 or 2-29)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def snapshot(org: Organization) -> dict:
    """The organization as it stands in the contract: later edits of the organization do not change it. Fax and
    the bank's address are not kept on the organization: the organizer completes them in the contract."""
    data = {key: getattr(org, key, "") or "" for key in PARTY_KEYS}
    data["kind"] = org.kind.value
    data["nature_code"] = org.nature_code or registration_codes.default_nature(org.kind) or ""
    return data


def party(contract: Contract, side: str) -> dict:
    """A party's snapshot (side "party_a" or "party_b") as a dict with every key present."""
    data = json.loads(getattr(contract, side) or "{}")
    return {key: data.get(key, "") for key in PARTY_KEYS}


def winner_bid(need: Need) -> Bid | None:
    return db.session.scalar(sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.WINNER))


def live_contract(need: Need) -> Contract | None:
    return db.session.scalar(sa.select(Contract).where(Contract.need_id == need.id,
                                                       Contract.status != ContractStatus.VOID))


class ContractExists(Conflict):
    """The need has its live contract already (a second click, a replay, a parallel copy): go on with that one."""

    def __init__(self, contract: Contract) -> None:
        super().__init__("contract.exists", number=contract.number or Phrase("contract.draft"))
        self.contract = contract


def check_draft(need: Need, actor: User, now: datetime) -> None:
    """Refuse drafting the need's contract now: an awarded need whose results notice has closed (the objection
    window is over, Beijing time) with no objection to it awaiting a ruling."""
    ensure_organizer(actor)
    if need.status != NeedStatus.AWARDED:
        raise Conflict("contract.need_not_awarded")
    deadline = objection_deadline(need.edition)
    if deadline is None:
        raise Conflict("contract.results_not_published")
    if beijing_date(now) <= deadline:
        raise Conflict("contract.objection_window_open", deadline=deadline)
    # A list of needs loads the count with its one statement (listing.awaiting_contract); else it is asked here.
    pending = need.pending_objections if need.pending_objections is not None else objections.pending_count(need)
    if pending:
        raise Conflict("contract.objections_pending", count=pending)


def draft_contract(need: Need, actor: User, now: datetime) -> Contract:
    """A draft prefilled from the need, its confirmed winning bid and both organizations, once its results notice
    has closed uncontested (check_draft)."""
    check_draft(need, actor, now)
    bid = winner_bid(need)
    if bid is None:
        raise Conflict("contract.no_winner")
    existing = live_contract(need)
    if existing is not None:
        raise ContractExists(existing)
    today = beijing_date(now)
    total = (bid.price_wan * 10000).quantize(CENT)
    kind = contract_type_for(need.cooperation)
    tech_field, socio_goal = registration_codes.defaults_for_field(need.field)
    contract = Contract(
        edition_id=need.edition_id, need_id=need.id, bid_id=bid.id, version=1, status=ContractStatus.DRAFT,
        contract_type=kind, project_name=need.name, sign_place=SIGN_PLACE, sign_date=today,
        valid_from=need.period_start, valid_to=add_months(max(need.period_end, today), SERVICE_MONTHS),
        party_a=json.dumps(snapshot(need.firm), ensure_ascii=False),
        party_b=json.dumps(snapshot(bid.team.lead_org), ensure_ascii=False),
        goal=need.goals,
        content=f"需解决的技术问题：{need.problem}\n技术关键与主要指标：{need.key_points}\n乙方承诺的关键指标：{bid.indicators}",
        method=bid.approach, rd_plan=bid.plan, total_amount=total,
        acceptance_criteria=bid.indicators, ip_ownership=IpOwnership.DEVELOPER, confidentiality_years=3,
        dispute=DisputeResolution.ARBITRATION, arbitration_commission=ARBITRATION_COMMISSION, copies=4,
        clauses=contract_clauses.defaults(kind), tech_field=tech_field, socio_goal=socio_goal,
        ip_category=registration_codes.DEFAULT_IP_CATEGORY,
    )
    # Both sides' brokers: the confirmed credits on the need and on the winning bid (contest.services.brokers).
    contract.firm_broker_id, contract.team_broker_id = broker_credits.confirmed_brokers(need.id, bid.id)
    # One instalment for the whole amount, due at the end of the period; the organizer splits it.
    contract.instalments = [Instalment(seq=1, amount=total, due_date=max(need.period_end, today),
                                       condition="项目通过甲方验收后支付")]
    db.session.add(contract)
    audit.record(actor, "contract.draft", contract, {"need": need.id, "bid": bid.id, "total": total})
    return contract


def ensure_draft(contract: Contract) -> None:
    if contract.status != ContractStatus.DRAFT:
        raise Conflict("contract.issued_frozen")


def _checked_party(side: str, given: dict, current: dict) -> dict:
    """A party's corrected details: known keys only, the name required, the credit code valid when given."""
    data = dict(current)
    for key in PARTY_FIELDS:
        if key in given:
            data[key] = (given[key] or "").strip()
    if not data["name"]:
        raise Invalid("contract.party.name_missing", side=SIDES[side])
    if data["credit_code"]:
        try:
            data["credit_code"] = normalize_credit_code(data["credit_code"])
        except Invalid as e:
            raise Invalid("contract.party.refused", side=SIDES[side], refusal=e) from e
    return data


def _check_terms(terms: dict, instalments: list[InstalmentTerm]) -> None:
    if not (terms.get("project_name") or "").strip():
        raise Invalid("contract.project_name_missing")
    rules.check_amount(terms["total_amount"])
    rules.check_nontech(terms["total_amount"], {key: terms.get(key) or Decimal(0) for key in NONTECH_PARTS})
    rules.check_schedule(terms["total_amount"], instalments, terms.get("sign_date"))
    if terms.get("valid_from") and terms.get("valid_to") and terms["valid_to"] < terms["valid_from"]:
        raise Invalid("contract.validity_reversed")
    last_due = max(t.due for t in instalments)
    if terms.get("valid_to") and terms["valid_to"] < last_due:
        raise Invalid("contract.validity_before_last_payment", due=last_due)
    for key, (table, what) in CLASSIFICATION.items():
        code = terms.get(key) or ""
        if code and code not in registration_codes.table(table):
            raise Invalid("contract.classification.unknown", what=what, code=code)
    if terms.get("dispute") == DisputeResolution.ARBITRATION and not (terms.get("arbitration_commission") or "").strip():
        raise Invalid("contract.arbitration_commission_missing")
    if not 2 <= int(terms.get("copies") or 0) <= 20:
        raise Invalid("contract.copies_out_of_range")
    if not 0 <= int(terms.get("confidentiality_years") or 0) <= 50:
        raise Invalid("contract.confidentiality_out_of_range")


def update_terms(contract: Contract, actor: User, data: dict, instalments: list[InstalmentTerm],
                 now: datetime) -> Contract:
    """Complete or correct a draft's terms, parties and instalment schedule (nothing saved if one is wrong)."""
    ensure_organizer(actor)
    ensure_draft(contract)
    terms = {key: getattr(contract, key) for key in TERM_FIELDS}
    terms.update({key: value for key, value in data.items() if key in TERM_FIELDS})
    terms["contract_type"] = ContractType(terms["contract_type"])
    _check_terms(terms, instalments)
    clauses = contract_clauses.check({**(contract.clauses or {}), **(data.get("clauses") or {})}, terms["contract_type"])
    parties = {side: _checked_party(side, data.get(side) or {}, party(contract, side)) for side in SIDES}
    changed = sorted(key for key in TERM_FIELDS if getattr(contract, key) != terms[key])
    if clauses != (contract.clauses or {}):
        changed.append("clauses")
    for key, value in terms.items():
        setattr(contract, key, value.strip() if isinstance(value, str) else value)
    contract.clauses = clauses
    for side, details in parties.items():
        setattr(contract, side, json.dumps(details, ensure_ascii=False))
    contract.instalments.clear()
    db.session.flush()  # the old rows go before the new ones take their (contract, seq)
    contract.instalments.extend(Instalment(seq=n, amount=t.amount, due_date=t.due, condition=t.condition.strip())
                                for n, t in enumerate(instalments, start=1))
    audit.record(actor, "contract.update", contract, {"fields": changed, "instalments": len(instalments)})
    return contract
