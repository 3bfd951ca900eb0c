"""Recording the registration office's result (技术合同认定登记) on a signed contract: the 登记编号 it assigned,
the technology amount it certified and the registration date. Recording again corrects it; the audit keeps the
values replaced."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from ...domain import contracts as rules
from ...domain.contracts import ContractStatus
from ...domain.errors import Conflict, Phrase
from ...domain.permissions import ensure_organizer
from ...extensions import db
from ...models import Contract, User
from ..records import audit
from .followup import check_follow_up_date
from .issuing import tell_parties, yuan


def check_register(contract: Contract, actor: User, now: datetime) -> None:
    """Only a signed contract is filed with the registration office, by the organizer."""
    ensure_organizer(actor)
    if contract.status != ContractStatus.SIGNED:
        raise Conflict("contract.registration.not_signed")


def record_registration(contract: Contract, actor: User, number: str, tech_amount: Decimal, registered_on: date,
                        now: datetime) -> Contract:
    """Record (or correct) the registration of a signed contract."""
    check_register(contract, actor, now)
    number = rules.normalize_registration_number(number)
    rules.check_registered_amount(tech_amount, contract.total_amount)
    check_follow_up_date(contract, registered_on, Phrase("contract.date.registration"), now)
    holder = db.session.scalar(sa.select(Contract).where(Contract.registration_number == number,
                                                         Contract.id != contract.id))
    if holder is not None:
        raise Conflict("contract.registration.number_taken", number=number, contract=holder.number)
    before = {"number": contract.registration_number, "tech_amount": contract.registered_tech_amount,
              "registered_on": contract.registered_on}
    contract.registration_number, contract.registered_tech_amount = number, tech_amount
    contract.registered_on = registered_on
    detail = {"number": number, "tech_amount": tech_amount, "registered_on": registered_on}
    if before["number"] is not None:
        detail["replaced"] = before
    audit.record(actor, "contract.register" if before["number"] is None else "contract.register.correct",
                 contract, detail)
    tell_parties("contract.registered", contract, now, registered_on=registered_on.isoformat(),
                 registration_number=number, amount=yuan(tech_amount))
    return contract
