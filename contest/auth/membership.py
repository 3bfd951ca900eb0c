"""Joining an organization: the waiting page of an account not yet let in, and the requests its members and
the organizers decide on."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.errors import DomainError
from ..domain.states import Membership
from ..extensions import db
from ..forms import ConfirmForm
from ..models import User
from ..services import clock, membership
from ..web.refusals import refuse
from . import bp
from .guards import home_url


@bp.get("/membership")
@login_required
def membership_page():
    """One's own request to join an organization: waiting, or refused (a member goes to its home page)."""
    if current_user.membership == Membership.MEMBER:
        return redirect(home_url(current_user))
    return render_template("auth/membership_waiting.html")


@bp.get("/join-requests")
@login_required
def join_requests():
    """Who is waiting to join one's organization (a member's view), or any organization (an organizer's)."""
    if not membership.may_decide(current_user, current_user.org_id):
        abort(403)
    return render_template("auth/membership.html", requests=membership.requests_for(current_user),
                           form=ConfirmForm())


@bp.post("/membership/<int:user_id>/<any(approve, refuse):verdict>")
@login_required
def decide(user_id: int, verdict: str):
    """Let a waiting account in, or refuse it."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None or not membership.may_decide(current_user, user.org_id):
        abort(404)  # another organization's account: nothing to tell
    try:
        membership.decide(current_user, user, let_in=verdict == "approve", now=clock.now())
    except DomainError as e:
        status = refuse(e)
        return render_template("auth/membership.html", requests=membership.requests_for(current_user),
                               form=ConfirmForm()), status
    db.session.commit()
    if verdict == "approve":
        flash(_("已确认 %(name)s 加入", name=user.display_name), "success")
    else:
        flash(_("已拒绝 %(name)s 的加入申请", name=user.display_name), "warning")
    return redirect(url_for(".join_requests"))
