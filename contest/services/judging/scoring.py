"""Score sheets: a judge saves and submits points per criterion; an organizer reopens a submitted sheet."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ...domain.conflicts import bid_conflict_orgs, is_conflicted
from ...domain.errors import Conflict, DomainError, Invalid, NotPermitted, WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.rubric import Round, parse_points
from ...domain.states import AssignmentStatus, BidStatus, EditionStage, NeedStatus, SheetStatus, ensure_sheet_transition
from ...extensions import db
from ...models import Assignment, Bid, PanelMember, RubricCriterion, ScoreItem, ScoreSheet, SheetReopening, User
from .. import notify
from ..records import audit
from .conflicts import declared_orgs, judge_conflicted
from .rubrics import rubric_for

COMMENT_MAX = 2000
REASON_MAX = 500
# The stage in which each round's sheets may be saved.
ROUND_STAGE = {Round.ONLINE: EditionStage.ONLINE_REVIEW, Round.ONSITE: EditionStage.FINAL}


class StaleSheet(Conflict):
    """The sheet changed since the page was loaded (another tab, another request)."""

    def __init__(self) -> None:
        super().__init__("sheet.stale")


class NotOnSheet(DomainError):
    """The judge is not assigned to this bid / not on its panel: answered like a missing page (404)."""

    def __init__(self) -> None:
        super().__init__("scoring.not_on_sheet")


def check_round_open(bid: Bid, round_: Round) -> None:
    """Refuse scoring outside the round's stage of the edition, and after results are published."""
    stage = bid.need.edition.stage
    if stage == EditionStage.RESULTS:
        raise WindowClosed("scoring.results_published")
    if stage != ROUND_STAGE[round_]:
        raise WindowClosed("scoring.round_closed")


def _panel_member(judge: User, bid: Bid) -> PanelMember | None:
    return db.session.get(PanelMember, (bid.need_id, judge.id))


def check_may_score(judge: User, bid: Bid, round_: Round) -> None:
    """The judge is assigned to (online) or on the panel for (on-site) this bid, and not conflicted with it; a bid
    whose identity the organizer marked disclosed is out of both rounds."""
    if bid.identity_disclosed_at is not None:
        raise NotOnSheet()
    if round_ == Round.ONLINE:
        assigned = db.session.scalar(sa.select(Assignment.id).where(
            Assignment.bid_id == bid.id, Assignment.judge_id == judge.id,
            Assignment.status == AssignmentStatus.ASSIGNED))
        if not assigned or bid.status != BidStatus.SUBMITTED or bid.need.status != NeedStatus.IN_REVIEW:
            raise NotOnSheet()
        if judge_conflicted(judge, bid):
            raise NotPermitted("scoring.conflicted")
        return
    member = _panel_member(judge, bid)
    if member is None or bid.status != BidStatus.FINALIST or bid.need.status != NeedStatus.FINAL:
        raise NotOnSheet()
    if member.firm_representative:
        # The firm's own representative scores its own need: only the team's organizations count.
        own = judge.organization.name if judge.organization else None
        team_orgs = bid_conflict_orgs(bid.team.lead_org.name, [m.organization_name for m in bid.team.members], "")
        conflicted = is_conflicted(own, declared_orgs([judge.id])[judge.id], team_orgs)
    else:
        conflicted = judge_conflicted(judge, bid)
    if conflicted:
        raise NotPermitted("scoring.conflicted")


def sheet_of(judge_id: int, bid_id: int, round_: Round) -> ScoreSheet | None:
    """The judge's sheet for a bid in a round, with its points, if one was saved."""
    return db.session.scalar(
        sa.select(ScoreSheet).where(ScoreSheet.judge_id == judge_id, ScoreSheet.bid_id == bid_id,
                                    ScoreSheet.round == round_)
        .options(selectinload(ScoreSheet.items))
    )


def _parse_sheet(criteria: list[RubricCriterion], points: dict[int, str], submit: bool) -> dict[int, Decimal]:
    """The points per criterion id; a draft may leave criteria empty, a submission needs all of them."""
    by_id = {c.id: c for c in criteria}
    if any(key not in by_id for key in points):
        raise Invalid("sheet.criterion_unknown")
    parsed: dict[int, Decimal] = {}
    for criterion in criteria:
        raw = points.get(criterion.id)
        if raw is None or not str(raw).strip():
            if submit:
                parse_points(raw, criterion.max_points, criterion.name)  # raises "请为指标…打分"
            continue
        parsed[criterion.id] = parse_points(raw, criterion.max_points, criterion.name)
    return parsed


