"""The organizer's home: each edition at a glance, and the notices (recusals to handle…) to read."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.guards import is_safe_next
from ..domain.states import NeedStatus
from ..extensions import db
from ..services import clock, notices
from . import bp, queries


@bp.get("/")
def dashboard():
    """Each edition's needs by status, bids turned in and teams bidding, with links to the lists."""
    return render_template("organizer/dashboard.html", summaries=queries.edition_summaries(),
                           statuses=list(NeedStatus), submitted=NeedStatus.SUBMITTED,
                           notices=notices.unread(current_user))


@bp.post("/notices/read")
def read_notices():
    """Mark all of one's notices (recusals to handle…) as read, and go back to the page one came from."""
    notices.mark_read(current_user, now=clock.now())
    db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".dashboard"))
