"""A user's notices and notification settings."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.errors import DomainError
from ..domain.states import MailMode
from ..extensions import db
from ..services import clock, notices
from ..services.notify import preferences
from ..services.notify.events import for_role
from ..web.lookups import page_number, within_pages
from ..web.refusals import refuse
from . import bp
from .forms import field_of, settings_form


@bp.before_request
@login_required
def signed_in():
    return None


@bp.get("/")
def index():
    """Every notice of the user, unread first."""
    size = current_app.config["PAGE_SIZE"]
    pagination = within_pages(lambda p: db.paginate(notices.listing(current_user), page=p, per_page=size,
                                                    max_per_page=size, error_out=False), page_number())
    return render_template("notices/index.html", pagination=pagination)


@bp.post("/<int:notice_id>/read")
def read_one(notice_id: int):
    if not notices.mark_one_read(current_user, notice_id, now=clock.now()):
        abort(404)
    db.session.commit()
    return redirect(url_for(".index", page=request.args.get("page", type=int) or None))


@bp.post("/read")
def read_all():
    notices.mark_read(current_user, now=clock.now())
    db.session.commit()
    flash(_("全部通知已标为已读"), "success")
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Mail per kind of event, and the language of mail and notices."""
    user = current_user._get_current_object()  # the account itself: it is the audit event's object too
    events = for_role(user.role)
    chosen = preferences.chosen(user)
    form = settings_form(events, chosen, request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.language.data = user.language
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                preferences.save(user, language=form.language.data, now=clock.now(),
                                 modes={e.kind: MailMode(field_of(form, e.kind).data) for e in events})
            except DomainError as e:
                status = refuse(e)
            else:
                db.session.commit()
                flash(_("通知设置已保存"), "success")
                return redirect(url_for(".settings"), 303)
        else:
            status = 400
    rows = [(e, field_of(form, e.kind)) for e in events]
    return render_template("notices/settings.html", form=form, rows=rows), status
