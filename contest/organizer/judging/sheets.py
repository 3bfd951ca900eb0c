"""Score sheets of a bid, for the organizer: every judge's points and comment, and reopening with a reason."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from ...domain.errors import DomainError
from ...domain.rubric import Round
from ...extensions import db
from ...models import Bid, ScoreSheet
from ...services import clock
from ...services.judging import scoring
from ...services.judging.rubrics import rubric_for
from ...web.refusals import refuse
from .. import bp, queries
from .forms import DisclosureForm, ReopenForm

ROUND_NAMES = {Round.ONLINE: _l("初评"), Round.ONSITE: _l("现场赛")}


def _page(bid: Bid, failed: tuple[int, ReopenForm] | None = None, status: int = 200,
          disclose_form: DisclosureForm | None = None):
    sheets = queries.sheets_of_bid(bid.id)
    rounds = []
    for round_, name in ROUND_NAMES.items():
        of_round = [s for s in sheets if s.round == round_]
        if of_round:
            points = {s.id: {item.criterion_id: item.points for item in s.items} for s in of_round}
            rounds.append((name, rubric_for(bid.need.edition_id, round_).criteria, of_round, points))
    history = {r.id: json.loads(r.snapshot) for s in sheets for r in s.history}
    forms = {s.id: ReopenForm(formdata=None) for s in sheets}
    if failed:
        forms[failed[0]] = failed[1]
    return render_template("organizer/sheets/bid.html", bid=bid, need=bid.need, rounds=rounds,
                           history=history, forms=forms,
                           disclose_form=disclose_form or DisclosureForm(formdata=None)), status


@bp.get("/bids/<int:bid_id>/sheets")
def bid_sheets(bid_id: int):
    """Every score sheet of a bid: judge, status, points per criterion, total, comment and reopen history."""
    return _page(queries.bid_for_sheets_or_404(bid_id))


@bp.post("/sheets/<int:sheet_id>/reopen")
def reopen_sheet(sheet_id: int):
    """Reopen a submitted sheet with a reason, so its judge can correct it; the old values are kept."""
    sheet = db.session.get(ScoreSheet, sheet_id) or abort(404)
    bid = queries.bid_for_sheets_or_404(sheet.bid_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _page(bid, (sheet.id, form), 400)
    try:
        scoring.reopen_sheet(sheet, current_user, form.reason.data, clock.now())
    except DomainError as e:
        status = refuse(e)
        return _page(bid, (sheet_id, form), status)
    db.session.commit()
    flash(_("已重开 %(judge)s 的评分表", judge=sheet.judge.display_name), "success")
    return redirect(url_for(".bid_sheets", bid_id=bid.id))
