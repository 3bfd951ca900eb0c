"""Log in, log out, and self-registration of firms and teams."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.errors import DomainError
from ..extensions import db
from ..services import accounts, audit
from ..web import refuse
from .forms import FirmRegisterForm, LoginForm, TeamRegisterForm
from .guards import home_url, is_safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in and go to `next` when it is a page of this site, else to the role's home."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            flash(_("用户名或密码错误"), "danger")
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        audit.record(user, "user.login", user)
        db.session.commit()
        target = request.args.get("next")
        return redirect(target if is_safe_next(target) else home_url(user))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out."""
    logout_user()
    flash(_("已退出登录"), "info")
    return redirect(url_for("public.index"))


@bp.get("/register")
def register():
    """Choose to register as a firm or as a team."""
    return render_template("auth/register.html")


@bp.route("/register/firm", methods=["GET", "POST"])
def register_firm():
    """A firm registers itself and its organization."""
    form = FirmRegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_firm(form.account.form.account_data(), form.org.data)
        except DomainError as e:
            status = refuse(e)
            return render_template("auth/register_firm.html", form=form), status
        db.session.commit()
        login_user(user)
        flash(_("注册成功，欢迎发布技术需求"), "success")
        return redirect(home_url(user))
    return render_template("auth/register_firm.html", form=form), 400 if form.errors else 200


@bp.route("/register/team", methods=["GET", "POST"])
def register_team():
    """A team registers itself under its lead organization, with its members."""
    form = TeamRegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_team(form.account.form.account_data(), form.org.data,
                                          form.team.data, form.members_data())
        except DomainError as e:
            status = refuse(e)
            return render_template("auth/register_team.html", form=form), status
        db.session.commit()
        login_user(user)
        flash(_("注册成功，可以开始揭榜"), "success")
        return redirect(home_url(user))
    return render_template("auth/register_team.html", form=form), 400 if form.errors else 200


@bp.get("/me")
@login_required
def me():
    """Send a logged-in user to their home page."""
    return redirect(home_url(current_user))
