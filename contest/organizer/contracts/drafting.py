"""Drafting contracts, for the organizer: the edition's winners awaiting a contract and its contracts, a draft
from a confirmed winner, its terms, and a preview of the draft as it would print."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ...domain.contracts import ContractStatus
from ...domain.errors import DomainError
from ...extensions import db
from ...forms import ConfirmForm, refuse_into
from ...models import Contract, Need
from ...services import clock
from ...services.contracts import drafting, issuing
from ...web.downloads import PDF, send_recorded
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp
from .forms import REFUSAL_FIELDS, ContractTermsForm
from .page import contract_or_404, contract_page, list_page


@bp.get("/editions/<code>/contracts")
def edition_contracts(code: str):
    """The edition's winners still without a contract, and its contracts with amount, status and money received."""
    return list_page(edition_or_404(code))


@bp.post("/needs/<int:need_id>/contract")
def draft_contract(need_id: int):
    """Start the contract of a confirmed winner: a draft prefilled from the need, the bid and both parties."""
    need = db.session.get(Need, need_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return list_page(need.edition, 400)
    try:
        contract = drafting.draft_contract(need, current_user, clock.now())
        db.session.commit()
    except drafting.ContractExists as e:
        return _existing_contract(e.contract)
    except IntegrityError:  # a parallel copy drafted it first: the live-contract index refused this one
        db.session.rollback()
        return _existing_contract(drafting.live_contract(need) or abort(409))
    except DomainError as e:
        return list_page(need.edition, refuse(e))
    flash(_("合同草稿已生成，请与双方核对并完善条款"), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


def _existing_contract(contract: Contract):
    """A second click (or a replay) of 起草合同: nothing drafted twice, the organizer goes on with the live one."""
    db.session.rollback()
    flash(_("该需求已有合同（%(number)s），请在该合同上继续办理", number=contract.number or _("草稿")), "info")
    return redirect(url_for(".contract", contract_id=contract.id), 303)


@bp.route("/contracts/<int:contract_id>", methods=["GET", "POST"])
def contract(contract_id: int):
    """A contract: complete the draft's terms (parties, amounts, instalments…), or read the issued ones."""
    contract = contract_or_404(contract_id)
    form = ContractTermsForm()
    if not form.is_submitted():
        return contract_page(contract)
    if contract.status != ContractStatus.DRAFT:
        flash(_("已出具的合同不能修改，请作废后出具新版本"), "danger")
        return contract_page(contract, 409)
    if not form.validate():  # every field's error at once, listed above the form
        return contract_page(contract, 400, terms=form)
    try:
        drafting.update_terms(contract, current_user, form.terms(), form.instalment_terms(), clock.now())
    except DomainError as e:
        return contract_page(contract, refuse_into(form, e, REFUSAL_FIELDS), terms=form)
    db.session.commit()
    flash(_("合同条款已保存"), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


@bp.get("/contracts/<int:contract_id>/draft.pdf")
def draft_pdf(contract_id: int):
    """Preview a draft as it would print, marked as a draft, to go over the terms with both parties."""
    contract = contract_or_404(contract_id)
    try:
        content = issuing.draft_pdf(contract)
    except DomainError:
        abort(404)
    return send_recorded("download.contract_draft", contract, content, f"draft-{contract.id}.pdf", PDF)
