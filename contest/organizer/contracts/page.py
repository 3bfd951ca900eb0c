"""A contract's page and the way its actions run, shared by the contract routes of this wing."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _

from ... import once
from ...domain import contract_clauses
from ...domain.contracts import ContractStatus
from ...domain.errors import DomainError
from ...domain.model_text_blanks import NONE, PARTY_CHOICES, PARTY_WORDS, SLASH
from ...domain.money import rmb_upper
from ...domain.refusals.marker import N_
from ...extensions import db
from ...forms import ConfirmForm
from ...i18n import refusal_text
from ...models import Contract
from ...services import clock
from ...services.contracts import drafting, followup, listing, registration
from ...web import offers
from ...web.listing import Listing
from ...web.lookups import page_number
from ...web.refusals import refuse
from .. import queries
from .forms import (
    INSTALMENT_ROWS, AcceptanceForm, ContractTermsForm, PaymentForm, RegistrationForm, SigningForm, VoidForm,
    terms_data,
)


def _amount_in_words(contract: Contract) -> str:
    """The amount in Chinese capitals (人民币…元整), which Chinese contracts add to the figures; none in English."""
    return rmb_upper(contract.total_amount) if get_locale().language == "zh" else ""


def contract_or_404(contract_id: int) -> Contract:
    return db.session.get(Contract, contract_id) or abort(404)


AWAITING_SHOWN = 50  # winners waiting for a contract listed above the contracts


# An edition's contracts are one per awarded need at most: every column sorts cheaply.
CONTRACTS = Listing("contracts", sorts={"number": Contract.number, "project": Contract.project_name,
                                        "amount": Contract.total_amount, "status": Contract.status},
                    default=None, tiebreak=Contract.id, first_dir={"amount": "desc"},
                    texts=(Contract.number, Contract.project_name))


def list_page(edition, status: int = 200):
    """A page of the edition's contracts (searched and sorted), and the first of its winners still waiting for one."""
    asked = CONTRACTS.read("organizer.edition_contracts", code=edition.code)
    pagination = queries.paginate(CONTRACTS.apply(listing.edition_contracts(edition), asked), page_number())
    rows = [(c, drafting.party(c, "party_a")["name"], drafting.party(c, "party_b")["name"],
             followup.received_total(c), followup.key_programme_eligible(c)) for c in pagination.items]
    # Each winner with why its contract cannot be drafted yet (the notice still open, objections pending), or None.
    awaiting = [(need, bid, _refusal_text(offers.refusal("contract.draft", need)))
                for need, bid in listing.awaiting_contract(edition, AWAITING_SHOWN)]
    return render_template("organizer/contracts/list.html", edition=edition, rows=rows, form=ConfirmForm(),
                           pagination=pagination, awaiting=awaiting, asked=asked,
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
        receipted=followup.receipted_total(contract), amount_words=_amount_in_words(contract),
        clauses=contract_clauses.of_type(contract.contract_type),
        clause_rows=_clause_rows(contract),
        classification=registration.classification(contract, get_locale().language),
    ), status


def _clause_rows(contract: Contract) -> list[tuple[str, str]]:
    """The model text's other blanks of an issued contract as the page lists them: article and label (in the
    reader's language; a label may hold a "%", so it is translated here, not by the template's _()), printed value."""
    printed = contract_clauses.printed(contract.clauses, contract.contract_type)
    return [(f"{_article(clause.article_in(contract.contract_type))} {_(clause.label)}", _word(printed[clause.key]))
            for clause in contract_clauses.of_type(contract.contract_type)]


_CN_NUMERALS = {c: n for n, c in enumerate("零一二三四五六七八九")}
# The words the contract prints for a blank left empty or a party (无, 甲方 …): in the reader's language on the page.
_WORDS = {NONE: N_("无"), SLASH: N_("／"), **{PARTY_WORDS[key]: label for key, label in PARTY_CHOICES}}


def _article(article: str) -> str:
    """An article as the model text names it (第十九条), or in English by its number (Article 19)."""
    if get_locale().language == "zh" or not (article.startswith("第") and article.endswith("条")):
        return article
    tens, _ten, ones = article[1:-1].rpartition("十")
    number = (_CN_NUMERALS.get(tens, 1) * 10 if _ten else 0) + _CN_NUMERALS.get(ones, 0)
    return _("第 %(n)s 条", n=number)


def _word(value: str) -> str:
    """A printed value in the reader's language when it is one of the contract's own words, else as it is."""
    return _(_WORDS[value]) if value in _WORDS else value


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
