"""The issued contracts' documents: a verify token each, and a PDF rendered by the real renderer for a
handful of them, whose bytes (and SHA-256) the others reuse.

Rendering 1,000 contracts would take most of an hour; batch printing and the downloads only need real,
well-formed contract PDFs of the right size, so a reused document prints another contract's number: this
is test data, and `seed-scale --help` says so.
"""
from __future__ import annotations

import hashlib
import secrets

from ..extensions import db
from ..models import Bid, Contract, Instalment, Need
from ..pdf.contract import render_contract
from ..services.contracts.document import contract_context
from .contracts import Contracts

_OWN = ("pdf", "pdf_sha256")


def _render(row: dict, instalments: list[dict]) -> bytes:
    """One contract's PDF, from a transient Contract beside the need and bid already written."""
    contract = Contract(**{key: value for key, value in row.items() if key not in _OWN})
    contract.need = db.session.get(Need, row["need_id"])
    contract.bid = db.session.get(Bid, row["bid_id"])
    contract.instalments = [Instalment(seq=i["seq"], amount=i["amount"], due_date=i["due_date"],
                                       condition=i["condition"]) for i in instalments]
    pdf = render_contract(contract_context(contract))
    if contract in db.session:  # never written: the rows go in with the bulk INSERT
        db.session.expunge(contract)
    return pdf


def issue_documents(contracts: Contracts, rendered: int) -> int:
    """Fill in every contract's verify_token, pdf and pdf_sha256; how many PDFs were rendered."""
    table = contracts.contracts
    if not table.rows:
        return 0
    instalments: dict[int, list[dict]] = {}
    for item in contracts.instalments.dicts():
        instalments.setdefault(item["contract_id"], []).append(item)
    rows = table.dicts()
    for row in rows:
        row["verify_token"] = secrets.token_urlsafe(32)
    samples = [_render(row, instalments[row["id"]]) for row in rows[:max(1, rendered)]]
    for n, row in enumerate(rows):
        pdf = samples[n % len(samples)]
        row["pdf"], row["pdf_sha256"] = pdf, hashlib.sha256(pdf).hexdigest()
    table.rows = [tuple(row[c] for c in table.columns) for row in rows]
    return len(samples)
