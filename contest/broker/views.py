"""A broker: the home with the credits to confirm or decline and the decided ones, and the broker's own profile."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..services import clock
from ..services.brokers import credits, profiles
from ..web.lookups import page_number, within_pages
from ..web.refusals import refuse
from . import bp


@bp.get("/")
def home(status: int = 200):
    """The broker's home: the credits to confirm or decline, then the decided ones, latest first (paginated)."""
    broker = profiles.broker_of(current_user)
    if broker is None:
        return render_template("broker/home.html", broker=None), status
    pagination = within_pages(lambda p: db.paginate(credits.decided_select(broker), page=p, error_out=False,
                                                    per_page=current_app.config["PAGE_SIZE"]), page_number())
    return render_template("broker/home.html", broker=broker, pending=credits.pending_of(broker),
                           decided=credits.decided_rows(list(pagination.items)), pagination=pagination), status


def _decide(credit_id: int, confirm: bool):
    credit = credits.own_credit(credit_id, current_user)
    if credit is None:
        abort(404)
    try:
        credits.decide(credit, current_user, confirm, now=clock.now())
    except DomainError as e:
        return home(refuse(e))
    db.session.commit()
    flash(_("已确认该服务记录") if confirm else _("已拒绝该服务记录"), "success")
    return redirect(url_for(".home"))


@bp.post("/credits/<int:credit_id>/confirm")
def confirm_credit(credit_id: int):
    """Confirm having helped the firm (need) or the team (bid) that named the broker."""
    return _decide(credit_id, True)


@bp.post("/credits/<int:credit_id>/decline")
def decline_credit(credit_id: int):
    """Decline a credit the broker does not recognize (the namer may name another broker)."""
    return _decide(credit_id, False)


@bp.get("/profile")
def profile():
    """The broker's own profile as the organizer keeps it (read-only)."""
    broker = profiles.broker_of(current_user)
    return render_template("broker/profile.html", broker=broker,
                           fields=profiles.field_list(broker) if broker else [])
