"""Brokers (技术经纪人) for the organizer: the list of profiles, a new broker with its log-in account, a profile
corrected. The statistics, reward rule and payable list are in rewards."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ...domain.errors import DomainError
from ...extensions import db
from ...forms import refuse_into
from ...models import Broker
from ...services import clock, editions as edition_service, markets
from ...services.brokers import profiles
from ...web.listing import Listing
from ...web.lookups import page_number
from .. import bp, queries
from .forms import BrokerForm, NewBrokerForm

BROKERS = Listing("brokers", sorts={"name": Broker.name, "certificate": Broker.certificate_no, "level": Broker.level,
                                    "market": Broker.market_id, "created": Broker.id},
                  default="name", tiebreak=Broker.id, first_dir={"created": "desc"},
                  texts=(Broker.name, Broker.certificate_no))
# A refusal of the service goes under the field it concerns.
FIELD_OF = {"broker.certificate_taken": "certificate_no", "broker.market_unknown": "market_id",
            "broker.name_required": "name", "broker.certificate_required": "certificate_no",
            "account.username_taken": "username"}


@bp.app_template_global("contract_brokers")
def contract_brokers(contract) -> tuple[Broker | None, Broker | None]:
    """The brokers a contract records for the firm's side and the team's side."""
    return (db.session.get(Broker, contract.firm_broker_id) if contract.firm_broker_id else None,
            db.session.get(Broker, contract.team_broker_id) if contract.team_broker_id else None)


@bp.get("/brokers")
def brokers():
    """Every broker with certificate, level, market and account; searched by name or certificate, sorted."""
    asked = BROKERS.read()
    stmt = BROKERS.apply(profiles.brokers_select().options(joinedload(Broker.user)), asked)
    pagination = queries.paginate(stmt, page_number())
    return render_template("organizer/brokers.html", pagination=pagination, asked=asked,
                           editions=edition_service.all_editions())


def _form_page(form, broker: Broker | None, status: int = 200):
    return render_template("organizer/broker_form.html", form=form, broker=broker), status


@bp.route("/brokers/new", methods=["GET", "POST"])
def new_broker():
    """Register a broker: the profile and its log-in account (role broker), both or neither."""
    form = NewBrokerForm(markets=markets.market_list())
    if not form.validate_on_submit():
        return _form_page(form, None, 400 if form.errors else 200)
    try:
        broker = profiles.create_broker(current_user, form.profile_data(), form.account(), now=clock.now())
    except DomainError as e:
        return _form_page(form, None, refuse_into(form, e, FIELD_OF))
    db.session.commit()
    flash(_("已登记技术经纪人 %(name)s（账号 %(username)s）", name=broker.name, username=broker.user.username),
          "success")
    return redirect(url_for(".brokers"))


@bp.route("/brokers/<int:broker_id>/edit", methods=["GET", "POST"])
def edit_broker(broker_id: int):
    """Correct a broker's profile, or take the broker off the register (inactive: no longer named)."""
    broker = db.get_or_404(Broker, broker_id)
    form = BrokerForm(obj=broker, markets=markets.market_list(active_only=False))
    if not form.is_submitted():
        form.fields.data = profiles.field_list(broker)
    if not form.validate_on_submit():
        return _form_page(form, broker, 400 if form.errors else 200)
    try:
        profiles.update_broker(current_user, broker, form.profile_data(), now=clock.now())
    except DomainError as e:
        return _form_page(form, broker, refuse_into(form, e, FIELD_OF))
    db.session.commit()
    flash(_("已保存技术经纪人 %(name)s 的档案", name=broker.name), "success")
    return redirect(url_for(".brokers"))
