"""Contracts for the organizer: from each confirmed winner to a draft, its terms, the issued (frozen) PDF,
corrections by a new version, the signing, accepted milestones and payments received."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import once
from ..domain.contracts import ContractStatus
from ..domain.errors import DomainError
from ..domain.money import rmb_upper
from ..extensions import db
from ..forms import ConfirmForm
from ..models import Contract, Need
from ..services import clock, uploads
from ..services import contracts as service
from ..services.downloads import PDF, send_recorded
from ..services.editions import edition_by_code
from ..web import refuse
from .contract_forms import (
    INSTALMENT_ROWS, AcceptanceForm, ContractTermsForm, PaymentForm, SigningForm, VoidForm, terms_data,
)
from .views import bp


def _contract_or_404(contract_id: int) -> Contract:
    return db.session.get(Contract, contract_id) or abort(404)


def _list_page(edition, status: int = 200):
    contracts = service.edition_contracts(edition)
    rows = [(c, service.party(c, "party_a")["name"], service.party(c, "party_b")["name"],
             service.received_total(c), service.key_programme_eligible(c)) for c in contracts]
    return render_template("organizer/contracts/list.html", edition=edition, rows=rows, form=ConfirmForm(),
                           awaiting=service.awaiting_contract(edition)), status


@bp.get("/editions/<code>/contracts")
def edition_contracts(code: str):
    """The edition's winners still without a contract, and its contracts with amount, status and money received."""
    return _list_page(edition_by_code(code) or abort(404))


