"""Users: the organizer lists accounts and creates judges and fellow organizers."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..labels import label
from ..services import accounts
from ..web import refuse
from . import queries
from .forms import NewUserForm, UserFilterForm
from .views import bp, page_number


@bp.get("/users")
def users():
    """All accounts with their organization, filtered by role."""
    form = UserFilterForm(request.args)
    pagination = queries.paginate(queries.users_select(form.role.data), page_number())
    return render_template("organizer/users.html", form=form, pagination=pagination)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a judge (optionally of an organization, for conflicts) or another organizer."""
    form = NewUserForm(organizations=queries.organizations())
    if form.validate_on_submit():
        try:
            user = accounts.create_user(current_user, **form.user_data())
        except DomainError as e:
            status = refuse(e)
            return render_template("organizer/user_form.html", form=form), status
        db.session.commit()
        flash(_("已创建%(role)s账号 %(username)s", role=label(user.role), username=user.username), "success")
        return redirect(url_for(".users", role=user.role.value))
    return render_template("organizer/user_form.html", form=form), 400 if form.errors else 200
