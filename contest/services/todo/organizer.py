"""The organizer's next steps, per edition: the stage's next move and what blocks it (needs waiting for
screening, online sheets missing, needs without an on-site panel, ties to rule, firms' decisions awaited,
objections open, winners without a contract, contracts not yet signed), each a count with the page that resolves
it. A fixed number of statements for every edition, plus the standings of the editions with on-site scores in
(ties: in practice the one edition in its final)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ...domain.contracts import ContractStatus
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, EditionStage, NeedStatus, ObjectionStatus, SheetStatus
from ...extensions import db
from ...models import Assignment, Bid, Contract, Edition, Need, Objection, PanelMember, ScoreSheet
from ..clock import beijing_date
from ..judging.stages import objection_deadline
from ..judging.standings import standings_of
from . import Todo, soonest_first

# The stage's next move: its label key, the page that makes it, and by when (the edition's calendar).
NEXT_STEP = {
    EditionStage.OPEN: ("organizer.open_review", lambda e: e.bidding_deadline),
    EditionStage.ONLINE_REVIEW: ("organizer.finalists", lambda e: e.review_end),
    EditionStage.FINAL: ("organizer.publish", lambda e: e.results_date),
}
UNSIGNED = (ContractStatus.DRAFT, ContractStatus.ISSUED)


@dataclass
class EditionSteps:
    """An edition's next move (None once its results are out) and what blocks it or is left to do."""

    edition: Edition
    next_step: Todo | None = None
    blockers: list[Todo] = field(default_factory=list)
    objections_until: date | None = None   # the objection window's last day, while it is open

    @property
    def finished(self) -> bool:
        """Results out, the objection window closed and nothing left to do: the home folds it away."""
        return self.next_step is None and not self.blockers and self.objections_until is None


def _by_edition(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt).tuples().all())


def _missing_sheets() -> dict[int, int]:
    """Per edition in its online round, the active assignments without a submitted sheet, as the progress page counts
    them (progress.late_judges, grouped by edition: one statement)."""
    submitted = sa.and_(ScoreSheet.bid_id == Assignment.bid_id, ScoreSheet.judge_id == Assignment.judge_id,
                        ScoreSheet.round == Round.ONLINE, ScoreSheet.status == SheetStatus.SUBMITTED)
    return _by_edition(
        sa.select(Need.edition_id, sa.func.count(Assignment.id))
        .join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .join(Edition, Edition.id == Need.edition_id)
        .where(Edition.stage == EditionStage.ONLINE_REVIEW, Assignment.status == AssignmentStatus.ASSIGNED,
               Bid.identity_disclosed_at.is_(None),
               ~sa.select(ScoreSheet.id).where(submitted).exists())
        .group_by(Need.edition_id))


def _without_panel() -> dict[int, int]:
    """Per edition, its needs in the final with no on-site panel named yet (one statement)."""
    panel = sa.select(PanelMember.user_id).where(PanelMember.need_id == Need.id).exists()
    return _by_edition(sa.select(Need.edition_id, sa.func.count(Need.id))
                       .where(Need.status == NeedStatus.FINAL, ~panel).group_by(Need.edition_id))


def _pending_objections() -> dict[int, int]:
    return _by_edition(sa.select(Objection.edition_id, sa.func.count(Objection.id))
                       .where(Objection.status == ObjectionStatus.PENDING).group_by(Objection.edition_id))


def _awaiting_contract() -> dict[int, int]:
    """Per edition, its awarded needs without a live contract (contracts.listing.awaiting_count, grouped)."""
    live = sa.select(Contract.id).where(Contract.need_id == Need.id, Contract.status != ContractStatus.VOID).exists()
    return _by_edition(sa.select(Need.edition_id, sa.func.count(Need.id))
                       .where(Need.status == NeedStatus.AWARDED, ~live).group_by(Need.edition_id))


def _unsigned_contracts() -> dict[int, int]:
    return _by_edition(sa.select(Contract.edition_id, sa.func.count(Contract.id))
                       .where(Contract.status.in_(UNSIGNED)).group_by(Contract.edition_id))


