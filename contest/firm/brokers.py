"""A firm names the technology broker (技术经纪人) who helped it with a need; the broker confirms. While the
credit is pending or declined the firm may name another or remove it."""
from __future__ import annotations

from flask_login import current_user

from ..services.brokers import credits
from ..web import broker_credit_pages as pages
from . import bp, queries

NEED = pages.Side("need", "firm/broker.html", credits.credit_of_need, credits.name_on_need, credits.remove_from_need)


@bp.context_processor
def broker_credit_lookup():
    """The need page's broker section reads the need's credit (one statement, on the pages that show it)."""
    return {"need_broker_credit": lambda need: credits.credit_of_need(need.id)}


@bp.get("/needs/<int:need_id>/broker")
def need_broker(need_id: int):
    """Find an active broker by name or certificate number to name on the need."""
    return pages.choose_page(NEED, queries.own_need_or_404(need_id, current_user.org_id))


@bp.post("/needs/<int:need_id>/broker")
def name_need_broker(need_id: int):
    """Name (or replace) the need's broker; the broker is asked to confirm."""
    return pages.name(NEED, queries.own_need_or_404(need_id, current_user.org_id))


@bp.post("/needs/<int:need_id>/broker/remove")
def remove_need_broker(need_id: int):
    """Take back a pending or declined broker credit on the need."""
    return pages.remove(NEED, queries.own_need_or_404(need_id, current_user.org_id))
