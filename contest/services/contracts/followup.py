"""After issue: the signing with its scan, accepted milestones and funds actually received (实际到账)."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app

from ...domain import contracts as rules
from ...domain.contracts import ContractStatus
from ...domain.errors import Conflict, Invalid, Phrase
from ...domain.permissions import ensure_organizer
from ...models import Contract, MilestoneAcceptance, Payment, User
from ..clock import beijing_date
from ..files.uploads import CheckedPdf, store_in
from ..records import audit
from .issuing import tell_parties, yuan


def scan_folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "contracts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def scan_path(stored_name: str) -> Path:
    return scan_folder() / stored_name


def _store_scan(scan: CheckedPdf) -> str:
    """Stage the signed scan under a generated name: moved into place when the signing commits, else deleted."""
    return store_in(scan_folder(), scan)


# The refusal of a follow-up recorded before the contract is signed, by what is recorded.
UNSIGNED = {"acceptance": "contract.unsigned.acceptance", "payment": "contract.unsigned.payment"}


def check_follow_up_date(contract: Contract, day: date, what: Phrase, now: datetime) -> None:
    if day > beijing_date(now):
        raise Invalid("contract.date.in_future", what=what)
    if contract.signed_on and day < contract.signed_on:
        raise Invalid("contract.date.before_signing", what=what, signed_on=contract.signed_on)


def record_signing(contract: Contract, actor: User, signed_on: date, scan: CheckedPdf, now: datetime) -> Contract:
    """Record that both parties signed and sealed the issued contract, with the scan of the signed copy."""
    ensure_organizer(actor)
    if contract.status != ContractStatus.ISSUED:
        raise Conflict("contract.sign.not_issued")
    if signed_on > beijing_date(now):
        raise Invalid("contract.sign.in_future")
    issued_on = beijing_date(contract.issued_at)
    if signed_on < issued_on:
        raise Invalid("contract.sign.before_issue", issued_on=issued_on)
    rules.ensure_contract_transition(contract.status, ContractStatus.SIGNED)
    contract.signed_scan_name = _store_scan(scan)
    contract.signed_scan_sha256 = scan.sha256
    contract.signed_on, contract.status = signed_on, ContractStatus.SIGNED
    audit.record(actor, "contract.sign", contract, {"signed_on": signed_on, "scan_sha256": scan.sha256})
    tell_parties("contract.signed", contract, now, signed_on=signed_on.isoformat())
    return contract


def _ensure_signed(contract: Contract, recording: str) -> None:
    """Refuse to record an "acceptance" or a "payment" under a contract not (or no longer) signed."""
    if contract.status != ContractStatus.SIGNED:
        raise Conflict(UNSIGNED[recording])


def record_acceptance(contract: Contract, actor: User, description: str, accepted_on: date,
                      instalment_id: int | None, now: datetime) -> MilestoneAcceptance:
    """Record a milestone accepted on a date, optionally against the instalment it triggers."""
    ensure_organizer(actor)
    _ensure_signed(contract, "acceptance")
    description = (description or "").strip()
    if not description or len(description) > 500:
        raise Invalid("contract.acceptance.description")
    check_follow_up_date(contract, accepted_on, Phrase("contract.date.acceptance"), now)
    if instalment_id and instalment_id not in {i.id for i in contract.instalments}:
        raise Invalid("contract.acceptance.instalment_unknown")
    acceptance = MilestoneAcceptance(description=description, accepted_on=accepted_on,
                                     instalment_id=instalment_id or None, recorded_by_id=actor.id)
    contract.acceptances.append(acceptance)
    audit.record(actor, "contract.acceptance", contract, {"accepted_on": accepted_on, "instalment": instalment_id})
    tell_parties("contract.acceptance", contract, now, accepted_on=accepted_on.isoformat(), description=description)
    return acceptance


def received_total(contract: Contract) -> Decimal:
    """The funds actually received (实际到账) under the contract so far, in yuan."""
    return sum((p.amount for p in contract.payments), Decimal("0.00"))


def receipted_total(contract: Contract) -> Decimal:
    """The funds received that a bank receipt proves: what the key-programme rule counts."""
    return sum((p.amount for p in contract.payments if p.bank_receipt), Decimal("0.00"))


def key_programme(contract: Contract) -> rules.KeyProgramme:
    """The city's key R&D programme rule for this contract: eligible, or the conditions it still misses."""
    party_a, party_b = json.loads(contract.party_a), json.loads(contract.party_b)
    return rules.key_programme(party_b.get("kind"), party_a.get("kind"), bool(contract.registration_number),
                               receipted_total(contract))


def key_programme_eligible(contract: Contract) -> bool:
    return key_programme(contract).eligible


def record_payment(contract: Contract, actor: User, amount: Decimal, received_on: date, note: str,
                   now: datetime, bank_receipt: str) -> Payment:
    """Record funds actually received, with the bank receipt that proves them; never beyond the contract total."""
    ensure_organizer(actor)
    _ensure_signed(contract, "payment")
    check_follow_up_date(contract, received_on, Phrase("contract.date.payment"), now)
    note, bank_receipt = (note or "").strip(), (bank_receipt or "").strip()
    if len(note) > 300:
        raise Invalid("contract.payment.note_too_long")
    if not bank_receipt or len(bank_receipt) > 60:
        raise Invalid("contract.payment.receipt_missing")
    rules.check_payment(received_total(contract), amount, contract.total_amount)
    payment = Payment(amount=amount, received_on=received_on, note=note, bank_receipt=bank_receipt,
                      recorded_by_id=actor.id)
    contract.payments.append(payment)
    audit.record(actor, "contract.payment", contract, {"amount": amount, "received_on": received_on,
                                                       "bank_receipt": bank_receipt,
                                                       "received_total": received_total(contract)})
    tell_parties("contract.payment", contract, now, amount=yuan(amount), received_on=received_on.isoformat(),
                 received=yuan(received_total(contract)))
    return payment
