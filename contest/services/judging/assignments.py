"""Online-round assignments: the automatic one, a judge's recusal and its replacement, the organizer's
adjustments by hand."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from ...domain.assignment import BidSlot, assign_judges, eligible
from ...domain.conflicts import bid_conflict_orgs
from ...domain.errors import Conflict, Invalid, NotPermitted, Phrase, Series, WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, BidStatus, EditionStage, NeedStatus, Role, SheetStatus
from ...extensions import db
from ...models import Assignment, Bid, Edition, Need, Organization, ScoreSheet, Team, TeamMember, User
from .. import clock, notify
from ..notify import Told
from ..records import audit
from .conflicts import judge_conflicted
from .judges import BID_LOADS, active_judges, bid_slots, conflict_reasons, judge_slots, recused_token

ASSIGNED, RECUSED = AssignmentStatus.ASSIGNED, AssignmentStatus.RECUSED


@dataclass(frozen=True)
class AutoAssignResult:
    bids: int
    judges: int
    assigned: int
    short: dict  # bid id -> judges missing


def _ensure_online_review(edition: Edition) -> None:
    if edition.stage != EditionStage.ONLINE_REVIEW:
        raise WindowClosed("assignment.outside_review")


def _edition_bid_ids(edition: Edition):
    return sa.select(Bid.id).join(Need, Need.id == Bid.need_id).where(Need.edition_id == edition.id)


def _judgeable(edition: Edition) -> sa.Select:
    return (sa.select(Bid).join(Need, Need.id == Bid.need_id)
            .where(Need.edition_id == edition.id, Need.status == NeedStatus.IN_REVIEW,
                   Bid.status == BidStatus.SUBMITTED)
            .options(*BID_LOADS).order_by(Need.id, Bid.id))


def judgeable_bids(edition: Edition) -> list[Bid]:
    """The bids judged in the online round: submitted bids of needs in review, with team and firm loaded."""
    return list(db.session.scalars(_judgeable(edition)).unique())


def _judgeable_slots(edition: Edition) -> list[BidSlot]:
    """The judgeable bids as the assignment sees them, read as plain rows (two statements, no objects): at
    national scale 20,000 bids with their teams and members would take longer to load than to assign."""
    lead, firm = aliased(Organization), aliased(Organization)
    rows = db.session.execute(
        sa.select(Bid.id, Bid.team_id, Need.field, lead.name, firm.name)
        .join(Need, Need.id == Bid.need_id).join(Team, Team.id == Bid.team_id)
        .join(lead, lead.id == Team.lead_org_id).join(firm, firm.id == Need.firm_org_id)
        .where(Need.edition_id == edition.id, Need.status == NeedStatus.IN_REVIEW,
               Bid.status == BidStatus.SUBMITTED).order_by(Need.id, Bid.id)).all()
    members: dict[int, list[str]] = {}
    for team_id, org in db.session.execute(
            sa.select(TeamMember.team_id, TeamMember.organization_name)
            .where(TeamMember.team_id.in_({row.team_id for row in rows})).order_by(TeamMember.id)):
        members.setdefault(team_id, []).append(org)
    return [BidSlot(id=bid_id, field=field.value,
                    conflict_orgs=bid_conflict_orgs(lead_name, members.get(team_id, []), firm_name))
            for bid_id, team_id, field, lead_name, firm_name in rows]


def _sheet_of(bid_id: int, judge_id: int) -> ScoreSheet | None:
    return db.session.scalar(sa.select(ScoreSheet).where(
        ScoreSheet.bid_id == bid_id, ScoreSheet.judge_id == judge_id, ScoreSheet.round == Round.ONLINE))


def _ensure_not_submitted(bid_id: int, judge_id: int, by_the_judge: bool = False) -> None:
    """Refuse when the judge already submitted this bid's sheet (told to the judge, or to an organizer).
    A draft stays (with any reopening history) but no longer counts: only active assignments are scored
    and tallied."""
    sheet = _sheet_of(bid_id, judge_id)
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        raise Conflict("recusal.sheet_submitted" if by_the_judge else "assignment.sheet_submitted")


def _recused_by_bid(edition: Edition) -> dict[int, set[int]]:
    rows = db.session.execute(sa.select(Assignment.bid_id, Assignment.judge_id).where(
        Assignment.status == RECUSED, Assignment.bid_id.in_(_edition_bid_ids(edition))))
    found: dict[int, set[int]] = {}
    for bid_id, judge_id in rows:
        found.setdefault(bid_id, set()).add(judge_id)
    return found


def check_auto_assign(edition: Edition, actor: User) -> None:
    """Refuse an automatic assignment now: not an organizer, not the online review, or scoring started. The
    page asks before it starts the job, so the organizer is told at once; the job asks again."""
    ensure_organizer(actor)
    _ensure_online_review(edition)
    sheets = db.session.scalar(sa.select(sa.func.count(ScoreSheet.id)).where(
        ScoreSheet.round == Round.ONLINE, ScoreSheet.bid_id.in_(_edition_bid_ids(edition))))
    if sheets:
        raise Conflict("assignment.scoring_started")


def auto_assign(edition: Edition, actor: User, *, seed: int = 0, progress=None,
                now: datetime | None = None) -> AutoAssignResult:
    """Replace the edition's online assignments by the automatic one (before any sheet exists);
    a judge who recused from a bid is never put back on it. `progress(done, total)`: read, solved, written.
    Each judge is told how many reports to score and by when (not which teams: the review is blind)."""
    step = progress or (lambda done, total: None)
    now = now or clock.now()
    check_auto_assign(edition, actor)
    step(0, 3)
    bids, judges = _judgeable_slots(edition), active_judges()
    recused = _recused_by_bid(edition)
    judge_list = [replace(s, declared_conflicts=s.declared_conflicts | {recused_token(s.id)})
                  for s in judge_slots(judges)]
    bid_list = [replace(s, conflict_orgs=s.conflict_orgs | {recused_token(j) for j in recused.get(s.id, ())})
                for s in bids]
    step(1, 3)
    result = assign_judges(bid_list, judge_list, per_bid=edition.judges_per_bid, seed=seed)
    step(2, 3)
    db.session.execute(sa.delete(Assignment).where(Assignment.status == ASSIGNED,
                                                   Assignment.bid_id.in_(_edition_bid_ids(edition))))
    rows = [{"bid_id": b, "judge_id": j, "status": ASSIGNED} for b, ids in result.by_bid.items() for j in ids]
    if rows:
        db.session.execute(sa.insert(Assignment), rows)  # one executemany, not one object per pair
    _tell_assigned(edition, Counter(j for ids in result.by_bid.values() for j in ids), now,
                   notify.path("judge.dashboard"))
    step(3, 3)
    summary = AutoAssignResult(bids=len(bids), judges=len(judges), assigned=len(rows), short=dict(result.short))
    audit.record(actor, "assignment.auto", edition, {
        "seed": seed, "per_bid": edition.judges_per_bid, "bids": summary.bids, "judges": summary.judges,
        "assigned": summary.assigned, "short": {str(k): v for k, v in summary.short.items()},
    })
    return summary


def _tell_assigned(edition: Edition, counts: dict[int, int], now: datetime, link: str) -> None:
    """Each judge hears of the number of reports given to them and the online review's end; a report is a
    number on the judge's dashboard, never a team."""
    params = {"edition": edition.name, "due": edition.review_end.isoformat()}
    notify.tell_each("judge.assigned", [Told(judge, {**params, "count": counts[judge.id]}, link)
                                        for judge in notify.audience.users(counts)], now=now)


