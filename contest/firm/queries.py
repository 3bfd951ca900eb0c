"""What a firm's pages read: its own needs, never another organization's."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import joinedload, selectinload

from ..domain.states import NeedStatus
from ..extensions import db
from ..models import Need, NeedReview

# Screening outcomes whose comment the firm must read on its list of needs.
COMMENTED = frozenset({NeedStatus.RETURNED, NeedStatus.REJECTED})


def own_needs_page(org_id: int, page: int):
    """One page of the organization's needs, newest first, with edition and reviews loaded."""
    query = (
        sa.select(Need)
        .where(Need.firm_org_id == org_id)
        .options(joinedload(Need.edition), selectinload(Need.reviews))
        .order_by(Need.created_at.desc(), Need.id.desc())
    )
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
