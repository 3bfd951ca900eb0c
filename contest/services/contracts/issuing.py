"""Issuing a contract: the draft gets its number and its PDF, frozen from then on; a correction voids it and
opens the next version as a draft."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from ...domain import contracts as rules
from ...domain.contracts import ContractStatus, InstalmentTerm
from ...domain.errors import Conflict, Invalid
from ...domain.organizations import normalize_credit_code
from ...domain.permissions import ensure_organizer
from ...extensions import db
from ...models import Contract, Edition, Instalment, User
from .. import notify
from ..records import audit
from .document import VERIFY_ENDPOINT, verify_url
from .drafting import COPIED_FIELDS, PARTY_FIELDS, PARTY_REQUIRED_AT_ISSUE, SIDES, ensure_draft, party


def yuan(amount: Decimal) -> str:
    """An amount as a notice says it: 3,500,000.00 (the text adds 元)."""
    return f"{Decimal(amount):,.2f}"


def tell_parties(kind: str, contract: Contract, now: datetime, **params: Any) -> None:
    """Both parties hear of the contract: the member accounts of the firm (party A) and the team's owner (party B,
    for its lead organization). The link is the contract's public verification page, the one page of it they
    reach."""
    parties = notify.audience.firm(contract.need.firm_org_id) + notify.audience.team(contract.bid.team)
    notify.tell(kind, parties, now=now, link=notify.path(VERIFY_ENDPOINT, token=contract.verify_token),
                number=contract.number, **params)


def _check_parties_complete(contract: Contract) -> None:
    for side, who in SIDES.items():
        details = party(contract, side)
        for key in PARTY_REQUIRED_AT_ISSUE:
            if not str(details.get(key) or "").strip():
                raise Invalid("contract.party.field_missing", side=who, field=PARTY_FIELDS[key])
        try:
            normalize_credit_code(details["credit_code"])
        except Invalid as e:
            raise Invalid("contract.party.refused", side=who, refusal=e) from e


def _next_sequence(contract: Contract) -> int:
    """A new version keeps the number of the contract it replaces; a first version takes the next free one."""
    if contract.replaces_id is not None:
        return db.session.get(Contract, contract.replaces_id).sequence
    last = db.session.scalar(sa.select(sa.func.max(Contract.sequence)).where(Contract.edition_id == contract.edition_id))
    return (last or 0) + 1


def check_issue(contract: Contract, actor: User, now: datetime) -> None:
    """Refuse issuing the draft now: organizers only, a draft whose parties are complete and whose instalments
    add up (the contract page then says what is missing instead of offering 出具)."""
    ensure_organizer(actor)
    if contract.status != ContractStatus.DRAFT:
        raise Conflict("contract.already_issued", number=contract.number)
    _check_parties_complete(contract)
    terms = [InstalmentTerm(i.amount, i.due_date, i.condition) for i in contract.instalments]
    rules.check_amount(contract.total_amount)
    rules.check_schedule(contract.total_amount, terms, contract.sign_date)


def check_void(contract: Contract, actor: User, now: datetime) -> None:
    """Refuse voiding now: organizers only, an issued or signed contract without payments recorded."""
    ensure_organizer(actor)
    if contract.status not in (ContractStatus.ISSUED, ContractStatus.SIGNED):
        raise Conflict("contract.void.not_issued")
    if contract.payments:
        raise Conflict("contract.void.has_payments")


def issue_contract(contract: Contract, actor: User, now: datetime, *,
                   make_token: Callable[[str], str] | None = None) -> Contract:
    """Number the draft, render its PDF once, sign it and freeze it: every later download returns these bytes.
    The verification token is random; `make_token(number)` gives it instead (the demo's, which repeat)."""
    # Loaded here: WeasyPrint is heavy and only issuing needs it.
    from ...pdf.contract import render_contract
    from ...pdf.signing import sign_pdf
    from .document import contract_context

    check_issue(contract, actor, now)
    rules.ensure_contract_transition(contract.status, ContractStatus.ISSUED)
    edition = db.session.get(Edition, contract.edition_id)
    contract.sequence = _next_sequence(contract)
    contract.number = rules.contract_number(edition.code, edition.year, contract.sequence, contract.version)
    contract.verify_token = make_token(contract.number) if make_token else secrets.token_urlsafe(32)
    contract.issued_at, contract.issued_by_id = now, actor.id
    contract.pdf = sign_pdf(render_contract(contract_context(contract)))  # PDF/A-3b, signed by the organizer
    contract.pdf_sha256 = hashlib.sha256(contract.pdf).hexdigest()
    contract.status = ContractStatus.ISSUED
    audit.record(actor, "contract.issue", contract, {"number": contract.number, "sha256": contract.pdf_sha256})
    tell_parties("contract.issued", contract, now, need=contract.need.name, amount=yuan(contract.total_amount),
                 verify_url=verify_url(contract.verify_token))
    return contract


def draft_pdf(contract: Contract) -> bytes:
    """The draft as it would print today, marked as a draft, to go over with the parties; nothing is stored."""
    from ...pdf.contract import render_contract
    from .document import contract_context

    ensure_draft(contract)
    return render_contract(contract_context(contract))


def download_pdf(contract: Contract) -> bytes:
    """The issued document exactly as stored at issue."""
    if contract.status == ContractStatus.DRAFT or contract.pdf is None:
        raise Conflict("contract.not_issued")
    return contract.pdf


def void_and_redraft(contract: Contract, actor: User, reason: str, now: datetime) -> Contract:
    """Void an issued or signed contract (kept, with its reason) and open a new draft version with its terms.

    A contract with payments recorded is not voided: the money was received under it, and moving or
    dropping those records would falsify the follow-up.
    """
    check_void(contract, actor, now)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("contract.void.reason_required")
    if len(reason) > 500:
        raise Invalid("contract.void.reason_too_long")
    rules.ensure_contract_transition(contract.status, ContractStatus.VOID)
    contract.status, contract.voided_at, contract.void_reason = ContractStatus.VOID, now, reason
    db.session.flush()  # the need's one live contract is now free for the new version
    successor = Contract(edition_id=contract.edition_id, need_id=contract.need_id, bid_id=contract.bid_id,
                         version=contract.version + 1, replaces_id=contract.id, status=ContractStatus.DRAFT,
                         party_a=contract.party_a, party_b=contract.party_b,
                         firm_broker_id=contract.firm_broker_id, team_broker_id=contract.team_broker_id,
                         **{key: getattr(contract, key) for key in COPIED_FIELDS})
    successor.clauses = dict(contract.clauses or {})
    successor.instalments = [Instalment(seq=i.seq, amount=i.amount, due_date=i.due_date, condition=i.condition)
                             for i in contract.instalments]
    db.session.add(successor)
    audit.record(actor, "contract.void", contract, {"number": contract.number, "reason": reason})
    audit.record(actor, "contract.redraft", successor, {"replaces": contract.id, "version": successor.version})
    return successor