def loads(edition: Edition) -> dict[int, int]:
    """Each judge's number of active assignments in the edition."""
    rows = db.session.execute(
        sa.select(Assignment.judge_id, sa.func.count(Assignment.id))
        .where(Assignment.status == ASSIGNED, Assignment.bid_id.in_(_edition_bid_ids(edition)))
        .group_by(Assignment.judge_id))
    return dict(rows.all())


def replacement_for(bid: Bid) -> User | None:
    """The judge to add to a bid: eligible, not already on it (nor recused from it), in-field first,
    then least loaded in the edition, ties by id."""
    taken = set(db.session.scalars(sa.select(Assignment.judge_id).where(Assignment.bid_id == bid.id)))
    judges = [j for j in active_judges() if j.id not in taken]
    if not judges:
        return None
    slot = bid_slots([bid])[0]
    load = loads(bid.need.edition)
    by_id = {j.id: j for j in judges}
    ok = [s for s in judge_slots(judges) if eligible(slot, s)]
    if not ok:
        return None
    best = min(ok, key=lambda s: (slot.field not in s.fields, load.get(s.id, 0), s.id))
    return by_id[best.id]


def _active_count(bid_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Assignment.id)).where(
        Assignment.bid_id == bid_id, Assignment.status == ASSIGNED))


_UNREAD = object()


