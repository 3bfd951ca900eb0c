"""Editions: the organizer lists, opens and re-dates contest editions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..services import editions as edition_service
from ..web import refuse
from .forms import EditionEditForm, EditionForm
from .views import bp


@bp.get("/editions")
def editions():
    """All editions with their stage calendar."""
    return render_template("organizer/editions.html", editions=edition_service.all_editions())


@bp.route("/editions/new", methods=["GET", "POST"])
def new_edition():
    """Open a new edition with its code and stage dates."""
    form = EditionForm()
    if form.validate_on_submit():
        try:
            edition = edition_service.save_edition(current_user, form.edition_data())
        except DomainError as e:
            status = refuse(e)
            return render_template("organizer/edition_form.html", form=form, edition=None), status
        db.session.commit()
        flash(_("已创建届次 %(code)s", code=edition.code), "success")
        return redirect(url_for(".editions"))
    return render_template("organizer/edition_form.html", form=form, edition=None), 400 if form.errors else 200


@bp.route("/editions/<code>/edit", methods=["GET", "POST"])
def edit_edition(code: str):
    """Change an edition's name and stage dates (its code stays)."""
    edition = edition_service.edition_by_code(code) or abort(404)
    form = EditionEditForm()
    if form.validate_on_submit():
        try:
            edition_service.save_edition(current_user, form.edition_data(), edition)
        except DomainError as e:
            status = refuse(e)
            return render_template("organizer/edition_form.html", form=form, edition=edition), status
        db.session.commit()
        flash(_("已保存届次 %(code)s", code=edition.code), "success")
        return redirect(url_for(".editions"))
    if not form.is_submitted():
        form.prefill(edition)
    return render_template("organizer/edition_form.html", form=form, edition=edition), 400 if form.errors else 200
