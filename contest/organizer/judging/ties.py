"""A tie for first place, ruled by the organizer: which finalist ranks first, with a reason."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...services import clock
from ...services.judging import ties
from ...services.judging.standings import need_standings
from ...web import offers
from ...web.refusals import refuse
from .. import bp, queries
from .forms import TieRulingForm


def tie_form(standing) -> TieRulingForm:
    form = TieRulingForm(prefix=f"tie-{standing.need.id}")
    form.bid_id.choices = [(b.bid.id, b.bid.team.name) for b in standing.leaders]
    return form


@bp.post("/needs/<int:need_id>/tie-ruling")
def rule_tie(need_id: int):
    """Rank one of the tied finalists first: the firm can then confirm it (or decline)."""
    need = queries.need_or_404(need_id)
    standing = need_standings(need)
    form = tie_form(standing)
    status = 400
    if form.validate_on_submit():
        asked = offers.ask_first("need.rule_tie", standing)
        if asked is not None:
            return asked
        try:
            ties.rule_tie(need, current_user, form.bid_id.data, form.reason.data, clock.now())
        except DomainError as e:
            status = refuse(e)
        else:
            db.session.commit()
            flash(_("已裁定并列第一名的排序，已通知发榜企业确认"), "success")
            return redirect(url_for(".standings_page", code=need.edition.code, q=need.name) + f"#need-{need.id}", 303)
    return render_template("organizer/results/tie.html", need=need, standing=standing, form=form), status


@bp.get("/needs/<int:need_id>/tie-ruling")
def tie_page(need_id: int):
    """The tied finalists of a need and the ruling form (shown only while a ruling is allowed)."""
    need = queries.need_or_404(need_id)
    standing = need_standings(need)
    return render_template("organizer/results/tie.html", need=need, standing=standing, form=tie_form(standing))
