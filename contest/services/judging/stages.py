"""The organizer moves an edition on after bidding: open online review, confirm finalists, publish results."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.errors import Conflict, NotPermitted, Phrase
from ...domain.permissions import ensure_organizer
from ...domain.scoring import select_finalists
from ...domain.states import (
    BidStatus, EditionStage, NeedStatus, ReviewDecision, ensure_bid_transition, ensure_edition_transition,
    ensure_need_transition,
)
from ...extensions import db
from ...models import Bid, Edition, Need, NeedReview, Team, User
from ..clock import beijing_date, to_beijing
from ..records import audit
from . import published, stage_notices
from .stage_notices import CLOSED_UNSCREENED
from .standings import edition_standings

# Each stage as the refusals name it; STAGE_NAMES is the same in Chinese.
STAGE_PHRASES = {
    EditionStage.OPEN: Phrase("stage.open"),
    EditionStage.ONLINE_REVIEW: Phrase("stage.online_review"),
    EditionStage.FINAL: Phrase("stage.final"),
    EditionStage.RESULTS: Phrase("stage.results"),
}
STAGE_NAMES = {stage: phrase.message for stage, phrase in STAGE_PHRASES.items()}
# Needs still waiting for an outcome once the final is under way.
UNDECIDED = (NeedStatus.BIDDING_CLOSED, NeedStatus.IN_REVIEW, NeedStatus.FINAL)


# The refusal of each move when the edition is not at the stage it starts from.
WRONG_STAGE = {
    EditionStage.OPEN: "edition.stage_not_open_review",
    EditionStage.ONLINE_REVIEW: "edition.stage_not_finalists",
    EditionStage.FINAL: "edition.stage_not_publish",
}


def _ensure_stage(edition: Edition, expected: EditionStage) -> None:
    """Refuse the move that starts from `expected` unless the edition is there; the refusal names its stage."""
    if edition.stage != expected:
        raise Conflict(WRONG_STAGE[expected], stage=STAGE_PHRASES[edition.stage])


def _advance(edition: Edition, stage: EditionStage) -> None:
    ensure_edition_transition(edition.stage, stage)
    edition.stage = stage


def _move_need(need: Need, *statuses: NeedStatus) -> None:
    for status in statuses:
        ensure_need_transition(need.status, status)
        need.status = status


def _move_bid(bid: Bid, status: BidStatus) -> None:
    ensure_bid_transition(bid.status, status)
    bid.status = status


def check_open_review(edition: Edition, actor: User, now: datetime) -> None:
    """Refuse opening the online review now (the page asks before it starts the job; the job asks again)."""
    ensure_organizer(actor)
    _ensure_stage(edition, EditionStage.OPEN)
    if now < edition.bidding_deadline:
        raise NotPermitted("edition.deadline_not_reached", deadline=to_beijing(edition.bidding_deadline))


# Needs still waiting for screening (the market's or the organizer's) or for their firm's revision when bidding
# closes: never published now.
WAITING = (NeedStatus.MARKET_REVIEW, NeedStatus.SUBMITTED, NeedStatus.RETURNED)


@dataclass
class ReviewOpening:
    """What opening the online review will do: the needs going to review, those failing for lack of a submitted
    bid (流榜), and those still waiting for screening or revision (closed unpublished)."""

    to_review: list[Need]
    to_fail: list[Need]
    waiting: list[Need]


def review_opening(edition: Edition) -> ReviewOpening:
    """The edition's published and waiting needs, sorted by what opening the review will do to them (3 queries)."""
    needs = list(db.session.scalars(
        sa.select(Need).where(Need.edition_id == edition.id, Need.status.in_((NeedStatus.PUBLISHED, *WAITING)))
        .order_by(Need.id)
    ))
    with_bids = set(db.session.scalars(
        sa.select(Bid.need_id).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition.id, Bid.status == BidStatus.SUBMITTED).distinct()
    ))
    published = [n for n in needs if n.status == NeedStatus.PUBLISHED]
    return ReviewOpening(to_review=[n for n in published if n.id in with_bids],
                         to_fail=[n for n in published if n.id not in with_bids],
                         waiting=[n for n in needs if n.status in WAITING])


def open_online_review(edition: Edition, actor: User, now: datetime) -> dict[str, int]:
    """Close bidding: needs with a submitted bid go to review, the others fail (流榜), needs still waiting for
    screening or revision are closed unpublished; their firms are told; the edition moves on."""
    check_open_review(edition, actor, now)
    opening = review_opening(edition)
    for need in opening.to_review:
        _move_need(need, NeedStatus.BIDDING_CLOSED, NeedStatus.IN_REVIEW)
        audit.record(actor, "need.review_open", need, {"reason": ""})
    for need in opening.to_fail:
        _move_need(need, NeedStatus.BIDDING_CLOSED, NeedStatus.FAILED)
        audit.record(actor, "need.fail", need, {"reason": "no_bid"})   # a code, like the trail's other keys and values
    for need in opening.waiting:
        _move_need(need, NeedStatus.REJECTED)
        need.reviews.append(NeedReview(reviewer_id=actor.id, decision=ReviewDecision.REJECT,
                                       comment=CLOSED_UNSCREENED, created_at=now))
        audit.record(actor, "need.reject", need, {"comment": CLOSED_UNSCREENED})
    _advance(edition, EditionStage.ONLINE_REVIEW)
    stage_notices.review_opened(edition, opening, now)
    result = {"in_review": len(opening.to_review), "failed": len(opening.to_fail), "closed": len(opening.waiting)}
    audit.record(actor, "edition.open_review", edition, result)
    return result


