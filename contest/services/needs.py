"""Needs: firms draft, submit, revise and withdraw (a market's staff do it for the firms their market registered);
a staffed market pre-screens (contest.services.network.prescreening); organizers screen and publish."""
from __future__ import annotations

from datetime import datetime

from ..domain.errors import Conflict, DeadlinePassed, Invalid, NotPermitted
from ..domain.needs import check_budget, check_may_submit, check_period, parse_keywords
from ..domain.permissions import ensure_organizer
from ..domain.states import (
    DECISION_TARGET, NEED_EDITABLE, EditionStage, NeedStatus, ReviewDecision, Role, ensure_need_transition,
)
from ..extensions import db
from ..models import Edition, Need, NeedReview, Organization, User
from . import notify
from .network import prescreening
from .clock import beijing_date, to_beijing
from .markets import open_market
from .records import audit

NEED_FIELDS = (
    "name", "category", "field", "industry", "problem", "key_points", "goals", "budget_wan",
    "period_start", "period_end", "cooperation", "market_id", "anonymous",
)


def _apply(need: Need, data: dict) -> None:
    check_period(data["period_start"], data["period_end"])
    check_budget(data["budget_wan"])
    if data["market_id"] != need.market_id:  # a market since closed stays with the needs it collected
        open_market(data["market_id"])
    need.keyword_list = parse_keywords(data["keywords"])
    for key in NEED_FIELDS:
        setattr(need, key, data[key])


def _ensure_owner(need: Need, actor: User) -> None:
    if actor.role != Role.FIRM or need.firm_org_id != actor.org_id:
        raise NotPermitted("need.not_own")


def create_need(actor: User, edition: Edition, data: dict) -> Need:
    """A firm drafts a need for an edition."""
    if actor.role != Role.FIRM:
        raise NotPermitted("need.firms_only")
    need = Need(edition_id=edition.id, firm_org_id=actor.org_id, created_by_id=actor.id, status=NeedStatus.DRAFT)
    _apply(need, data)
    db.session.add(need)
    audit.record(actor, "need.create", need, {"name": need.name})
    return need


def check_edit(need: Need, actor: User, now: datetime | None = None) -> None:
    """Refuse editing the need now: its firm only, a draft or a returned need."""
    _ensure_owner(need, actor)
    if need.status not in NEED_EDITABLE:
        raise Conflict("need.not_editable")


def check_submit(need: Need, actor: User, now: datetime) -> None:
    """Refuse submitting (or resubmitting) the need for screening now."""
    _ensure_owner(need, actor)
    check_may_submit(need.status, need.edition.collection_end, beijing_date(now))
    ensure_need_transition(need.status, NeedStatus.SUBMITTED)


def check_withdraw(need: Need, actor: User, now: datetime) -> None:
    """Refuse withdrawing the need now: once bidding has closed it can no longer be withdrawn."""
    _ensure_owner(need, actor)
    if need.status == NeedStatus.PUBLISHED and now >= need.edition.bidding_deadline:
        raise DeadlinePassed("need.withdraw_after_deadline")
    ensure_need_transition(need.status, NeedStatus.WITHDRAWN)


def check_review(need: Need, actor: User, now: datetime) -> None:
    """Refuse screening the need now: organizers only, a submitted need."""
    ensure_organizer(actor)
    if need.status != NeedStatus.SUBMITTED:
        raise Conflict("need.not_submitted", status=need.status)


def check_publish(need: Need, actor: User, now: datetime) -> None:
    """Refuse approving and publishing the need now: a need published once bidding has closed (or its edition's
    review has opened) could never take a bid. The organizer may extend the deadline first."""
    check_review(need, actor, now)
    edition = need.edition
    if edition.stage != EditionStage.OPEN or now >= edition.bidding_deadline:
        raise DeadlinePassed("need.publish_after_deadline", deadline=to_beijing(edition.bidding_deadline))


def update_need(need: Need, actor: User, data: dict) -> Need:
    """A firm edits its draft or returned need."""
    check_edit(need, actor)
    _apply(need, data)
    audit.record(actor, "need.update", need, {"name": need.name})
    return need


def submit_need(need: Need, actor: User, *, now: datetime) -> Need:
    """A firm submits a draft, or resubmits a returned need, for screening: first to its market's pre-screening
    when that market has staff (not the city market), else straight to the organizer's queue."""
    check_submit(need, actor, now)
    _send_on(need, actor, now)
    return need


