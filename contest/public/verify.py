"""Public verification of an issued contract, reached from the QR code printed on it."""
from __future__ import annotations

from flask import abort, render_template

from ..services.contracts.document import contract_verification
from . import bp


@bp.get("/contracts/verify/<token>")
def verify_contract(token: str):
    """Anyone holding a printed contract checks its number, parties, amount, status and the issued PDF's SHA-256."""
    found = contract_verification(token)
    if found is None:
        abort(404)
    return render_template("public/verify.html", contract=found)
