"""The registration export (技术合同认定登记): one row per signed contract of an edition with every field of the
registration form (技术合同登记表), each code from its one table (contest.domain.registration_codes, shipped as data
in contest/data/); once the office has registered a contract, its 登记编号, the technology amount it certified
(核定技术交易额) and the registration date (empty until then).

In a development contract the developer (乙方) sells the technology and the client (甲方) buys it: the form's
卖方 is 乙方, its 买方 甲方. A party's nature (性质) is its ownership type as recorded on the organization (an
enterprise says which: 150 有限责任公司, 160 股份有限公司 …), else the one its kind implies (022 高等院校 …).
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain import registration_codes
from ...domain.contracts import ContractStatus, ContractType
from ...extensions import db
from ...models import Contract, Edition
from ..files.spreadsheet import Formatted, workbook_bytes
from .drafting import CLASSIFICATION

# A text cell starting with one of these is a formula to Excel (CSV/XLSX injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | Decimal | date | None


def nature_code(party: dict) -> str:
    """A party's nature code: the one recorded with it, else the one its kind implies ("" for an enterprise that
    has not said its ownership type)."""
    return registration_codes.nature_of(party.get("kind"), party.get("nature_code"))


def classification(contract: Contract, language: str = "zh") -> list[tuple[str, str, str]]:
    """The contract's registration classification as (field, code, name): type, field, IP category, goal; the
    names in `language` (Chinese, or English for "en")."""
    kind = ContractType(contract.contract_type or ContractType.COMMISSIONED)
    type_code = registration_codes.contract_type_code(kind)
    rows = [(_("合同类型"), type_code, registration_codes.label("contract_types", type_code, language))]
    for key, title in (("tech_field", _("技术领域")), ("ip_category", _("知识产权类别")), ("socio_goal", _("社会经济目标"))):
        code = getattr(contract, key) or ""
        rows.append((title, code, registration_codes.label(CLASSIFICATION[key][0], code, language) if code else ""))
    return rows


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


PARTY_COLUMNS = (_l("名称"), _l("统一社会信用代码"), _l("国别代码"), _l("行政区划代码"), _l("性质代码"))


def _party_cells(party: dict) -> list[Cell]:
    return [party.get("name", ""), party.get("credit_code", ""), party.get("country_code") or "156",
            party.get("region_code", ""), nature_code(party)]


def registration_rows(edition: Edition) -> tuple[list[str], list[list[Cell]]]:
    """The header and one row per signed contract; 登记编号 and what the office certified are empty until recorded."""
    header = [_("合同登记编号"), _("合同编号"), _("项目名称"), _("合同类型代码"), _("技术领域代码"), _("知识产权类别代码"),
              _("社会经济目标代码"), _("合同有效期限"), _("签订日期")]
    header += [_("卖方（乙方）") + str(column) for column in PARTY_COLUMNS]
    header += [_("买方（甲方）") + str(column) for column in PARTY_COLUMNS]
    header += [_("成交金额（元）"), _("技术交易额（元）"), _("核定技术交易额（元）"), _("登记日期")]
    rows: list[list[Cell]] = []
    for contract in signed_contracts(edition):
        party_a, party_b = json.loads(contract.party_a), json.loads(contract.party_b)
        kind = ContractType(contract.contract_type or ContractType.COMMISSIONED)
        rows.append([
            contract.registration_number, contract.number, contract.project_name,
            registration_codes.contract_type_code(kind), contract.tech_field, contract.ip_category, contract.socio_goal,
            _period(contract), contract.signed_on, *_party_cells(party_b), *_party_cells(party_a),
            contract.total_amount, contract.tech_amount, contract.registered_tech_amount, contract.registered_on,
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