def _write_items(sheet: ScoreSheet, parsed: dict[int, Decimal]) -> None:
    # Update in place rather than delete and re-insert: the unit of work inserts before it deletes,
    # which would trip the (sheet, criterion) unique constraint.
    existing = {item.criterion_id: item for item in sheet.items}
    for criterion_id, item in existing.items():
        if criterion_id in parsed:
            item.points = parsed[criterion_id]
        else:
            sheet.items.remove(item)
    for criterion_id, value in parsed.items():
        if criterion_id not in existing:
            sheet.items.append(ScoreItem(criterion_id=criterion_id, points=value))


def save_sheet(*, judge: User, bid: Bid, round_: Round, points: dict[int, str], comment: str,
               version: int | None, submit: bool, now: datetime) -> ScoreSheet:
    """Save the judge's points and comment as a draft, or submit them, which locks the sheet."""
    check_round_open(bid, round_)
    check_may_score(judge, bid, round_)
    sheet = sheet_of(judge.id, bid.id, round_)
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        raise Conflict("sheet.locked")
    if sheet is not None and version != sheet.version:
        raise StaleSheet()
    criteria = list(rubric_for(bid.need.edition_id, round_).criteria)
    parsed = _parse_sheet(criteria, points, submit)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise Invalid("sheet.comment_too_long", n=COMMENT_MAX)

    if sheet is None:
        sheet = ScoreSheet(round=round_, bid_id=bid.id, judge_id=judge.id, status=SheetStatus.DRAFT, items=[])
        db.session.add(sheet)
    _write_items(sheet, parsed)
    sheet.comment = comment
    sheet.updated_at = now
    flag_modified(sheet, "updated_at")  # always bump the version, even when only the points changed
    if submit:
        ensure_sheet_transition(sheet.status, SheetStatus.SUBMITTED)
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, now
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        # Another request saved the same sheet between our read and our write.
        raise StaleSheet() from exc
    names = {c.id: c.name for c in criteria}
    audit.record(judge, "sheet.submit" if submit else "sheet.save", sheet, {
        "round": round_.value, "bid": bid.id,
        "points": {names[cid]: str(value) for cid, value in parsed.items()},
    })
    return sheet


def snapshot(sheet: ScoreSheet) -> dict:
    """The sheet's values as they are now, in plain JSON-able values keyed by criterion name."""
    items = sorted(sheet.items, key=lambda item: item.criterion.position)
    return {
        "comment": sheet.comment,
        "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
        "points": {item.criterion.name: str(item.points) for item in items},
        "total": str(sheet.total),
    }


def check_reopen(sheet: ScoreSheet, actor: User, now: datetime) -> None:
    """Refuse reopening the sheet now: organizers only, a submitted sheet of the round under way."""
    ensure_organizer(actor)
    stage = sheet.bid.need.edition.stage
    if stage == EditionStage.RESULTS:
        raise WindowClosed("reopen.results_published")
    if stage != ROUND_STAGE[sheet.round]:
        # The judge could not save it again: the round is over.
        raise WindowClosed("reopen.round_over")
    if sheet.status != SheetStatus.SUBMITTED:
        raise Conflict("reopen.not_submitted")


def reopen_sheet(sheet: ScoreSheet, actor: User, reason: str, now: datetime) -> SheetReopening:
    """The organizer reopens a submitted sheet with a reason; its old values go to the sheet's history."""
    check_reopen(sheet, actor, now)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reopen.reason_required")
    if len(reason) > REASON_MAX:
        raise Invalid("reopen.reason_too_long", n=REASON_MAX)
    ensure_sheet_transition(sheet.status, SheetStatus.DRAFT)
    old = snapshot(sheet)
    reopening = SheetReopening(sheet=sheet, reopened_by_id=actor.id, reason=reason,
                               snapshot=json.dumps(old, ensure_ascii=False), created_at=now)
    db.session.add(reopening)
    sheet.status, sheet.submitted_at, sheet.updated_at = SheetStatus.DRAFT, None, now
    audit.record(actor, "sheet.reopen", sheet, {"reason": reason, "round": sheet.round.value,
                                                "bid": sheet.bid_id, "old": old})
    # The judge is told; only the bid's number is named (the review is blind).
    link = (notify.path("judge.online_bid", bid_id=sheet.bid_id) if sheet.round == Round.ONLINE
            else notify.path("judge.panel", need_id=sheet.bid.need_id))
    notify.tell("judge.sheet_reopened", notify.audience.users([sheet.judge_id]), now=now, link=link,
                bid=sheet.bid_id, reason=reason)
    return reopening
