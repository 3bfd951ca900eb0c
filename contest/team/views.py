"""The team's pages (揭榜团队): its dashboard, and its challenge reports from draft to withdrawal."""
from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import once
from ..domain.bidding import check_bidding_open, price_over_budget
from ..domain.errors import DomainError
from ..domain.states import BidStatus
from ..extensions import db
from ..i18n import refusal_text
from ..models import Bid, Need, Team
from ..services import accounts, bids, clock
from ..services.files import uploads
from ..services.todo import team as todo_team
from ..web import offers
from ..web.downloads import PDF, send_recorded
from ..web.lookups import page_number, within_pages
from ..web.refusals import refuse
from . import bid_drafts, bp, queries
from .forms import DECLARATION, BidForm


def _own_team() -> Team:
    """The logged-in account's team; an account without one has nothing to act on."""
    team = accounts.team_of(current_user)
    if team is None:
        abort(403)
    return team


def _closed_reason(need: Need) -> str | None:
    """Why the need takes no bid now (deadline passed, need closed), or None while bidding is open."""
    try:
        check_bidding_open(need.status, need.edition.bidding_deadline, clock.now())
    except DomainError as e:
        return refusal_text(e)
    return None


def _form_status(form: BidForm) -> int:
    """The status of a form sent back: 200 when it was only shown, the PDF's refusal's (413 for a file over the
    limit), else 400."""
    if not form.errors:
        return 200
    return form.pdf_status if form.pdf_refusal else 400


def _bid_form_page(form: BidForm, need: Need, bid: Bid | None, status: int = 200, restorable: Bid | None = None):
    closed = _closed_reason(need)
    if form.errors and closed is None:  # sent back for its fields: the chosen PDF waits for the corrected form
        bid_drafts.keep_for_retry(form, current_user, clock.now())
    return render_template("team/bid_form.html", form=form, need=need, bid=bid, declaration=DECLARATION,
                           closed=closed, restorable=restorable), status


def _bid_page(bid: Bid, status: int = 200):
    return render_template("team/bid.html", bid=bid, need=bid.need, closed=_closed_reason(bid.need)), status


def _refused(error: DomainError, page):
    """Undo everything the refused request did (rows and stored files), say why, answer its 4xx."""
    # the upload of a request that commits nothing is removed at teardown
    return page(status=refuse(error))


def _flash_saved(bid: Bid, need: Need) -> None:
    flash(_("挑战报告已提交") if bid.status == BidStatus.SUBMITTED else _("草稿已保存"), "success")
    if price_over_budget(bid.price_wan, need.budget_wan):
        flash(_("注意：报价 %(price)s 万元高于该需求拟投入资金 %(budget)s 万元，已保存，请确认报价是否合理",
                price=f"{bid.price_wan:,.2f}", budget=f"{need.budget_wan:,.2f}"), "warning")


@bp.get("/")
def dashboard():
    """The team's card and its own challenge reports, newest first."""
    team = accounts.team_of(current_user)
    if team is None:
        return render_template("team/dashboard.html", team=None, bids=None)
    asked = queries.OWN_BIDS.read()
    return render_template("team/dashboard.html", team=queries.team_card(team.id), asked=asked,
                           bids=within_pages(partial(queries.own_bids_page, team, asked=asked), page_number()),
                           todos=todo_team.next_steps(team, current_user, clock.now()))


@bp.route("/needs/<int:need_id>/bid", methods=["GET", "POST"])
def new_bid(need_id: int):
    """Write the team's challenge report for a published need, as a draft or submitted at once.

    A double-clicked or replayed form makes one bid: every copy after the first is sent to it (303).
    """
    team = _own_team()
    need = queries.get_public_need_or_404(need_id)
    existing = queries.live_bid(team, need)
    if existing is not None and request.method == "GET":
        return redirect(url_for(".edit_bid", bid_id=existing.id))
    form = BidForm()
    # The PDF is read and checked first, before anything is saved (and before the claim: parallel copies do not
    # queue for it); a withdrawn report's text may be restored into the new form (?restore=1).
    pdf = bid_drafts.take_pdf(form, team, current_user, clock.now())
    withdrawn = queries.withdrawn_bid(team, need)
    if withdrawn is not None and not form.is_submitted() and request.args.get("restore") == "1":
        bid_drafts.restore(form, withdrawn, current_user, clock.now())
    page = partial(_bid_form_page, form, need, None, restorable=withdrawn)
    if not form.validate_on_submit():
        return page(status=_form_status(form))
    try:
        if (earlier := once.earlier_result(form.submission_key.data)) is not None:
            return earlier
        bid = bids.create_bid(team, need, form.bid_data(), pdf, actor=current_user, now=clock.now(),
                              submit=form.submitting)
    except DomainError as e:
        return _refused(e, page)
    target = once.remember(url_for(".bid", bid_id=bid.id))
    db.session.commit()
    bid_drafts.saved(form)
    _flash_saved(bid, need)
    return redirect(target)


@bp.route("/bids/<int:bid_id>/edit", methods=["GET", "POST"])
def edit_bid(bid_id: int):
    """Edit the team's draft or submitted report until the deadline; the PDF is kept unless a new one is chosen."""
    team = _own_team()
    bid = queries.get_own_bid_or_404(bid_id, team)
    form = BidForm(obj=bid)
    form.resubmits, form.has_saved_pdf = bid.status == BidStatus.SUBMITTED, bool(bid.pdf_stored_name)
    pdf = bid_drafts.take_pdf(form, team, current_user, clock.now())  # checked before anything is saved
    page = partial(_bid_form_page, form, bid.need, bid)
    if not form.validate_on_submit():
        return page(status=_form_status(form))
    try:
        bids.update_bid(bid, team, form.bid_data(), pdf, actor=current_user, now=clock.now(),
                        submit=form.submitting)
    except DomainError as e:
        return _refused(e, page)
    db.session.commit()
    bid_drafts.saved(form)
    _flash_saved(bid, bid.need)
    return redirect(url_for(".bid", bid_id=bid.id))


@bp.get("/bids/<int:bid_id>")
def bid(bid_id: int):
    """The team's report: every field, its file, its status."""
    return _bid_page(queries.get_own_bid_or_404(bid_id, _own_team()))


@bp.post("/bids/<int:bid_id>/withdraw")
def withdraw(bid_id: int):
    """Withdraw the team's report before the deadline (the team may then bid on the need again)."""
    team = _own_team()
    bid = queries.get_own_bid_or_404(bid_id, team)
    try:
        bids.check_change(bid, current_user, clock.now())
        if (asked := offers.ask_first("bid.withdraw", bid)) is not None:
            return asked
        bids.withdraw_bid(bid, team, actor=current_user, now=clock.now())
    except DomainError as e:
        return _refused(e, partial(_bid_page, bid))
    db.session.commit()
    flash(_("挑战报告已撤回"), "success")
    return redirect(url_for(".bid", bid_id=bid.id))


@bp.get("/bids/<int:bid_id>/file")
def bid_file(bid_id: int):
    """Download the team's own challenge report PDF, exactly as uploaded, under its original name."""
    bid = queries.get_own_bid_or_404(bid_id, _own_team())
    if not bid.pdf_stored_name:
        abort(404)
    return send_recorded("download.bid", bid, uploads.path_of(bid.pdf_stored_name),
                         bid.pdf_original_name or "report.pdf", PDF)
