"""Rules of the technology development contract: states, options of the model text, terms checks, the
registration office's number and the key-programme rule."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from .choices import OrgKind
from .errors import Invalid, Phrase
from .states import ensure_transition

AMOUNT_MIN = Decimal("0.01")
AMOUNT_MAX = Decimal("999999999999.99")
# 市重点研发计划序列: a single horizontal project whose funds actually received reach 300 万元.
KEY_PROGRAMME_THRESHOLD = Decimal("3000000.00")
CENT = Decimal("0.01")
# The non-technical parts of a contract's total (技术合同认定规则 art. 51), by Contract column, with the words the
# contract and the registration form use; the total less their sum is the 技术交易额.
NONTECH_PARTS = ("equipment_amount", "instrument_amount", "parts_amount", "materials_amount", "other_amount")
NONTECH_LABELS = {"equipment_amount": "设备费", "instrument_amount": "仪器费", "parts_amount": "零部件费",
                  "materials_amount": "原材料费", "other_amount": "其他非技术性费用"}
NONTECH_PHRASES = {"equipment_amount": "contract.part.equipment_amount",
                   "instrument_amount": "contract.part.instrument_amount", "parts_amount": "contract.part.parts_amount",
                   "materials_amount": "contract.part.materials_amount", "other_amount": "contract.part.other_amount"}


class ContractStatus(str, Enum):
    DRAFT = "draft"      # terms being completed with the two parties
    ISSUED = "issued"    # numbered PDF frozen, printed for signature
    SIGNED = "signed"    # signed and sealed by both parties
    VOID = "void"        # replaced by a corrected version (kept)


CONTRACT_TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.ISSUED}),
    ContractStatus.ISSUED: frozenset({ContractStatus.SIGNED, ContractStatus.VOID}),
    ContractStatus.SIGNED: frozenset({ContractStatus.VOID}),
    ContractStatus.VOID: frozenset(),
}


class ContractType(str, Enum):
    """The two development contracts of the model texts (民法典第八百五十一条): 委托 (the client pays, the developer
    does the work; §851–§854) and 合作 (both invest and take part; §855). The need's cooperation mode chooses."""

    COMMISSIONED = "commissioned"  # 技术开发（委托）合同
    JOINT = "joint"                # 技术开发（合作）合同


CONTRACT_TITLES = {ContractType.COMMISSIONED: "技术开发（委托）合同", ContractType.JOINT: "技术开发（合作）合同"}


def contract_type_for(cooperation: str | None) -> ContractType:
    """The model text a need's cooperation mode calls for: 合作研发 → 合作, every other mode → 委托."""
    return ContractType.JOINT if cooperation == "joint" else ContractType.COMMISSIONED


class IpOwnership(str, Enum):
    """The options of the model text for the results of commissioned development (民法典第八百五十九条)."""

    DEVELOPER = "developer"      # 归乙方（研究开发人）所有，甲方可以免费实施
    CLIENT = "client"            # 归甲方（委托人）所有
    JOINT = "joint"              # 双方共有


class DisputeResolution(str, Enum):
    ARBITRATION = "arbitration"  # 提交仲裁委员会仲裁
    COURT = "court"              # 依法向人民法院起诉


def ensure_contract_transition(old: ContractStatus, new: ContractStatus) -> None:
    ensure_transition(CONTRACT_TRANSITIONS, old, new)


def check_amount(amount: Decimal, what: Phrase | None = None) -> None:
    """An amount in yuan: 0.01 to 999,999,999,999.99, at most two decimals. `what` names it (the contract
    amount by default)."""
    what = what or Phrase("contract.amount.total")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise Invalid("contract.amount.not_a_number", what=what)
    if not AMOUNT_MIN <= amount <= AMOUNT_MAX:  # first: quantizing 1e30 to cents would overflow the context
        raise Invalid("contract.amount.out_of_range", what=what)
    if amount != amount.quantize(CENT):
        raise Invalid("contract.amount.decimals", what=what)


def check_nontech(total: Decimal, parts: dict[str, Decimal]) -> Decimal:
    """The total's non-technical parts (NONTECH_PARTS keys): each 0 or more in cents, together less than the total,
    so that the 技术交易额 (returned) is positive."""
    for key in NONTECH_PARTS:
        amount = parts.get(key, Decimal(0))
        if (not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0 or amount > AMOUNT_MAX
                or amount != amount.quantize(CENT)):
            raise Invalid("contract.nontech.invalid", what=Phrase(NONTECH_PHRASES[key]))
    nontech = sum((parts.get(key, Decimal(0)) for key in NONTECH_PARTS), Decimal(0))
    if nontech >= total:
        raise Invalid("contract.nontech.over_total", nontech=f"{nontech:,.2f}", total=f"{total:,.2f}")
    return total - nontech


@dataclass(frozen=True)
class InstalmentTerm:
    amount: Decimal
    due: date
    condition: str


