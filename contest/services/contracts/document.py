"""The printed contract's content: plain values for templates/pdf/contract.html, built from a Contract row.

The template receives strings, numbers and lists only (no ORM objects), ready to print: dates as
2024年9月25日, amounts in figures (¥72,500,000.00) and in words (人民币柒仟贰佰伍拾万元整), and "无" for
every item the parties left empty, as the model text's 填写说明 requires.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from ...domain import contract_clauses
from ...domain.contracts import (
    CONTRACT_TITLES, NONTECH_LABELS, NONTECH_PARTS, ContractStatus, ContractType, DisputeResolution, IpOwnership,
)
from ...domain.money import rmb_upper
from ...extensions import db
from ...models import Contract
from .. import origin

NONE = "无"
VERIFY_ENDPOINT = "public.verify_contract"
# The party details the contract prints (keys of the JSON snapshots in Contract.party_a / party_b).
PARTY_KEYS = ("name", "address", "legal_rep", "contact_name", "contact_phone", "contact_email", "fax", "credit_code",
              "bank_name", "bank_address", "bank_account")
_CN_DIGITS = "零一二三四五六七八九"

def cn_date(day: date | None) -> str:
    """2024年9月25日, or 无."""
    return f"{day.year}年{day.month}月{day.day}日" if day else NONE


def yuan_figures(amount: Decimal) -> str:
    """¥72,500,000.00 — Decimal, two places, thousands separators."""
    return f"¥{Decimal(amount).quantize(Decimal('0.01')):,.2f}"


def cn_count(n: int) -> str:
    """A small count in Chinese numerals (1 to 99), as in 一式四份."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def text_or_none(value: object) -> str:
    """A user's text as printed: stripped, or 无 when empty."""
    text = str(value or "").strip()
    return text or NONE


def party_details(raw: str | dict | None) -> dict:
    """A party's snapshot with every printed key present, 无 for the empty ones."""
    data = raw if isinstance(raw, dict) else json.loads(raw or "{}")
    return {key: text_or_none(data.get(key)) for key in PARTY_KEYS}


def verify_url(token: str | None, base_url: str | None = None) -> str | None:
    """The public verification page's absolute URL (None before a token exists).

    base_url (or the PUBLIC_BASE_URL setting) names the site as the parties will reach it; without it the
    URL is the one the current request came to, and outside a request (CLI, seed-demo) the app's SERVER_NAME
    or localhost.
    """
    if not token:
        return None
    base = base_url or current_app.config.get("PUBLIC_BASE_URL") or origin.current().base_url
    if base:
        path = current_app.url_map.bind("localhost").build(VERIFY_ENDPOINT, {"token": token})
        return base.rstrip("/") + path
    adapter = current_app.create_url_adapter(None) or current_app.url_map.bind("localhost", url_scheme="http")
    return adapter.build(VERIFY_ENDPOINT, {"token": token}, force_external=True)


def _instalments(contract: Contract) -> list[dict]:
    return [
        {"seq": i.seq, "figures": yuan_figures(i.amount), "words": rmb_upper(Decimal(i.amount)),
         "due_date": cn_date(i.due_date), "condition": text_or_none(i.condition)}
        for i in sorted(contract.instalments, key=lambda i: i.seq)
    ]


def _dispute(contract: Contract) -> str:
    if contract.dispute == DisputeResolution.COURT:
        return "依法向人民法院起诉"
    return f"提交{text_or_none(contract.arbitration_commission)}仲裁"


def _validity(contract: Contract) -> str:
    if contract.valid_from and contract.valid_to:
        return f"{cn_date(contract.valid_from)}至{cn_date(contract.valid_to)}"
    if contract.valid_to:
        return f"至{cn_date(contract.valid_to)}"
    if contract.valid_from:
        return f"自{cn_date(contract.valid_from)}起"
    return NONE


def _annexed_documents(contract: Contract) -> tuple[str, str]:
    """第二十六条: the published need (technical background) and the winning challenge report (other)."""
    need, bid = contract.need, contract.bid
    background = f"甲方在{need.edition.name}发布的技术需求《{need.name}》" if need else NONE
    report = f"揭榜团队“{bid.team.name}”提交的挑战报告" if bid else NONE
    return background, report


