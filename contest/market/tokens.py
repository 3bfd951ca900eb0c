"""A market's staff: their personal API tokens (create one, shown once in full; list by prefix; revoke)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..domain.errors import DomainError
from ..extensions import db
from ..forms import REQUIRED, ConfirmForm, max_len, required
from ..services import clock
from ..services.api import tokens
from ..web.lookups import page_number, within_pages
from ..web.refusals import refuse
from . import bp

SCOPE_LABELS = {"needs:write": _l("代本市场企业提交需求（needs:write）")}


class TokenForm(FlaskForm):
    """A new token: a name to recognise it by, and what it may do."""

    name = StringField(_l("令牌名称（如：区市场网站对接）"), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[required(), max_len(tokens.NAME_MAX)])
    scope = SelectField(_l("权限范围"), choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in tokens.SCOPES],
                        validators=[InputRequired(message=REQUIRED)])


def _page(form: TokenForm, issued=None, status: int = 200):
    listed = within_pages(lambda p: db.paginate(tokens.tokens_of(current_user), page=p,
                                                per_page=current_app.config["PAGE_SIZE"], error_out=False),
                          page_number())
    return render_template("market/tokens.html", form=form, issued=issued, pagination=listed,
                           scope_labels=SCOPE_LABELS, revoke_form=ConfirmForm()), status


@bp.get("/tokens")
def token_list():
    """The staff member's API tokens, and the form to create one."""
    return _page(TokenForm())


@bp.post("/tokens")
def create_token():
    """Create a personal API token; its full text is shown on this page once, never again."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        issued = tokens.create_token(current_user, form.name.data, [form.scope.data], now=clock.now())
    except DomainError as e:
        return _page(form, status=refuse(e))
    db.session.commit()
    return _page(TokenForm(formdata=None), issued=issued)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of one's tokens: every later API call with it is refused."""
    token = tokens.own_token(token_id, current_user)
    if token is None or not ConfirmForm().validate_on_submit():
        abort(404 if token is None else 400)
    try:
        tokens.revoke_token(token, current_user, now=clock.now())
    except DomainError as e:
        return _page(TokenForm(formdata=None), status=refuse(e))
    db.session.commit()
    flash(_("令牌“%(name)s”已撤销", name=token.name), "success")
    return redirect(url_for("market.token_list"))