def _send_on(need: Need, actor: User, now: datetime) -> None:
    target = prescreening.submission_target(need, actor)
    ensure_need_transition(need.status, target)
    need.status = target
    need.submitted_at = now
    audit.record(actor, "need.submit", need, {"to": target.value})
    if target == NeedStatus.MARKET_REVIEW:
        prescreening.tell_staff(need, now)


def _ensure_market_firm(org: Organization, actor: User) -> None:
    if actor.role != Role.MARKET or org is None or org.market_id is None or org.market_id != actor.market_id:
        raise NotPermitted("market.firm_not_own")


def collect_need(actor: User, edition: Edition, org: Organization, data: dict) -> Need:
    """A market's staff draft a need for a firm their market registered; the need is their market's."""
    _ensure_market_firm(org, actor)
    need = Need(edition_id=edition.id, firm_org_id=org.id, created_by_id=actor.id, status=NeedStatus.DRAFT)
    _apply(need, {**data, "market_id": actor.market_id})
    db.session.add(need)
    audit.record(actor, "need.create", need, {"name": need.name, "firm": org.name, "market": actor.market_id})
    return need


def check_collected_edit(need: Need, actor: User, now: datetime | None = None) -> None:
    """Refuse a market's staff editing the need now: a draft or returned need of a firm their market registered."""
    if need.market_id != actor.market_id:
        raise NotPermitted("market.need_not_own")
    _ensure_market_firm(need.firm, actor)
    if need.status not in NEED_EDITABLE:
        raise Conflict("need.not_editable")


def check_collected_submit(need: Need, actor: User, now: datetime) -> None:
    """Refuse a market's staff submitting the need now (as the firm's own submission, while collection is open)."""
    check_collected_edit(need, actor, now)
    check_may_submit(need.status, need.edition.collection_end, beijing_date(now))


def update_collected(need: Need, actor: User, data: dict) -> Need:
    """A market's staff revise a need they collect for a firm (a draft or a returned need)."""
    check_collected_edit(need, actor)
    _apply(need, {**data, "market_id": actor.market_id})
    audit.record(actor, "need.update", need, {"name": need.name})
    return need


def submit_collected(need: Need, actor: User, *, now: datetime) -> Need:
    """A market's staff submit a need they collected: their market has screened it, so it goes straight to the
    organizer's queue."""
    check_collected_submit(need, actor, now)
    _send_on(need, actor, now)
    return need


def withdraw_need(need: Need, actor: User, *, now: datetime) -> Need:
    """A firm withdraws its need; once bidding has closed it can no longer be withdrawn."""
    check_withdraw(need, actor, now)
    need.status = NeedStatus.WITHDRAWN
    audit.record(actor, "need.withdraw", need)
    return need


def review_need(need: Need, actor: User, decision: ReviewDecision, comment: str, *, now: datetime) -> Need:
    """The organizer approves and publishes, returns with a comment, or rejects with a comment."""
    (check_publish if decision == ReviewDecision.APPROVE else check_review)(need, actor, now)
    comment = (comment or "").strip()
    if decision != ReviewDecision.APPROVE and not comment:
        raise Invalid("need.comment_required")
    target = DECISION_TARGET[decision]
    ensure_need_transition(need.status, target)
    need.status = target
    if target == NeedStatus.PUBLISHED:
        need.published_at = now
    need.reviews.append(NeedReview(reviewer_id=actor.id, decision=decision, comment=comment, created_at=now))
    audit.record(actor, f"need.{decision.value}", need, {"comment": comment})
    _tell_firm(need, target, comment, now)
    return need


# What the firm hears of each screening decision.
DECISION_EVENT = {NeedStatus.PUBLISHED: "need.published", NeedStatus.RETURNED: "need.returned",
                  NeedStatus.REJECTED: "need.rejected"}


def _tell_firm(need: Need, target: NeedStatus, comment: str, now: datetime) -> None:
    """The firm that posted the need hears of the organizer's decision, with the comment or the deadline."""
    params = ({"deadline": to_beijing(need.edition.bidding_deadline).strftime("%Y-%m-%d %H:%M")}
              if target == NeedStatus.PUBLISHED else {"comment": comment})
    notify.tell(DECISION_EVENT[target], notify.audience.firm(need.firm_org_id), now=now,
                link=notify.path("firm.need", need_id=need.id), need=need.name, **params)
