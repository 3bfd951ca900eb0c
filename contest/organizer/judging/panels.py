"""On-site panels, for the organizer: a finalist need's experts and the firm's representative."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...services.judging import panels, standings
from ...web.refusals import refuse
from .. import bp, queries
from .forms import PanelForm


def _panel_page(need, form: PanelForm, status: int = 200, standing=None):
    return render_template("organizer/results/panel.html", need=need, form=form,
                           standing=standing or standings.need_standings(need)), status


@bp.route("/needs/<int:need_id>/panel", methods=["GET", "POST"])
def need_panel(need_id: int):
    """Name a finalist need's on-site panel: experts without conflicts plus one representative of the firm."""
    need = queries.need_or_404(need_id)
    candidates, firm_users = panels.panel_candidates(need)
    form = PanelForm(candidates=candidates, firm_users=firm_users)
    if not form.is_submitted():
        standing = standings.need_standings(need)
        form.judges.data = [m.user_id for m in standing.experts]
        form.firm_rep.data = standing.firm_representative.user_id if standing.firm_representative else 0
        return _panel_page(need, form, standing=standing)
    if not form.validate_on_submit():
        return _panel_page(need, form, 400)
    try:
        panels.set_panel(need, current_user, form.judges.data, form.firm_rep.data)
    except DomainError as e:
        return _panel_page(need, form, refuse(e))
    db.session.commit()
    flash(_("现场评审组已保存"), "success")
    return redirect(url_for(".need_panel", need_id=need.id))
