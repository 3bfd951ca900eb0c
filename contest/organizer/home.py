"""The organizer's home: each edition at a glance, and the notices (recusals to handle…) to read."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.guards import is_safe_next
from ..domain.states import NeedStatus
from ..extensions import db
from ..services import clock, notices
from ..services.todo import organizer as todo_organizer
from . import bp, queries


@bp.get("/")
def dashboard():
    """Each edition's next step and what blocks it (each a count linking to the page that resolves it), its needs
    by status, bids turned in and teams bidding; finished editions folded away."""
    summaries = queries.edition_summaries()
    steps = todo_organizer.edition_steps([s.edition for s in summaries], {s.edition.id: s.needs for s in summaries},
                                         clock.now())
    rows = list(zip(summaries, steps))
    return render_template("organizer/dashboard.html", live=[r for r in rows if not r[1].finished],
                           finished=[r for r in rows if r[1].finished], statuses=list(NeedStatus),
                           submitted=NeedStatus.SUBMITTED, notices=notices.unread(current_user))


@bp.post("/notices/read")
def read_notices():
    """Mark all of one's notices (recusals to handle…) as read, and go back to the page one came from."""
    notices.mark_read(current_user, now=clock.now())
    db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".dashboard"))