def check_finalists(edition: Edition, actor: User, now: datetime) -> None:
    """Refuse confirming the finalists now."""
    ensure_organizer(actor)
    _ensure_stage(edition, EditionStage.ONLINE_REVIEW)


def confirm_finalists(edition: Edition, actor: User, now: datetime) -> dict[str, int]:
    """Per need in review, the top N online bids reaching the qualifying score go to the final; else 流榜."""
    check_finalists(edition, actor, now)
    outcome = Counter()
    chosen_bids: list[tuple[Bid, Need]] = []
    other_bids: list[tuple[Bid, Need]] = []
    final_needs: list[tuple[Need, int]] = []
    failed_needs: list[Need] = []
    for standing in edition_standings(edition):
        need = standing.need
        if need.status != NeedStatus.IN_REVIEW:
            continue
        entries = [b.online_entry() for b in standing.bids if b.online is not None and b.bid.status == BidStatus.SUBMITTED]
        chosen = select_finalists(entries, n=edition.finalists_per_need, qualifying=edition.qualifying_score) \
            if entries else None
        finalists = set(chosen.bids) if chosen and not chosen.failed else set()
        for b in standing.bids:
            if b.bid.status == BidStatus.SUBMITTED:
                _move_bid(b.bid, BidStatus.FINALIST if b.bid.id in finalists else BidStatus.NOT_SELECTED)
                (chosen_bids if b.bid.id in finalists else other_bids).append((b.bid, need))
        _move_need(need, NeedStatus.FINAL if finalists else NeedStatus.FAILED)
        outcome["final" if finalists else "failed"] += 1
        outcome["finalists"] += len(finalists)
        audit.record(actor, "need.finalists" if finalists else "need.fail", need, {
            "finalists": sorted(finalists), "boundary_tie": list(chosen.boundary_tie) if chosen else [],
            "reason": "" if finalists else "none_above_cutoff",   # no bid reached the finalists' cut-off
        })
        if finalists:
            final_needs.append((need, len(finalists)))
        else:
            failed_needs.append(need)
    _advance(edition, EditionStage.FINAL)
    stage_notices.finalists_named(edition, chosen_bids, other_bids, final_needs, failed_needs, now)
    result = {k: outcome[k] for k in ("final", "failed", "finalists")}
    audit.record(actor, "edition.finalists", edition, result)
    return result


def undecided_needs(edition: Edition) -> int:
    """How many of the edition's judged needs have neither a winner nor 流榜 yet."""
    return db.session.scalar(
        sa.select(sa.func.count(Need.id)).where(Need.edition_id == edition.id, Need.status.in_(UNDECIDED))
    )


def check_publish(edition: Edition, actor: User, now: datetime) -> None:
    """Refuse publishing the results now: not at the final, or needs still without an outcome."""
    ensure_organizer(actor)
    _ensure_stage(edition, EditionStage.FINAL)
    pending = undecided_needs(edition)
    if pending:
        raise Conflict("edition.results_pending", count=pending)


def publish_results(edition: Edition, actor: User, now: datetime) -> Edition:
    """Publish the edition's results once every need in the final is awarded or failed; the objection window
    opens, and each need's standings are frozen as they are."""
    check_publish(edition, actor, now)
    frozen = edition_standings(edition)
    _advance(edition, EditionStage.RESULTS)
    edition.results_published_at = now
    published.freeze(edition, frozen, now)
    stage_notices.results_published(edition, frozen, now)
    audit.record(actor, "edition.publish_results", edition,
                 {"objection_deadline": objection_deadline(edition).isoformat()})
    return edition


def objection_deadline(edition: Edition) -> date | None:
    """The last day (Beijing) of the objection window: publication date + objection_days."""
    if edition.results_published_at is None:
        return None
    return beijing_date(edition.results_published_at) + timedelta(days=edition.objection_days)


def stage_counts(edition: Edition) -> dict[NeedStatus, int]:
    """The edition's needs by status, in one query."""
    rows = db.session.execute(
        sa.select(Need.status, sa.func.count(Need.id)).where(Need.edition_id == edition.id).group_by(Need.status)
    )
    return {status: n for status, n in rows}


def published_editions() -> list[Edition]:
    """Editions whose results are published, latest publication first."""
    return list(db.session.scalars(
        sa.select(Edition).where(Edition.stage == EditionStage.RESULTS)
        .order_by(Edition.results_published_at.desc(), Edition.id.desc())
    ))


# What the public results list: the decided needs, and those whose award an upheld objection reversed (back in
# the final until the firm decides again: only such needs are in the final once results are published).
RESULT_LISTED = (NeedStatus.AWARDED, NeedStatus.FAILED, NeedStatus.FINAL)


def decided_needs(edition: Edition) -> sa.Select:
    """A published edition's decided needs, awarded first then failed (流榜), then those awaiting the firm's new
    decision after an upheld objection, by id: the list the public results page paginates."""
    return (sa.select(Need).where(Need.edition_id == edition.id, Need.status.in_(RESULT_LISTED))
            .options(joinedload(Need.firm)).order_by(Need.status, Need.id))


def public_results(needs: list[Need]) -> list[tuple[Need, Bid | None]]:
    """The given decided needs (a page of them) with their winning bid (team and lead loaded), or None (流榜)."""
    winners = {b.need_id: b for b in db.session.scalars(
        sa.select(Bid).where(Bid.need_id.in_([n.id for n in needs]), Bid.status == BidStatus.WINNER)
        .options(joinedload(Bid.team).joinedload(Team.lead_org))
    )}
    return [(n, winners.get(n.id)) for n in needs]
