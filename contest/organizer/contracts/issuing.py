"""Issuing contracts, for the organizer: the numbered PDF frozen at issue, its download, and a void that opens
the next version as a draft."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...forms import ConfirmForm
from ...services import clock
from ...services.contracts import issuing
from ...web.downloads import PDF, send_recorded
from .. import bp
from .forms import VoidForm
from .page import act, contract_or_404


@bp.post("/contracts/<int:contract_id>/issue")
def issue_contract(contract_id: int):
    """Issue the draft: it gets its number and its PDF, frozen from now on."""
    return act(contract_id, "confirm", ConfirmForm(),
                lambda c, f: issuing.issue_contract(c, current_user, clock.now()), _("合同已出具，可下载 PDF 打印"),
                ask="contract.issue")


@bp.post("/contracts/<int:contract_id>/void")
def void_contract(contract_id: int):
    """Void an issued or signed contract with a reason, and open its next version as a draft."""
    return act(contract_id, "void", VoidForm(),
                lambda c, f: issuing.void_and_redraft(c, current_user, f.reason.data, clock.now()),
                _("原合同已作废，已生成新版本草稿"), ask="contract.void")


@bp.get("/contracts/<int:contract_id>/pdf")
def contract_pdf(contract_id: int):
    """Download the issued contract: exactly the bytes frozen at issue."""
    contract = contract_or_404(contract_id)
    try:
        content = issuing.download_pdf(contract)
    except DomainError:
        abort(404)
    return send_recorded("download.contract", contract, content, f"{contract.number}.pdf", PDF,
                         etag=contract.pdf_sha256)
