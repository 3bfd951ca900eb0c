"""A firm's decision on its need after the on-site final: see the ranking, confirm the winner or decline."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..domain.errors import DomainError
from ..extensions import db
from ..forms import ConfirmForm, max_len, required
from ..services import clock
from ..services.judging import panels
from ..services.judging.codes import panel_codes
from ..services.judging.standings import need_standings
from ..web import offers
from ..web.refusals import refuse
from . import bp, queries


class DeclineForm(FlaskForm):
    """Declining to confirm a winner needs a reason the organizer will read."""

    reason = TextAreaField(_l("不予确认的理由"), validators=[required(), max_len(500)], render_kw={"rows": 3})


def _ranking_page(need, decline_form: DeclineForm | None = None, status: int = 200):
    """The need's finalists and scores, judges by code only; also answers a refused decision."""
    standing = need_standings(need)
    return render_template("firm/ranking.html", need=need, standing=standing, codes=panel_codes(need.edition, standing.panel),
                           form=ConfirmForm(), decline_form=decline_form or DeclineForm()), status


def _already_decided(need_id: int):
    """A repeated decision (double click, parallel copies, a replayed form): the ranking with the result (303)."""
    db.session.rollback()  # a copy that lost the race to the decision has nothing to keep
    flash(_("该需求的结果已经确定，无需重复提交"), "info")
    return redirect(url_for("firm.ranking", need_id=need_id), 303)


@bp.get("/needs/<int:need_id>/ranking")
def ranking(need_id: int):
    """The firm's own need after the final: finalists, online, on-site and final scores and ranks."""
    return _ranking_page(queries.own_need_or_404(need_id, current_user.org_id))


@bp.post("/needs/<int:need_id>/confirm")
def confirm(need_id: int):
    """Confirm the first-ranked finalist as the winner (挑战第一名) of the firm's need."""
    need = queries.own_need_or_404(need_id, current_user.org_id)
    if not ConfirmForm().validate_on_submit():
        return _ranking_page(need, status=400)
    try:
        panels.check_confirm(need, current_user, clock.now())
        if (asked := offers.ask_first("need.confirm", need)) is not None:
            return asked
        panels.confirm_winner(need, current_user, clock.now())
    except panels.AlreadyDecided:
        return _already_decided(need_id)
    except DomainError as e:
        return _ranking_page(need, status=refuse(e))
    db.session.commit()
    flash(_("已确认挑战第一名为优胜团队"), "success")
    return redirect(url_for("firm.ranking", need_id=need.id))


@bp.post("/needs/<int:need_id>/decline")
def decline(need_id: int):
    """Decline to confirm a winner, with a reason: the need fails (流榜)."""
    need = queries.own_need_or_404(need_id, current_user.org_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _ranking_page(need, form, 400)
    try:
        panels.check_decline(need, current_user, clock.now())
        if (asked := offers.ask_first("need.decline", need)) is not None:
            return asked
        panels.decline(need, current_user, form.reason.data, clock.now())
    except panels.AlreadyDecided:
        return _already_decided(need_id)
    except DomainError as e:
        return _ranking_page(need, form, refuse(e))
    db.session.commit()
    flash(_("已记录不予确认及理由"), "success")
    return redirect(url_for("firm.ranking", need_id=need.id))
