"""The registration export (技术合同认定登记): one row per signed contract of an edition, with the fields
the registration office asks for; once the office has registered a contract, its 登记编号, the technology
amount it certified (核定技术交易额) and the registration date (empty until then).

Unit-nature codes (买/卖方性质) follow the 《技术合同登记表》 instructions (法人类型, three digits):
  022 高等院校 (事业法人) ........ OrgKind.UNIVERSITY
  021 科研机构 (事业法人) ........ OrgKind.INSTITUTE
  023 医疗、卫生 (事业法人) ...... OrgKind.MEDICAL
  030 社团法人 .................... OrgKind.SOCIAL
  024 其它 (事业法人) ............ OrgKind.OTHER — an organization that is neither a firm, a university,
                                     an institute, a hospital nor an association is most often a public
                                     institution (e.g. a new-type R&D institution); the office may correct it.
  170 私营企业 .................... OrgKind.ENTERPRISE — a DEFAULT: the organization record does not keep the
                                     firm's registration type (国有 110, 有限责任公司 150, 股份有限公司 160 …),
                                     so the organizer checks the firm's business licence before filing.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ...domain.choices import OrgKind
from ...domain.contracts import ContractStatus
from ...extensions import db
from ...models import Contract, Edition
from ..files.spreadsheet import Formatted, workbook_bytes

NATURE_CODES: dict[OrgKind, str] = {
    OrgKind.UNIVERSITY: "022",
    OrgKind.INSTITUTE: "021",
    OrgKind.MEDICAL: "023",
    OrgKind.SOCIAL: "030",
    OrgKind.OTHER: "024",
    OrgKind.ENTERPRISE: "170",
}
# A text cell starting with one of these is a formula to Excel (CSV/XLSX injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | Decimal | date | None


def nature_code(kind: str | None) -> str:
    """The unit-nature code of an organization kind (OrgKind value); 170 when the kind is unknown."""
    try:
        return NATURE_CODES[OrgKind(kind)]
    except ValueError:
        return NATURE_CODES[OrgKind.ENTERPRISE]


def signed_contracts(edition: Edition) -> list[Contract]:
    """The edition's signed contracts (a signed contract is live: a voided one is VOID), in number order."""
    return list(db.session.scalars(
        sa.select(Contract).where(Contract.edition_id == edition.id, Contract.status == ContractStatus.SIGNED)
        .order_by(Contract.sequence, Contract.version, Contract.number)))


def _period(contract: Contract) -> str:
    if contract.valid_from is None and contract.valid_to is None:
        return ""
    start = contract.valid_from.isoformat() if contract.valid_from else ""
    end = contract.valid_to.isoformat() if contract.valid_to else ""
    return _("%(start)s 至 %(end)s", start=start, end=end)


def registration_rows(edition: Edition) -> tuple[list[str], list[list[Cell]]]:
    """The header and one row per signed contract; 登记编号 and what the office certified are empty until recorded."""
    header = [_("登记编号"), _("合同编号"), _("项目名称"), _("合同有效期限"), _("签订日期"),
              _("委托方（甲方）名称"), _("甲方行政区划代码"), _("甲方单位性质代码"),
              _("受托方（乙方）名称"), _("乙方行政区划代码"), _("乙方单位性质代码"), _("合同金额（元）"),
              _("核定技术交易额（元）"), _("登记日期")]
    rows: list[list[Cell]] = []
    for contract in signed_contracts(edition):
        party_a, party_b = json.loads(contract.party_a), json.loads(contract.party_b)
        rows.append([
            contract.registration_number, contract.number, contract.project_name, _period(contract), contract.signed_on,
            party_a.get("name", ""), party_a.get("region_code", ""), nature_code(party_a.get("kind")),
            party_b.get("name", ""), party_b.get("region_code", ""), nature_code(party_b.get("kind")),
            contract.total_amount, contract.registered_tech_amount, contract.registered_on,
        ])
    return header, rows


def _put(value: Cell):
    """Amounts stay exact numbers, dates are dates, codes and names are text (never a formula)."""
    if isinstance(value, Decimal):
        return Formatted(value, "#,##0.00")
    if isinstance(value, date):
        return Formatted(value, "yyyy-mm-dd")
    if value is None:
        return None
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def registration_xlsx(edition: Edition) -> bytes:
    """The registration export as an Excel workbook: bold frozen header, one row per signed contract."""
    header, rows = registration_rows(edition)
    return workbook_bytes(_("技术合同登记"), header, rows, _put)