def _ties(editions: list[Edition]) -> dict[int, list[Need]]:
    """Per edition, its needs in the final whose first place is a tie left to rule. Only a need with on-site sheets
    submitted can be tied: those are found in one statement, then the standings of their editions are computed (a
    fixed number of statements per edition with on-site scores in, in practice the one edition in its final)."""
    onsite = (sa.select(ScoreSheet.id).join(Bid, Bid.id == ScoreSheet.bid_id)
              .where(Bid.need_id == Need.id, ScoreSheet.round == Round.ONSITE,
                     ScoreSheet.status == SheetStatus.SUBMITTED).exists())
    by_edition: dict[int, list[Need]] = defaultdict(list)
    for need in db.session.scalars(sa.select(Need).where(Need.status == NeedStatus.FINAL, onsite).order_by(Need.id)):
        by_edition[need.edition_id].append(need)
    editions_by_id = {e.id: e for e in editions}
    return {edition_id: [s.need for s in standings_of(editions_by_id[edition_id], needs) if s.tie_to_rule]
            for edition_id, needs in by_edition.items() if edition_id in editions_by_id}


def _todo(key: str, n: int, deadline, endpoint: str, **args) -> list[Todo]:
    return [Todo(key, n, deadline, endpoint, args)] if n else []


def _steps(e: Edition, needs: dict[NeedStatus, int], counts: dict[str, dict[int, int]], ties: list[Need],
           today: date) -> EditionSteps:
    steps = EditionSteps(e)
    if e.stage in NEXT_STEP:
        key, deadline = NEXT_STEP[e.stage]
        steps.next_step = Todo(key, 1, deadline(e), "organizer.judging", {"code": e.code})
    waiting = needs.get(NeedStatus.SUBMITTED, 0) if e.stage == EditionStage.OPEN else 0
    tie_link = (("organizer.tie_page", {"need_id": ties[0].id}) if len(ties) == 1
                else ("organizer.standings_page", {"code": e.code}))
    undecided = needs.get(NeedStatus.FINAL, 0) - len(ties) - counts["no_panel"].get(e.id, 0)
    blockers = (
        _todo("organizer.needs_waiting", waiting, e.bidding_deadline, "organizer.queue", edition=e.code)
        + _todo("organizer.sheets_missing", counts["sheets"].get(e.id, 0), e.review_end, "organizer.review_progress",
                code=e.code)
        + _todo("organizer.panels_missing", counts["no_panel"].get(e.id, 0), e.final_date, "organizer.standings_page",
                code=e.code, status=NeedStatus.FINAL.value)
        + _todo("organizer.ties", len(ties), e.results_date, tie_link[0], **tie_link[1])
        + _todo("organizer.firm_decisions", max(undecided, 0), e.results_date, "organizer.standings_page",
                code=e.code, status=NeedStatus.FINAL.value)
        + _todo("organizer.objections", counts["objections"].get(e.id, 0), None, "organizer.edition_objections",
                code=e.code)
        + _todo("organizer.awaiting_contract", counts["awaiting"].get(e.id, 0), None, "organizer.edition_contracts",
                code=e.code)
        + _todo("organizer.contracts_unsigned", counts["unsigned"].get(e.id, 0), None, "organizer.edition_contracts",
                code=e.code))
    steps.blockers = soonest_first(blockers)
    until = objection_deadline(e)
    steps.objections_until = until if until is not None and today <= until else None
    return steps


def edition_steps(editions: list[Edition], needs_by_status: dict[int, dict[NeedStatus, int]],
                  now: datetime) -> list[EditionSteps]:
    """Every edition's next move and blockers, in the given order (the counts of needs by status come from the
    home's summaries)."""
    counts = {"sheets": _missing_sheets(), "no_panel": _without_panel(), "objections": _pending_objections(),
              "awaiting": _awaiting_contract(), "unsigned": _unsigned_contracts()}
    ties = _ties(editions)
    today = beijing_date(now)
    return [_steps(e, needs_by_status.get(e.id, {}), counts, ties.get(e.id, []), today) for e in editions]
