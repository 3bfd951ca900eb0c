"""Public pages: home, the catalogue of published needs, a need's page, health."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from ..domain.choices import NeedCategory, NeedField
from ..domain.states import Role
from ..extensions import db
from ..services import catalogue as listing, clock, editions
from ..web.lookups import page_number, within_pages
from ..web.page_cache import anonymous_page
from . import bp

BID_ENDPOINT = "team.new_bid"


@bp.get("/")
def index():
    """The home page: what the contest is, its editions' calendars, the latest needs."""
    return render_template(
        "public/index.html",
        editions=editions.all_editions(),
        figures=listing.edition_figures(),
        recent=listing.recent_needs(6),
        now=clock.now(),
        current_stage=listing.current_stage,
    )


@bp.get("/needs")
def catalogue():
    """The catalogue of published needs: search by keyword, filter by field, category and edition."""
    def render() -> str:
        all_editions = editions.all_editions()
        filters = listing.parse_filters(request.args, all_editions)
        page = within_pages(lambda p: listing.search_catalogue(filters, page=p,
                                                                per_page=current_app.config["PAGE_SIZE"]),
                            page_number())
        return render_template(
            "public/catalogue.html", pagination=page, filters=filters, editions=all_editions,
            fields=list(NeedField), categories=list(NeedCategory),
        )
    return anonymous_page(listing.catalogue_version(clock.now()), render)


def _bid_url(need_id: int) -> str:
    # The team blueprint owns the bid form; keep the page working even before it is registered.
    if BID_ENDPOINT in current_app.view_functions:
        return url_for(BID_ENDPOINT, need_id=need_id)
    return f"/team/needs/{need_id}/bid"


@bp.get("/needs/<int:need_id>")
def need(need_id: int):
    """A published need's public page; a team may go on to bid for it."""
    found = listing.public_need(need_id)
    if found is None:
        abort(404)
    is_team = current_user.is_authenticated and current_user.role == Role.TEAM
    bidding_open = listing.bidding_open(found, clock.now())
    version = (found.id, found.status, found.updated_at, found.edition.name, found.edition.bidding_deadline,
               found.firm.name, bidding_open)
    return anonymous_page(version, lambda: render_template(
        "public/need.html", need=found, is_team=is_team, bidding_open=bidding_open, bid_url=_bid_url(found.id),
    ))


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when not (for the load balancer)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok"}