def check_recuse(assignment: Assignment, judge: User, now: datetime, *, sheet_status=_UNREAD) -> None:
    """Refuse a recusal now: the judge's own assignment, during the online review, not yet recused, no sheet
    submitted for the bid (what the judge's pages ask before they offer 申请回避). A list that has read the
    judge's sheet statuses passes the bid's (None: no sheet), so it asks no more queries."""
    if assignment.judge_id != judge.id:
        raise NotPermitted("recusal.not_own")
    if assignment.bid.need.edition.stage != EditionStage.ONLINE_REVIEW:
        raise WindowClosed("recusal.outside_review")
    if assignment.status != ASSIGNED:
        raise Conflict("recusal.already")
    if sheet_status is _UNREAD:
        _ensure_not_submitted(assignment.bid_id, judge.id, by_the_judge=True)
    elif sheet_status == SheetStatus.SUBMITTED:
        raise Conflict("recusal.sheet_submitted")


def recuse(assignment: Assignment, judge: User, reason: str, now: datetime) -> User | None:
    """A judge steps back from one bid with a reason; the organizers are told and the bid goes to the
    least-loaded eligible judge when one exists. Returns that judge (None: the bid is left short)."""
    if assignment.judge_id != judge.id:
        raise NotPermitted("recusal.not_own")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("recusal.reason_required")
    if len(reason) > 500:
        raise Invalid("recusal.reason_too_long")
    check_recuse(assignment, judge, now)
    bid = assignment.bid
    edition = bid.need.edition
    assignment.status, assignment.recusal_reason = RECUSED, reason
    db.session.flush()
    substitute = replacement_for(bid) if _active_count(bid.id) < edition.judges_per_bid else None
    if substitute is not None:
        db.session.add(Assignment(bid_id=bid.id, judge_id=substitute.id, status=ASSIGNED))
        notify.tell("judge.reassigned", [substitute], now=now, link=notify.path("judge.online_bid", bid_id=bid.id),
                    bid=bid.id, need=bid.need.name, due=edition.review_end.isoformat())
        outcome = _l("已自动改派给%(name)s。", name=substitute.display_name)
    else:
        outcome = _l("暂无可改派的专家，该挑战报告评审专家不足，请在分配页面处理。")
    notify.tell("judge.recused", notify.audience.organizers(), now=now,
                link=notify.path("organizer.assignments_page", code=edition.code),
                judge=judge.display_name, bid=bid.id, reason=reason, outcome=outcome)
    audit.record(judge, "assignment.recuse", assignment, {
        "bid_id": bid.id, "reason": reason, "replacement_id": substitute.id if substitute else None,
    })
    return substitute


def add_judge(edition: Edition, actor: User, *, bid_id: int, judge_id: int,
              now: datetime | None = None) -> Assignment:
    """The organizer puts a judge on a bid by hand; a conflicted pair is refused even so. The judge is told."""
    ensure_organizer(actor)
    _ensure_online_review(edition)
    bid = db.session.scalars(_judgeable(edition).where(Bid.id == bid_id)).unique().one_or_none()
    if bid is None:
        raise Invalid("assignment.bid_not_in_review")
    judge = db.session.get(User, judge_id)
    if judge is None or judge.role != Role.JUDGE or not judge.active:
        raise Invalid("assignment.not_a_judge")
    existing = db.session.scalar(sa.select(Assignment).where(Assignment.bid_id == bid.id,
                                                             Assignment.judge_id == judge.id))
    if existing is not None:
        raise Conflict("assignment.judge_recused" if existing.status == RECUSED else "assignment.already_assigned")
    if judge_conflicted(judge, bid):
        reasons = conflict_reasons(judge, bid) or [Phrase("conflict.unspecified")]
        raise Conflict("assignment.conflicted", judge=judge.display_name, bid=bid.id,
                       reasons=Series(reasons, separator="list.semicolon"))
    assignment = Assignment(bid_id=bid.id, judge_id=judge.id, status=ASSIGNED)
    db.session.add(assignment)
    audit.record(actor, "assignment.add", assignment, {"bid_id": bid.id, "judge_id": judge.id})
    _tell_assigned(edition, {judge.id: 1}, now or clock.now(), notify.path("judge.online_bid", bid_id=bid.id))
    return assignment


def remove_judge(assignment: Assignment, actor: User) -> None:
    """The organizer takes a judge off a bid, unless that judge already submitted its sheet."""
    ensure_organizer(actor)
    _ensure_online_review(assignment.bid.need.edition)
    if assignment.status != ASSIGNED:
        raise Conflict("assignment.recusal_kept")
    _ensure_not_submitted(assignment.bid_id, assignment.judge_id)
    audit.record(actor, "assignment.remove", assignment,
                 {"bid_id": assignment.bid_id, "judge_id": assignment.judge_id})
    db.session.delete(assignment)
