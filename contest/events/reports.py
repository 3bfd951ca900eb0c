"""The events' numbers: contacts traced to bids, winners and contracts per market, and the yearly counts per
market (the organizer: every market; a market's staff: their own)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from ..domain.states import Role
from ..services import clock
from ..services.events import tracing
from ..services.events.access import SCHEDULERS
from ..services.markets import market_list
from . import bp
from .forms import YearFilterForm


def _filters():
    """The report's year, and its market: the staff's own, or the organizer's choice (none: all)."""
    if current_user.role not in SCHEDULERS:
        abort(403)
    markets = market_list(active_only=False) if current_user.role == Role.ORGANIZER else [current_user.market]
    form = YearFilterForm(request.args, markets=markets)
    if current_user.role == Role.MARKET:
        market_id = current_user.market_id
    else:
        market_id = form.market.data if form.market.data in {m.id for m in markets} else None
    return form, market_id, form.year_value()


@bp.get("/traced")
def traced():
    """Per market: the contacts made at its events, how many became bids, won, and have a contract."""
    form, market_id, year = _filters()
    rows = tracing.traced_summary(market_id=market_id, year=year)
    return render_template("events/traced.html", form=form, rows=rows, year=year)


@bp.get("/yearly")
def yearly():
    """Per year and market: events held, registrations, attendance, contacts, contacts that became bids, contracts."""
    form, market_id, year = _filters()
    rows = tracing.yearly_counts(now=clock.now(), market_id=market_id, year=year)
    return render_template("events/yearly.html", form=form, rows=rows, year=year)
