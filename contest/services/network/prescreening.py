"""Pre-screening (市场预审): a need collected by a staffed market other than the city market waits for that
market's staff, who pass it on to the organizer's queue or return it to the firm with a comment."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ...domain.errors import Conflict, Invalid, NotPermitted
from ...domain.markets import CITY_MARKET
from ...domain.states import NeedStatus, ReviewDecision, Role, ensure_need_transition
from ...extensions import db
from ...models import Market, Need, NeedReview, User
from .. import notify
from ..records import audit


def is_staffed(market_id: int) -> bool:
    """Whether the market pre-screens: not the city market (the organizer's own), and at least one active
    staff account."""
    return bool(db.session.scalar(
        sa.select(User.id).join(Market, Market.id == User.market_id)
        .where(User.market_id == market_id, User.role == Role.MARKET, User.active.is_(True),
               Market.name != CITY_MARKET).limit(1)))


def submission_target(need: Need, actor: User) -> NeedStatus:
    """Where a submitted need goes: to its market's pre-screening when that market is staffed, unless the
    market's own staff submit it (they have screened it already); else straight to the organizer's queue."""
    if actor.role == Role.MARKET and actor.market_id == need.market_id:
        return NeedStatus.SUBMITTED
    return NeedStatus.MARKET_REVIEW if is_staffed(need.market_id) else NeedStatus.SUBMITTED


def tell_staff(need: Need, now: datetime) -> None:
    """The market's staff hear of a need waiting for their pre-screening."""
    staff = db.session.scalars(sa.select(User).where(User.market_id == need.market_id, User.role == Role.MARKET,
                                                     User.active.is_(True)).order_by(User.id))
    notify.tell("need.market_review", list(staff), now=now, link=notify.path("market.need", need_id=need.id),
                need=need.name)


def check_prescreen(need: Need, actor: User, now: datetime | None = None) -> None:
    """Refuse pre-screening the need now: staff of its market only, a need waiting for them."""
    if actor is None or actor.role != Role.MARKET or actor.market_id != need.market_id:
        raise NotPermitted("market.staff_only")
    if need.status != NeedStatus.MARKET_REVIEW:
        raise Conflict("market.not_in_review", status=need.status)


def pass_need(need: Need, actor: User, *, now: datetime) -> Need:
    """The market's staff pass the need on: it joins the organizer's screening queue."""
    check_prescreen(need, actor, now)
    ensure_need_transition(need.status, NeedStatus.SUBMITTED)
    need.status = NeedStatus.SUBMITTED
    need.submitted_at = now
    audit.record(actor, "need.market_pass", need, {"market": need.market.name})
    notify.tell("need.market_passed", notify.audience.firm(need.firm_org_id), now=now,
                link=notify.path("firm.need", need_id=need.id), need=need.name, market=need.market.name)
    return need


def return_need(need: Need, actor: User, comment: str, *, now: datetime) -> Need:
    """The market's staff return the need to the firm with a comment (kept in its screening history)."""
    check_prescreen(need, actor, now)
    comment = (comment or "").strip()
    if not comment:
        raise Invalid("need.comment_required")
    ensure_need_transition(need.status, NeedStatus.RETURNED)
    need.status = NeedStatus.RETURNED
    need.reviews.append(NeedReview(reviewer_id=actor.id, decision=ReviewDecision.RETURN, comment=comment,
                                   created_at=now))
    audit.record(actor, "need.market_return", need, {"market": need.market.name, "comment": comment})
    notify.tell("need.market_returned", notify.audience.firm(need.firm_org_id), now=now,
                link=notify.path("firm.need", need_id=need.id), need=need.name, market=need.market.name,
                comment=comment)
    return need
