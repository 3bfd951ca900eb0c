"""Log in, log out, change one's password, and self-registration of firms and teams."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import TooManyRequests

from ..domain.errors import DomainError
from ..domain.states import Membership
from ..extensions import db, limiter
from ..services import accounts, clock, login_throttle
from ..services.records import audit
from ..web.refusals import refuse
from . import bp, sessions
from .forms import FirmRegisterForm, LoginForm, PasswordChangeForm, TeamRegisterForm
from .guards import home_url, is_safe_next


def login_rate() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def refused(response) -> bool:
    """Only refused attempts count: colleagues logging in behind one office address are not held back."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate, methods=["POST"], deduct_when=refused)  # per client address, whatever the account
def login():
    """Log in and go to `next` when it is a page of this site, else to the role's home. Refused attempts on an
    account are counted in the database (contest/services/login_throttle.py), by every server."""
    form = LoginForm()
    if form.validate_on_submit():
        wait = login_throttle.seconds_to_wait(form.username.data, request.remote_addr or "", clock.now())
        if wait:
            raise TooManyRequests(retry_after=wait)
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            accounts.login_failed(form.username.data)
            db.session.commit()
            flash(_("用户名或密码错误"), "danger")
            return render_template("auth/login.html", form=form), 401
        audit.record(user, "user.login", user)
        db.session.commit()
        sessions.start(user)
        target = request.args.get("next")
        return redirect(target if is_safe_next(target) else home_url(user))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out: this session and every other session of the account, in any browser, end."""
    accounts.log_out(current_user._get_current_object())
    db.session.commit()
    sessions.end()
    flash(_("已退出登录"), "info")
    return redirect(url_for("public.index"))


def account_changing_password() -> str:
    """Throttle guesses of the current password by whoever holds a session."""
    return f"password:{current_user.get_id()}"


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(login_rate, methods=["POST"], deduct_when=refused, key_func=account_changing_password)
def change_password():
    """Change one's password; other browsers are logged out, this one stays logged in."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, current=form.current.data, new=form.password.data)
        except DomainError as e:
            status = refuse(e)
            return render_template("auth/password.html", form=form), status
        db.session.commit()
        sessions.start(user)
        flash(_("密码已修改，其他设备上的登录已失效"), "success")
        return redirect(home_url(user))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.get("/register")
def register():
    """Choose to register as a firm or as a team."""
    return render_template("auth/register.html")


def _welcome(user, text: str) -> None:
    if user.membership == Membership.PENDING:
        flash(_("注册成功。该机构已在平台登记，须由其已确认的成员或组织方确认您的加入后才能使用"), "warning")
    else:
        flash(text, "success")


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
        sessions.start(user)
        _welcome(user, _("注册成功，欢迎发布技术需求"))
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
        sessions.start(user)
        _welcome(user, _("注册成功，可以开始揭榜"))
        return redirect(home_url(user))
    return render_template("auth/register_team.html", form=form), 400 if form.errors else 200


@bp.get("/organizations")
@limiter.limit("120/minute")  # a suggestion per pause in typing, for every member of a team
def organization_names():
    """Registered organizations matching ?q= (JSON), for the team registration's member organization field."""
    return {"organizations": accounts.registered_names_like(request.args.get("q", "")[:120])}


@bp.get("/me")
@login_required
def me():
    """Send a logged-in user to their home page."""
    return redirect(home_url(current_user))
