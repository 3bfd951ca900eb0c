"""What a firm's pages read: its own needs, never another organization's."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import joinedload, selectinload

from ..domain.states import NeedStatus
from ..extensions import db
from ..models import Edition, Need, NeedReview
from ..web.listing import Listing

# Screening outcomes whose comment the firm must read on its list of needs.
COMMENTED = frozenset({NeedStatus.RETURNED, NeedStatus.REJECTED})


NEED_EDITION = sa.select(Edition.name).where(Edition.id == Need.edition_id).scalar_subquery()
# A firm's own needs are a few dozen at most: every column sorts cheaply.
OWN_NEEDS = Listing("firm-needs", sorts={"created": Need.created_at, "name": Need.name, "edition": NEED_EDITION,
                                         "budget": Need.budget_wan, "status": Need.status},
                    default="created", default_dir="desc", tiebreak=Need.id,
                    first_dir={"created": "desc", "budget": "desc"}, texts=(Need.name, Need.keywords))


def own_needs_page(org_id: int, page: int, asked=None):
    """One page of the organization's needs, newest first (or searched and sorted as asked), with edition and
    reviews loaded."""
    query = (
        sa.select(Need)
        .where(Need.firm_org_id == org_id)
        .options(joinedload(Need.edition), selectinload(Need.reviews))
        .order_by(Need.created_at.desc(), Need.id.desc())
    )
    if asked is not None:
        query = OWN_NEEDS.apply(query, asked)
    return db.paginate(query, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def own_need_or_404(need_id: int, org_id: int) -> Need:
    """The need if it belongs to the organization; 404 otherwise (another firm's need reveals nothing)."""
    need = db.session.scalar(
        sa.select(Need)
        .where(Need.id == need_id, Need.firm_org_id == org_id)
        .options(joinedload(Need.edition), selectinload(Need.reviews).joinedload(NeedReview.reviewer))
    )
    if need is None:
        abort(404)
    return need


def latest_comment(need: Need) -> NeedReview | None:
    """The organizer's latest screening decision when it sent the need back or refused it."""
    if need.status in COMMENTED and need.reviews:
        return need.reviews[-1]
    return None
