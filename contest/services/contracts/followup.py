"""After issue: the signing with its scan, accepted milestones and funds actually received (实际到账)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app

from ...domain import contracts as rules
from ...domain.contracts import ContractStatus
from ...domain.errors import Conflict, Invalid
from ...domain.permissions import ensure_organizer
from ...models import Contract, MilestoneAcceptance, Payment, User
from ..clock import beijing_date
from ..files.uploads import CheckedPdf, store_in
from ..records import audit


def scan_folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "contracts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def scan_path(stored_name: str) -> Path:
    return scan_folder() / stored_name


def _store_scan(scan: CheckedPdf) -> str:
    """Stage the signed scan under a generated name: moved into place when the signing commits, else deleted."""
    return store_in(scan_folder(), scan)


def _check_follow_up_date(contract: Contract, day: date, what: str, now: datetime) -> None:
    if day > beijing_date(now):
        raise Invalid(f"{what}不能晚于今天")
    if contract.signed_on and day < contract.signed_on:
        raise Invalid(f"{what}不能早于合同签订日期（{contract.signed_on:%Y-%m-%d}）")


def record_signing(contract: Contract, actor: User, signed_on: date, scan: CheckedPdf, now: datetime) -> Contract:
    """Record that both parties signed and sealed the issued contract, with the scan of the signed copy."""
    ensure_organizer(actor)
    if contract.status != ContractStatus.ISSUED:
        raise Conflict("只有已出具、尚未签订的合同可以登记签订")
    if signed_on > beijing_date(now):
        raise Invalid("签订日期不能晚于今天")
    issued_on = beijing_date(contract.issued_at)
    if signed_on < issued_on:
        raise Invalid(f"签订日期不能早于合同出具日期（{issued_on:%Y-%m-%d}）")
    rules.ensure_contract_transition(contract.status, ContractStatus.SIGNED)
    contract.signed_scan_name = _store_scan(scan)
    contract.signed_scan_sha256 = scan.sha256
    contract.signed_on, contract.status = signed_on, ContractStatus.SIGNED
    audit.record(actor, "contract.sign", contract, {"signed_on": signed_on, "scan_sha256": scan.sha256})
    return contract


def _ensure_signed(contract: Contract, action: str) -> None:
    if contract.status != ContractStatus.SIGNED:
        raise Conflict(f"合同尚未签订，不能{action}")


def record_acceptance(contract: Contract, actor: User, description: str, accepted_on: date,
                      instalment_id: int | None, now: datetime) -> MilestoneAcceptance:
    """Record a milestone accepted on a date, optionally against the instalment it triggers."""
    ensure_organizer(actor)
    _ensure_signed(contract, "登记验收")
    description = (description or "").strip()
    if not description or len(description) > 500:
        raise Invalid("请填写验收内容（不超过 500 个字符）")
    _check_follow_up_date(contract, accepted_on, "验收日期", now)
    if instalment_id and instalment_id not in {i.id for i in contract.instalments}:
        raise Invalid("所选付款期不属于本合同")
    acceptance = MilestoneAcceptance(description=description, accepted_on=accepted_on,
                                     instalment_id=instalment_id or None, recorded_by_id=actor.id)
    contract.acceptances.append(acceptance)
    audit.record(actor, "contract.acceptance", contract, {"accepted_on": accepted_on, "instalment": instalment_id})
    return acceptance


def received_total(contract: Contract) -> Decimal:
    """The funds actually received (实际到账) under the contract so far, in yuan."""
    return sum((p.amount for p in contract.payments), Decimal("0.00"))


def key_programme_eligible(contract: Contract) -> bool:
    """Eligible for the city's key R&D programme: 3,000,000 yuan received."""
    return rules.key_programme_eligible(received_total(contract))


def record_payment(contract: Contract, actor: User, amount: Decimal, received_on: date, note: str,
                   now: datetime) -> Payment:
    """Record funds actually received; never beyond the contract total."""
    ensure_organizer(actor)
    _ensure_signed(contract, "登记到账")
    _check_follow_up_date(contract, received_on, "到账日期", now)
    note = (note or "").strip()
    if len(note) > 300:
        raise Invalid("备注不能超过 300 个字符")
    rules.check_payment(received_total(contract), amount, contract.total_amount)
    payment = Payment(amount=amount, received_on=received_on, note=note, recorded_by_id=actor.id)
    contract.payments.append(payment)
    audit.record(actor, "contract.payment", contract, {"amount": amount, "received_on": received_on,
                                                       "received_total": received_total(contract)})
    return payment
