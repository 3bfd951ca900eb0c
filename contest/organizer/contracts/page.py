"""A contract's page and the way its actions run, shared by the contract routes of this wing."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ... import once
from ...domain import contract_clauses
from ...domain.contracts import ContractStatus
from ...domain.errors import DomainError
from ...domain.money import rmb_upper
from ...extensions import db
from ...forms import ConfirmForm
from ...i18n import refusal_text
from ...models import Contract
from ...services import clock
from ...services.contracts import drafting, followup, listing, registration
from ...web import offers
from ...web.lookups import page_number
from ...web.refusals import refuse
from .. import queries
from .forms import (
    INSTALMENT_ROWS, AcceptanceForm, ContractTermsForm, PaymentForm, RegistrationForm, SigningForm, VoidForm,
    terms_data,
)


def contract_or_404(contract_id: int) -> Contract:
    return db.session.get(Contract, contract_id) or abort(404)


AWAITING_SHOWN = 50  # winners waiting for a contract listed above the contracts


def list_page(edition, status: int = 200):
    """A page of the edition's contracts, and the first of its winners still waiting for one."""
    pagination = queries.paginate(listing.edition_contracts(edition), page_number())
    rows = [(c, drafting.party(c, "party_a")["name"], drafting.party(c, "party_b")["name"],
             followup.received_total(c), followup.key_programme_eligible(c)) for c in pagination.items]
    # Each winner with why its contract cannot be drafted yet (the notice still open, objections pending), or None.
    awaiting = [(need, bid, _refusal_text(offers.refusal("contract.draft", need)))
                for need, bid in listing.awaiting_contract(edition, AWAITING_SHOWN)]
    return render_template("organizer/contracts/list.html", edition=edition, rows=rows, form=ConfirmForm(),
                           pagination=pagination, awaiting=awaiting,
                           awaiting_total=listing.awaiting_count(edition)), status


def _refusal_text(error) -> str | None:
    return refusal_text(error) if error is not None else None


def contract_page(contract: Contract, status: int = 200, **forms):
    """The contract's page: the terms form of a draft, or the frozen terms with signing and follow-up."""
    if contract.status == ContractStatus.DRAFT and "terms" not in forms:
        forms["terms"] = ContractTermsForm(formdata=None, data=terms_data(contract))
        while len(forms["terms"].instalments) < max(INSTALMENT_ROWS, len(contract.instalments) + 2):
            forms["terms"].instalments.append_entry()
    forms.setdefault("signing", SigningForm(formdata=None, signed_on=clock.beijing_date(clock.now())))
    forms.setdefault("acceptance", AcceptanceForm(formdata=None, contract=contract))
    forms.setdefault("payment", PaymentForm(formdata=None))
    forms.setdefault("registration", RegistrationForm(formdata=None, data={
        "registration_number": contract.registration_number, "tech_amount": contract.registered_tech_amount,
        "registered_on": contract.registered_on}))
    forms.setdefault("void", VoidForm(formdata=None))
    key_programme = followup.key_programme(contract)
    return render_template(
        "organizer/contracts/contract.html", contract=contract, forms=forms, confirm=ConfirmForm(),
        party_a=drafting.party(contract, "party_a"), party_b=drafting.party(contract, "party_b"),
        versions=listing.versions(contract), received=followup.received_total(contract),
        eligible=key_programme.eligible, key_programme_missing=[refusal_text(p) for p in key_programme.phrases()],
        receipted=followup.receipted_total(contract), amount_words=rmb_upper(contract.total_amount),
        clauses=contract_clauses.of_type(contract.contract_type),
        clause_rows=_clause_rows(contract),
        classification=registration.classification(contract),
    ), status


def _clause_rows(contract: Contract) -> list[tuple[str, str]]:
    """The model text's other blanks of an issued contract as the page lists them: article and label (in the
    reader's language; a label may hold a "%", so it is translated here, not by the template's _()), printed value."""
    printed = contract_clauses.printed(contract.clauses, contract.contract_type)
    return [(f"{clause.article_in(contract.contract_type)} {_(clause.label)}", printed[clause.key])
            for clause in contract_clauses.of_type(contract.contract_type)]


def act(contract_id: int, name: str, form, run, done: str, ask: str | None = None):
    """One follow-up POST: validate its form, run the service, commit, and go to the resulting contract. An
    irreversible one (`ask`: its action's name) is checked, then asked once, before anything is recorded."""
    contract = contract_or_404(contract_id)
    if not form.validate_on_submit():
        flash(_("请检查表单中标出的错误"), "danger")
        return contract_page(contract, 400, **{name: form})
    if ask is not None:
        if (error := offers.refusal(ask, contract)) is not None:
            return contract_page(contract, refuse(error), **{name: form})
        if (asked := offers.ask_first(ask, contract)) is not None:
            return asked
    key = form.submission_key.data if "submission_key" in form else None
    if (earlier := once.earlier_result(key)) is not None:
        return earlier  # the same rendered form was sent before (a double click): nothing recorded twice
    try:
        result = run(contract, form)
    except DomainError as e:
        return contract_page(contract, refuse(e), **{name: form})
    target = result if isinstance(result, Contract) else contract
    url = once.remember(url_for(".contract", contract_id=target.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url)
