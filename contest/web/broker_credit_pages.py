"""The pages where a firm names the technology broker who helped it on a need, and a team on a bid: shared by both
blueprints (contest/firm/brokers.py, contest/team/brokers.py register their routes on these)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..extensions import db
from ..forms import int_or_none
from ..models import Broker
from ..services import clock
from ..services.brokers import profiles
from .listing import MAX_QUERY
from .refusals import refuse


@dataclass(frozen=True)
class Side:
    """One side of a credit: the object a broker is named on (a need or a bid) and its services and pages."""

    key: str                      # "need" or "bid": the template's name for the object and its page's endpoint
    template: str
    credit_of: Callable           # object id -> its credit or None
    name_on: Callable             # (object, broker, actor, now=) -> credit
    remove_from: Callable         # (object, actor, now=) -> None


def choose_page(side: Side, obj, status: int = 200):
    """Active brokers matching ?q= (name or certificate number), with the object's credit."""
    q = request.args.get("q", "", type=str).strip()[:MAX_QUERY]
    return render_template(side.template, q=q, brokers=profiles.active_matching(q), credit=side.credit_of(obj.id),
                           **{side.key: obj}), status


def _back(side: Side, obj):
    return redirect(url_for(f".{side.key}", **{f"{side.key}_id": obj.id}))


def name(side: Side, obj):
    """Name (or replace) the object's broker from the posted broker_id; the broker is asked to confirm."""
    broker_id = int_or_none(request.form.get("broker_id", type=str))
    broker = db.session.get(Broker, broker_id) if broker_id else None
    try:
        credit = side.name_on(obj, broker, current_user, now=clock.now())
    except DomainError as e:
        return choose_page(side, obj, refuse(e))
    db.session.commit()
    flash(_("已指定技术经纪人 %(name)s，等待其确认", name=credit.broker.name), "success")
    return _back(side, obj)


def remove(side: Side, obj):
    """Take back a pending or declined credit on the object."""
    try:
        side.remove_from(obj, current_user, now=clock.now())
    except DomainError as e:
        return choose_page(side, obj, refuse(e))
    db.session.commit()
    flash(_("已移除技术经纪人"), "success")
    return _back(side, obj)
