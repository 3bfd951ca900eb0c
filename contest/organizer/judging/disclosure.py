"""A report that disclosed its team's identity, marked by the organizer from the bid's score-sheet page."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...services import clock
from ...services.judging import disclosure
from ...web import offers
from ...web.refusals import refuse
from .. import bp, queries
from .forms import DisclosureForm
from .sheets import _page


@bp.post("/bids/<int:bid_id>/disclose")
def disclose_bid(bid_id: int):
    """Mark the bid's identity disclosed, with a reason: it leaves the online round (asked once, irreversible)."""
    bid = queries.bid_for_sheets_or_404(bid_id)
    form = DisclosureForm()
    if not form.validate_on_submit():
        return _page(bid, status=400, disclose_form=form)
    try:
        disclosure.check_disclose(bid, current_user, clock.now())
        if (asked := offers.ask_first("bid.disclose", bid)) is not None:
            return asked
        disclosure.disclose_identity(bid, current_user, form.reason.data, clock.now())
    except DomainError as e:
        return _page(bid, status=refuse(e), disclose_form=form)
    db.session.commit()
    flash(_("已标记身份已披露：该挑战报告退出在线初评，团队已收到通知"), "success")
    return redirect(url_for(".bid_sheets", bid_id=bid.id))
