"""Following a contract up, for the organizer: the signing with its scan, accepted milestones and payments
received (实际到账), and the registration office's result."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from ...services import clock
from ...services.contracts import followup, registering
from ...services.files import uploads
from ...web.downloads import PDF, send_recorded
from .. import bp
from .forms import AcceptanceForm, PaymentForm, RegistrationForm, SigningForm
from .page import act, contract_or_404


@bp.post("/contracts/<int:contract_id>/sign")
def sign_contract(contract_id: int):
    """Record the signing date and the signed, sealed scan (checked to be a PDF by its content)."""
    def run(c, f):
        scan = uploads.check_pdf(f.scan.data.stream, f.scan.data.filename)
        return followup.record_signing(c, current_user, f.signed_on.data, scan, clock.now())
    return act(contract_id, "signing", SigningForm(), run, _("已登记合同签订"))


@bp.post("/contracts/<int:contract_id>/acceptances")
def add_acceptance(contract_id: int):
    """Record a milestone accepted on a date."""
    form = AcceptanceForm(contract=contract_or_404(contract_id))
    return act(contract_id, "acceptance", form,
                lambda c, f: followup.record_acceptance(c, current_user, f.description.data, f.accepted_on.data,
                                                       f.instalment_id.data or None, clock.now()),
                _("已登记验收"))


@bp.post("/contracts/<int:contract_id>/payments")
def add_payment(contract_id: int):
    """Record funds actually received (实际到账) on a date."""
    return act(contract_id, "payment", PaymentForm(),
                lambda c, f: followup.record_payment(c, current_user, f.amount.data, f.received_on.data,
                                                    f.note.data, clock.now(), bank_receipt=f.bank_receipt.data),
                _("已登记到账"))


@bp.post("/contracts/<int:contract_id>/registration")
def register_contract(contract_id: int):
    """Record (or correct) the registration office's number, certified technology amount and date."""
    return act(contract_id, "registration", RegistrationForm(),
               lambda c, f: registering.record_registration(c, current_user, f.registration_number.data,
                                                            f.tech_amount.data, f.registered_on.data, clock.now()),
               _("已登记技术合同认定登记结果"))


@bp.get("/contracts/<int:contract_id>/scan")
def contract_scan(contract_id: int):
    """Download the signed and sealed scan of the contract."""
    contract = contract_or_404(contract_id)
    if not contract.signed_scan_name:
        abort(404)
    return send_recorded("download.contract_scan", contract, followup.scan_path(contract.signed_scan_name),
                         f"{contract.number}-signed.pdf", PDF)