def check_schedule(total: Decimal, instalments: list[InstalmentTerm], sign_date: date | None) -> None:
    """The instalments sum to the total, each has a positive amount, a condition and a due date not before signing."""
    check_amount(total)
    if not instalments:
        raise Invalid("contract.schedule.empty")
    for n, term in enumerate(instalments, start=1):
        check_amount(term.amount, Phrase("contract.amount.instalment", n=n))
        if not term.condition.strip():
            raise Invalid("contract.schedule.condition_missing", n=n)
        if sign_date is not None and term.due < sign_date:
            raise Invalid("contract.schedule.due_before_signing", n=n)
    paid = sum((t.amount for t in instalments), Decimal("0"))
    if paid != total:
        raise Invalid("contract.schedule.sum_mismatch", paid=f"{paid:,.2f}", total=f"{total:,.2f}")


def contract_number(edition_code: str, year: int, sequence: int, version: int = 1) -> str:
    """CIC8-NB-2024-001; a corrected version keeps the number with its version: CIC8-NB-2024-001-V2."""
    base = f"{edition_code}-{year}-{sequence:03d}"
    return base if version == 1 else f"{base}-V{version}"


def check_payment(received_so_far: Decimal, amount: Decimal, total: Decimal) -> None:
    """A payment received is positive and never takes the received total beyond the contract total."""
    check_amount(amount, Phrase("contract.amount.payment"))
    if received_so_far + amount > total:
        raise Invalid("contract.payment.over_total", received=f"{received_so_far + amount:,.2f}",
                      total=f"{total:,.2f}")


# 登记编号 as the registration offices assign it: the year (2000–2099), the office's GB/T 2260 region code (six
# digits, a province code first), then a 4–8 digit sequence; digits only, e.g. 20243302030001.
REGISTRATION_NUMBER = re.compile(r"(20\d{2})((?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{4})(\d{4,8})")


def normalize_registration_number(number: str) -> str:
    """The registration office's 登记编号, checked: year, region code and sequence, digits only."""
    number = (number or "").strip()
    if not REGISTRATION_NUMBER.fullmatch(number):
        raise Invalid("contract.registration.number_format")
    return number


def check_registered_amount(amount: Decimal, total: Decimal) -> None:
    """The technology amount the office certified: an amount in yuan, never beyond the contract total."""
    check_amount(amount, Phrase("contract.amount.registered"))
    if amount > total:
        raise Invalid("contract.registration.amount_over_total", amount=f"{amount:,.2f}", total=f"{total:,.2f}")


# 横向项目: a university's, institute's or hospital's contract (乙方, the developer) with a firm (甲方, the client).
ACADEMIC_DEVELOPERS = frozenset({OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.MEDICAL})


class KeyProgrammeCondition(str, Enum):
    """The conditions of the key-programme rule."""

    HORIZONTAL = "horizontal"   # a university, institute or hospital developing for a firm
    REGISTERED = "registered"   # registered by a technology-contract registration office
    RECEIVED = "received"       # 3,000,000 yuan received, proved by bank receipts

    @property
    def missing(self) -> Phrase:
        """The phrase naming the condition as missing."""
        return {
            KeyProgrammeCondition.HORIZONTAL: Phrase("contract.key_programme.not_horizontal"),
            KeyProgrammeCondition.REGISTERED: Phrase("contract.key_programme.not_registered"),
            KeyProgrammeCondition.RECEIVED: Phrase("contract.key_programme.received_short"),
        }[self]


@dataclass(frozen=True)
class KeyProgramme:
    """Whether a contract may be listed in the city's key R&D programme, and which conditions it still misses."""

    missing: tuple[KeyProgrammeCondition, ...]

    @property
    def eligible(self) -> bool:
        return not self.missing

    @property
    def almost(self) -> bool:
        """Not eligible, but at least one condition met: worth showing what is missing."""
        return 0 < len(self.missing) < len(KeyProgrammeCondition)

    def phrases(self) -> list[Phrase]:
        return [c.missing for c in self.missing]


def key_programme(developer_kind: str | None, client_kind: str | None, registered: bool,
                  received_with_receipts: Decimal) -> KeyProgramme:
    """The city's rule for a single horizontal project (对实际到账金额300万元以上的单个横向项目): the developer is a
    university, institute or hospital and the client a firm; the contract is registered; and at least 3,000,000
    yuan ("以上" includes it) was received, counting only payments proved by a bank receipt."""
    missing = []
    if developer_kind not in {k.value for k in ACADEMIC_DEVELOPERS} or client_kind != OrgKind.ENTERPRISE.value:
        missing.append(KeyProgrammeCondition.HORIZONTAL)
    if not registered:
        missing.append(KeyProgrammeCondition.REGISTERED)
    if received_with_receipts < KEY_PROGRAMME_THRESHOLD:
        missing.append(KeyProgrammeCondition.RECEIVED)
    return KeyProgramme(tuple(missing))