def _breakdown(contract: Contract) -> list[dict]:
    """第五条 其中: the total's non-technical parts that are not zero, in figures and in words."""
    parts = []
    for key in NONTECH_PARTS:
        amount = Decimal(getattr(contract, key) or 0)
        if amount:
            parts.append({"label": NONTECH_LABELS[key], "figures": yuan_figures(amount), "words": rmb_upper(amount)})
    return parts


def _replaced_number(contract: Contract) -> str | None:
    """The number of the voided contract this version replaces (a -V2 says what it replaces)."""
    if not contract.replaces_id:
        return None
    return db.session.scalar(sa.select(Contract.number).where(Contract.id == contract.replaces_id))


def contract_context(contract: Contract, base_url: str | None = None) -> dict:
    """Everything the printed contract shows, as plain values ready to print."""
    total = Decimal(contract.total_amount)
    tech = Decimal(contract.tech_amount)
    kind = ContractType(contract.contract_type or ContractType.COMMISSIONED)
    instalments = _instalments(contract)
    ip = IpOwnership(contract.ip_ownership)
    background, report = _annexed_documents(contract)
    return {
        "contract_type": kind.value,
        "title": CONTRACT_TITLES[kind],
        "replaces": _replaced_number(contract),
        "clauses": contract_clauses.printed(contract.clauses, kind),
        "breakdown": _breakdown(contract),
        "tech_figures": yuan_figures(tech),
        "tech_words": rmb_upper(tech),
        "number": contract.number or NONE,
        "is_draft": not contract.number,
        "version": contract.version or 1,
        "project_name": text_or_none(contract.project_name),
        "party_a": party_details(contract.party_a),
        "party_b": party_details(contract.party_b),
        "sign_place": text_or_none(contract.sign_place),
        "sign_date": cn_date(contract.sign_date),
        "validity": _validity(contract),
        "goal": text_or_none(contract.goal),
        "content": text_or_none(contract.content),
        "method": text_or_none(contract.method),
        "rd_plan": text_or_none(contract.rd_plan),
        "firm_materials": text_or_none(contract.firm_materials),
        "total_figures": yuan_figures(total),
        "total_words": rmb_upper(total),
        "payment_mode": "一次" if len(instalments) == 1 else "分期",
        "instalments": instalments,
        "funds_use": text_or_none(contract.funds_use),
        "risk_terms": text_or_none(contract.risk_terms),
        "confidentiality_years": cn_count(contract.confidentiality_years or 0) + "年"
        if contract.confidentiality_years else NONE,
        "acceptance_criteria": text_or_none(contract.acceptance_criteria),
        "acceptance_method": text_or_none(contract.acceptance_method),
        "ip_option": ip.value,
        "ip_detail": text_or_none(contract.ip_detail),
        "after_sales": text_or_none(contract.after_sales),
        "breach_terms": text_or_none(contract.breach_terms),
        "dispute": DisputeResolution(contract.dispute).value,
        "dispute_text": _dispute(contract),
        "arbitration_commission": text_or_none(contract.arbitration_commission),
        "copies": cn_count(contract.copies),
        "other_terms": text_or_none(contract.other_terms),
        "background_document": background,
        "report_document": report,
        "verify_url": verify_url(contract.verify_token, base_url),
    }


def contract_verification(token: str) -> dict | None:
    """What the public verification page shows of an issued contract, or None for an unknown token.

    Only the number, the parties' names, the amount, the status and the issued PDF's SHA-256: no address,
    contact or bank detail leaves the organizer's pages.
    """
    if not token or len(token) > 64:
        return None
    contract = db.session.scalar(sa.select(Contract).where(
        Contract.verify_token == token, Contract.status != ContractStatus.DRAFT))
    if contract is None or not contract.number:
        return None
    total = Decimal(contract.total_amount)
    return {
        "number": contract.number,
        "party_a": party_details(contract.party_a)["name"],
        "party_b": party_details(contract.party_b)["name"],
        "total_figures": yuan_figures(total),
        "total_words": rmb_upper(total),
        "status": ContractStatus(contract.status),
        "sha256": contract.pdf_sha256,
    }
