"""Accounts: the organizer lists them, creates judges, fellow organizers and markets' staff, and disables an account (its
sessions end at once) or enables it again. Firms and teams register themselves."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..domain.errors import DomainError
from ..domain.states import Role
from ..extensions import db
from ..forms import ALL, NO_ORG, AccountForm, optional_enum, required
from ..labels import choices, label
from ..models import User
from ..services import accounts
from ..services.markets import market_list
from ..web.lookups import page_number
from ..web.refusals import refuse
from . import bp, queries

CREATABLE_ROLES = (Role.JUDGE.value, Role.ORGANIZER.value, Role.MARKET.value)  # firms and teams register themselves
NO_MARKET = 0


class NewUserForm(AccountForm, FlaskForm):
    """A judge, organizer or market-staff account created by an organizer."""

    role = SelectField(_l("角色"), choices=[c for c in choices(Role) if c.value in CREATABLE_ROLES],
                       coerce=optional_enum(Role), default=Role.JUDGE.value, validators=[required()])
    org_id = SelectField(_l("所在单位（评审专家，可选）"), coerce=int, default=NO_ORG,
                         description=_l("用于回避：专家不评审本单位相关的需求和挑战报告"))
    market_id = SelectField(_l("所属市场（市场工作人员必选）"), coerce=int, default=NO_MARKET,
                            description=_l("市场工作人员只能看到并办理本市场征集的需求"))

    def __init__(self, *args, organizations=(), markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_id.choices = [SelectChoice(NO_ORG, _l("（无）"))] + [SelectChoice(o.id, o.name) for o in organizations]
        self.market_id.choices = [SelectChoice(NO_MARKET, _l("（无）"))] + [SelectChoice(m.id, m.name) for m in markets]

    def validate_market_id(self, field):
        if self.role.data == Role.MARKET and field.data == NO_MARKET:
            raise ValidationError(_l("市场工作人员账号须选择所属市场"))
        if self.role.data != Role.MARKET and field.data != NO_MARKET:
            raise ValidationError(_l("只有市场工作人员账号可以选择所属市场"))

    def validate_org_id(self, field):
        if field.data != NO_ORG and self.role.data != Role.JUDGE:
            raise ValidationError(_l("只有评审专家可以关联单位"))

    def user_data(self) -> dict:
        return {**self.account_data(), "role": self.role.data,
                "org_id": None if self.org_id.data == NO_ORG else self.org_id.data,
                "market_id": None if self.market_id.data == NO_MARKET else self.market_id.data}


class UserFilterForm(Form):
    """The accounts list's filter, read from the query string."""

    role = SelectField(_l("角色"), choices=[ALL, *choices(Role)], coerce=optional_enum(Role))


@bp.get("/users")
def users():
    """All accounts with their organization, filtered by role, searched and sorted by their columns."""
    form = UserFilterForm(request.args)
    asked = queries.USERS.read()
    pagination = queries.paginate(queries.users_select(form.role.data, asked), page_number())
    return render_template("organizer/users.html", form=form, pagination=pagination, asked=asked)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a judge (optionally of an organization, for conflicts), another organizer or a market's staff."""
    form = NewUserForm(organizations=queries.organizations(), markets=market_list())
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


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    try:
        accounts.set_active(current_user._get_current_object(), user, active)
    except DomainError as e:
        status = refuse(e)
        return users(), status
    db.session.commit()
    if active:
        flash(_("已启用账号 %(username)s", username=user.username), "success")
    else:
        flash(_("已停用账号 %(username)s，其登录已全部失效", username=user.username), "success")
    return redirect(url_for(".users", role=request.args.get("role") or None))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id: int):
    """Disable an account: it can no longer log in, and every open session of it ends."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id: int):
    """Enable a disabled account again (its user logs in anew)."""
    return _set_active(user_id, True)