@bp.post("/needs/<int:need_id>/contract")
def draft_contract(need_id: int):
    """Start the contract of a confirmed winner: a draft prefilled from the need, the bid and both parties."""
    need = db.session.get(Need, need_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _list_page(need.edition, 400)
    try:
        contract = service.draft_contract(need, current_user, clock.now())
        db.session.commit()
    except service.ContractExists as e:
        return _existing_contract(e.contract)
    except IntegrityError:  # a parallel copy drafted it first: the live-contract index refused this one
        db.session.rollback()
        return _existing_contract(service.live_contract(need) or abort(409))
    except DomainError as e:
        return _list_page(need.edition, refuse(e))
    flash(_("合同草稿已生成，请与双方核对并完善条款"), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


def _existing_contract(contract: Contract):
    """A second click (or a replay) of 起草合同: nothing drafted twice, the organizer goes on with the live one."""
    db.session.rollback()
    flash(_("该需求已有合同（%(number)s），请在该合同上继续办理", number=contract.number or _("草稿")), "info")
    return redirect(url_for(".contract", contract_id=contract.id), 303)


def _contract_page(contract: Contract, status: int = 200, **forms):
    """The contract's page: the terms form of a draft, or the frozen terms with signing and follow-up."""
    if contract.status == ContractStatus.DRAFT and "terms" not in forms:
        forms["terms"] = ContractTermsForm(formdata=None, data=terms_data(contract))
        while len(forms["terms"].instalments) < max(INSTALMENT_ROWS, len(contract.instalments) + 2):
            forms["terms"].instalments.append_entry()
    forms.setdefault("signing", SigningForm(formdata=None, signed_on=clock.beijing_date(clock.now())))
    forms.setdefault("acceptance", AcceptanceForm(formdata=None, contract=contract))
    forms.setdefault("payment", PaymentForm(formdata=None))
    forms.setdefault("void", VoidForm(formdata=None))
    return render_template(
        "organizer/contracts/contract.html", contract=contract, forms=forms, confirm=ConfirmForm(),
        party_a=service.party(contract, "party_a"), party_b=service.party(contract, "party_b"),
        versions=service.versions(contract), received=service.received_total(contract),
        eligible=service.key_programme_eligible(contract), amount_words=rmb_upper(contract.total_amount),
    ), status


@bp.route("/contracts/<int:contract_id>", methods=["GET", "POST"])
def contract(contract_id: int):
    """A contract: complete the draft's terms (parties, amounts, instalments…), or read the issued ones."""
    contract = _contract_or_404(contract_id)
    form = ContractTermsForm()
    if not form.is_submitted():
        return _contract_page(contract)
    if contract.status != ContractStatus.DRAFT:
        flash(_("已出具的合同不能修改，请作废后出具新版本"), "danger")
        return _contract_page(contract, 409)
    if not form.validate():
        flash(_("请检查表单中标出的错误"), "danger")
        return _contract_page(contract, 400, terms=form)
    try:
        service.update_terms(contract, current_user, form.terms(), form.instalment_terms(), clock.now())
    except DomainError as e:
        return _contract_page(contract, refuse(e), terms=form)
    db.session.commit()
    flash(_("合同条款已保存"), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


def _act(contract_id: int, name: str, form, run, done: str):
    """One follow-up POST: validate its form, run the service, commit, and go to the resulting contract."""
    contract = _contract_or_404(contract_id)
    if not form.validate_on_submit():
        flash(_("请检查表单中标出的错误"), "danger")
        return _contract_page(contract, 400, **{name: form})
    key = form.submission_key.data if "submission_key" in form else None
    if (earlier := once.earlier_result(key)) is not None:
        return earlier  # the same rendered form was sent before (a double click): nothing recorded twice
    try:
        result = run(contract, form)
    except DomainError as e:
        return _contract_page(contract, refuse(e), **{name: form})
    target = result if isinstance(result, Contract) else contract
    url = once.remember(url_for(".contract", contract_id=target.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url)


@bp.post("/contracts/<int:contract_id>/issue")
def issue_contract(contract_id: int):
    """Issue the draft: it gets its number and its PDF, frozen from now on."""
    return _act(contract_id, "confirm", ConfirmForm(),
                lambda c, f: service.issue_contract(c, current_user, clock.now()), _("合同已出具，可下载 PDF 打印"))


@bp.post("/contracts/<int:contract_id>/void")
def void_contract(contract_id: int):
    """Void an issued or signed contract with a reason, and open its next version as a draft."""
    return _act(contract_id, "void", VoidForm(),
                lambda c, f: service.void_and_redraft(c, current_user, f.reason.data, clock.now()),
                _("原合同已作废，已生成新版本草稿"))


@bp.post("/contracts/<int:contract_id>/sign")
def sign_contract(contract_id: int):
    """Record the signing date and the signed, sealed scan (checked to be a PDF by its content)."""
    def run(c, f):
        scan = uploads.check_pdf(f.scan.data.stream, f.scan.data.filename)
        return service.record_signing(c, current_user, f.signed_on.data, scan, clock.now())
    return _act(contract_id, "signing", SigningForm(), run, _("已登记合同签订"))


@bp.post("/contracts/<int:contract_id>/acceptances")
def add_acceptance(contract_id: int):
    """Record a milestone accepted on a date."""
    form = AcceptanceForm(contract=_contract_or_404(contract_id))
    return _act(contract_id, "acceptance", form,
                lambda c, f: service.record_acceptance(c, current_user, f.description.data, f.accepted_on.data,
                                                       f.instalment_id.data or None, clock.now()),
                _("已登记验收"))


@bp.post("/contracts/<int:contract_id>/payments")
def add_payment(contract_id: int):
    """Record funds actually received (实际到账) on a date."""
    return _act(contract_id, "payment", PaymentForm(),
                lambda c, f: service.record_payment(c, current_user, f.amount.data, f.received_on.data,
                                                    f.note.data, clock.now()),
                _("已登记到账"))


@bp.get("/contracts/<int:contract_id>/pdf")
def contract_pdf(contract_id: int):
    """Download the issued contract: exactly the bytes frozen at issue."""
    contract = _contract_or_404(contract_id)
    try:
        content = service.download_pdf(contract)
    except DomainError:
        abort(404)
    return send_recorded("download.contract", contract, content, f"{contract.number}.pdf", PDF,
                         etag=contract.pdf_sha256)


@bp.get("/contracts/<int:contract_id>/draft.pdf")
def draft_pdf(contract_id: int):
    """Preview a draft as it would print, marked as a draft, to go over the terms with both parties."""
    contract = _contract_or_404(contract_id)
    try:
        content = service.draft_pdf(contract)
    except DomainError:
        abort(404)
    return send_recorded("download.contract_draft", contract, content, f"draft-{contract.id}.pdf", PDF)


@bp.get("/contracts/<int:contract_id>/scan")
def contract_scan(contract_id: int):
    """Download the signed and sealed scan of the contract."""
    contract = _contract_or_404(contract_id)
    if not contract.signed_scan_name:
        abort(404)
    return send_recorded("download.contract_scan", contract, service.scan_path(contract.signed_scan_name),
                         f"{contract.number}-signed.pdf", PDF)
