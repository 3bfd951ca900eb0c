"""The network's markets (1+12+13): the organizer lists them with their staff and needs, adds and edits them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import Email, Optional, ValidationError

from ..domain.choices import MarketLevel
from ..domain.errors import DomainError, Invalid
from ..extensions import db
from ..forms import max_len, optional_enum, refuse_into, required
from ..i18n import refusal_text
from ..labels import choices
from ..models import Market
from ..services.network import markets_admin
from . import bp


class MarketForm(FlaskForm):
    """A market's record: its name, level, area, region code, contact and whether it is active."""

    name = StringField(_l("市场名称"), validators=[required(), max_len(60)])
    level = SelectField(_l("层级"), choices=choices(MarketLevel), coerce=optional_enum(MarketLevel),
                        validators=[required()])
    area = StringField(_l("所在区域或依托协会"), validators=[max_len(120)],
                       description=_l("分市场填区、县或开发区；专业市场填依托的行业协会或商会"))
    region_code = StringField(_l("行政区划代码"), validators=[max_len(6)],
                              description=_l("GB/T 2260 的 6 位代码，如海曙区 330203；专业市场面向全市，可不填"))
    contact_name = StringField(_l("联系人"), validators=[max_len(50)])
    contact_phone = StringField(_l("联系电话"), validators=[max_len(30)])
    contact_email = EmailField(_l("联系邮箱"), validators=[Optional(), Email(message=_l("邮箱格式不正确")), max_len(120)])
    active = BooleanField(_l("启用（停用的市场不再出现在征集渠道中，已征集的需求不受影响）"), default=True)

    def validate_region_code(self, field):
        if self.level.errors or self.level.data is None:
            return
        try:
            field.data = markets_admin.check_market_region(self.level.data, field.data)
        except Invalid as exc:
            raise ValidationError(refusal_text(exc)) from exc

    def market_data(self) -> dict:
        return {k: self.data[k] for k in markets_admin.MARKET_FIELDS}


@bp.get("/markets")
def markets():
    """The network's markets by level, each with its active staff accounts and the needs it collected."""
    return render_template("organizer/markets.html", rows=markets_admin.markets_overview(), levels=list(MarketLevel))


def _save(form: MarketForm, market: Market | None):
    try:
        if market is None:
            market = markets_admin.create_market(current_user, form.market_data())
        else:
            markets_admin.update_market(current_user, market, form.market_data())
    except DomainError as e:
        status = refuse_into(form, e, {"market.name_taken": "name", "market.name_required": "name"})
        return render_template("organizer/market_form.html", form=form, market=market), status
    db.session.commit()
    flash(_("已保存市场：%(name)s", name=market.name), "success")
    return redirect(url_for(".markets"))


@bp.route("/markets/new", methods=["GET", "POST"])
def new_market():
    """Add a market to the network."""
    form = MarketForm()
    if form.validate_on_submit():
        return _save(form, None)
    return render_template("organizer/market_form.html", form=form, market=None), 400 if form.errors else 200


@bp.route("/markets/<int:market_id>", methods=["GET", "POST"])
def edit_market(market_id: int):
    """Edit a market's record (its name, level, area, region code, contact; close or reopen it)."""
    market = db.get_or_404(Market, market_id)
    form = MarketForm(obj=market)
    if form.validate_on_submit():
        return _save(form, market)
    return render_template("organizer/market_form.html", form=form, market=market), 400 if form.errors else 200
