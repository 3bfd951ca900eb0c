"""Objections (异议) to a need's published result: a team or firm of the edition files one while the objection
window is open; the organizer upholds or rejects it, with a reason. Upheld, the award is reversed in the same
transaction: the need goes back to the firm's confirmation, its winner is out and the other finalists are in the
running again, so the firm confirms the next-ranked finalist (or declines, and the need fails)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ...domain.contracts import ContractStatus
from ...domain.errors import Conflict, Invalid, NotPermitted, WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.states import (
    NEED_PUBLIC, BidStatus, EditionStage, Membership, NeedStatus, ObjectionStatus, Role, ensure_bid_transition,
    ensure_need_transition,
)
from ...extensions import db
from ...models import Bid, Contract, Edition, Need, Objection, Team, User
from .. import notify
from ..clock import beijing_date
from ..files.uploads import CheckedPdf, store_in
from ..records import audit
from .stages import objection_deadline
from .standings import JUDGED_BIDS, need_standings

REASON_LIMIT = 2000
RULING_LIMIT = 1000
FILERS = frozenset({Role.TEAM, Role.FIRM})
RULINGS = frozenset({ObjectionStatus.UPHELD, ObjectionStatus.REJECTED})


def evidence_folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "objections"
    path.mkdir(parents=True, exist_ok=True)
    return path


def evidence_path(stored_name: str) -> Path:
    return evidence_folder() / stored_name


def window_open(edition: Edition, now: datetime) -> bool:
    """Whether the edition's results are published and today (Beijing) is within its objection window."""
    deadline = objection_deadline(edition)
    return edition.stage == EditionStage.RESULTS and deadline is not None and beijing_date(now) <= deadline


def _is_party(edition: Edition, actor: User) -> bool:
    """A team that turned in a bid in the edition, or a firm whose organization posted a need in it."""
    if actor.role == Role.TEAM:
        found = sa.select(Bid.id).join(Team, Team.id == Bid.team_id).join(Need, Need.id == Bid.need_id).where(
            Team.owner_id == actor.id, Need.edition_id == edition.id, Bid.status.in_(JUDGED_BIDS))
    else:
        found = sa.select(Need.id).where(Need.firm_org_id == actor.org_id, Need.edition_id == edition.id,
                                         Need.status.in_(NEED_PUBLIC))
    return db.session.scalar(found.limit(1)) is not None


def check_file(need: Need, actor: User, now: datetime) -> None:
    """Refuse an objection to the need's result now: a confirmed team or firm account of the edition, an awarded
    need of published results, within the window, and no objection of the same filer still pending on it."""
    if actor is None or getattr(actor, "role", None) not in FILERS:
        raise NotPermitted("objection.not_party")
    if actor.membership != Membership.MEMBER:
        raise NotPermitted("objection.not_member")
    edition = need.edition
    if edition.stage != EditionStage.RESULTS or edition.results_published_at is None:
        raise Conflict("objection.not_published")
    if need.status != NeedStatus.AWARDED:
        raise Conflict("objection.not_awarded")
    deadline = objection_deadline(edition)
    if beijing_date(now) > deadline:
        raise WindowClosed("objection.window_closed", deadline=deadline)
    if not _is_party(edition, actor):
        raise NotPermitted("objection.not_party")
    if db.session.scalar(sa.select(Objection.id).where(
            Objection.need_id == need.id, Objection.filed_by_id == actor.id,
            Objection.status == ObjectionStatus.PENDING).limit(1)) is not None:
        raise Conflict("objection.already_pending")


def winner_of(need: Need) -> Bid | None:
    """The need's winning bid, or None."""
    return db.session.scalar(sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.WINNER))


def _objections_page(user: User) -> str:
    """Where a firm or team account follows its objections (and those against it)."""
    return notify.path("firm.objections" if user.role == Role.FIRM else "team.objections")


def _tell_filed(objection: Objection, need: Need, winner: Bid | None, now: datetime) -> None:
    """The organizers (to rule), the firm of the need and the contested team hear that an objection was received;
    no one hears who filed it, and the filer is not told of their own objection."""
    others = [u for u in notify.audience.firm(need.firm_org_id) + (notify.audience.team(winner.team) if winner else [])
              if u.id != objection.filed_by_id]
    told = ([notify.Told(u, {"need": need.name}, notify.path("organizer.objection", objection_id=objection.id))
             for u in notify.audience.organizers()]
            + [notify.Told(u, {"need": need.name}, _objections_page(u)) for u in others])
    notify.tell_each("objection.filed", told, now=now)


def _tell_ruling(objection: Objection, parties: list[tuple[list[User], object, bool, str | None]],
                 now: datetime) -> None:
    """Tell each party of the ruling once, in words of what it means to them: `parties` are (accounts, decision,
    with the ruling's reason, link), the first group naming an account speaks to it. The filer, the firm and the
    contested team read the reason (their objection pages show it); a team reinstated by a reversal does not (the
    reason may speak of another team)."""
    need, told, seen = objection.need, [], set()
    for users, decision, with_reason, link in parties:
        for user in users:
            if user.id in seen:
                continue
            seen.add(user.id)
            detail = (_l("理由：%(reason)s", reason=objection.ruling_reason)
                      if with_reason or user.id == objection.filed_by_id else _l("请留意发榜企业的确认结果。"))
            told.append(notify.Told(user, {"need": need.name, "decision": decision, "detail": detail},
                                    link or _objections_page(user)))
    notify.tell_each("objection.ruled", told, now=now)


def file_objection(need: Need, actor: User, reason: str, evidence: CheckedPdf | None, now: datetime) -> Objection:
    """A team or firm of the edition contests the need's result: a reason and, optionally, a PDF as evidence. The
    organizers, the firm of the need and the contested team are told (not who filed it)."""
    check_file(need, actor, now)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("objection.reason_required")
    if len(reason) > REASON_LIMIT:
        raise Invalid("objection.reason_too_long", n=REASON_LIMIT)
    winner = winner_of(need)
    objection = Objection(edition_id=need.edition_id, need_id=need.id, bid_id=winner.id if winner else None,
                          filed_by_id=actor.id, org_id=actor.org_id, reason=reason, filed_at=now,
                          status=ObjectionStatus.PENDING, ruling_reason="")
    if evidence is not None:
        objection.evidence_stored_name = store_in(evidence_folder(), evidence)
        objection.evidence_original_name = evidence.original_name
        objection.evidence_size = len(evidence.content)
        objection.evidence_sha256 = evidence.sha256
    db.session.add(objection)
    audit.record(actor, "objection.file", objection, {"need": need.id, "bid": objection.bid_id,
                                                      "evidence_sha256": objection.evidence_sha256})
    db.session.flush()  # its id, for the organizers' link
    _tell_filed(objection, need, winner, now)
    return objection


def check_rule(objection: Objection, actor: User, now: datetime) -> None:
    """Refuse ruling on the objection now: the organizer rules once, while it is pending (even after the window)."""
    ensure_organizer(actor)
    if objection.status != ObjectionStatus.PENDING:
        raise Conflict("objection.already_ruled", status=objection.status)


def rule_objection(objection: Objection, actor: User, decision: ObjectionStatus, reason: str,
                   now: datetime) -> Objection:
    """The organizer upholds or rejects a pending objection, with a reason. Upheld, the contested award is reversed
    (see reverse_award); rejected, nothing else changes. The filer, the firm and the contested team are told."""
    check_rule(objection, actor, now)
    if decision not in RULINGS:
        raise Invalid("objection.decision_invalid")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("objection.ruling_reason_required")
    if len(reason) > RULING_LIMIT:
        raise Invalid("objection.ruling_reason_too_long", n=RULING_LIMIT)
    # A compare-and-set: of two parallel rulings (a double click, two organizers) only one finds it pending.
    moved = db.session.execute(
        sa.update(Objection).where(Objection.id == objection.id, Objection.status == ObjectionStatus.PENDING)
        .values(status=decision, ruling_reason=reason, ruled_by_id=actor.id, ruled_at=now),
        execution_options={"synchronize_session": "fetch"},
    ).rowcount
    if moved != 1:
        db.session.refresh(objection)
        raise Conflict("objection.already_ruled", status=objection.status)
    reversed_bid = reverse_award(objection, actor, now) if decision == ObjectionStatus.UPHELD else None
    audit.record(actor, "objection.rule", objection, {"decision": decision.value, "reason": reason,
                                                      "reversed_bid": reversed_bid.id if reversed_bid else None})
    if reversed_bid is None:  # a reversal tells the parties itself (reverse_award)
        verdict = _l("异议成立") if decision == ObjectionStatus.UPHELD else _l("异议不成立，原结果维持")
        contested = notify.audience.team(objection.bid.team) if objection.bid is not None else []
        _tell_ruling(objection, [([objection.filed_by], verdict, True, None),
                                 (notify.audience.firm(objection.need.firm_org_id), verdict, True, None),
                                 (contested, verdict, True, None)], now)
    return objection


def reverse_award(objection: Objection, actor: User, now: datetime) -> Bid | None:
    """Reverse the award the upheld objection contests, when it still stands: the need goes back to the firm's
    confirmation (AWARDED → FINAL), the winner is not selected, and the need's other finalists (as its standings
    froze them) are finalists again. The reversed bid, or None when that award no longer stands."""
    need = objection.need
    winner = winner_of(need)
    if need.status != NeedStatus.AWARDED or winner is None or winner.id != objection.bid_id:
        return None
    if db.session.scalar(sa.select(Contract.id).where(Contract.need_id == need.id,
                                                      Contract.status != ContractStatus.VOID).limit(1)):
        raise Conflict("objection.contract_exists")  # drafting waits for the window and the rulings: never here
    standing = need_standings(need)  # read before the statuses change (the finalists as published)
    ensure_need_transition(NeedStatus.AWARDED, NeedStatus.FINAL)
    moved = db.session.execute(
        sa.update(Need).where(Need.id == need.id, Need.status == NeedStatus.AWARDED).values(status=NeedStatus.FINAL),
        execution_options={"synchronize_session": "fetch"},
    ).rowcount
    if moved != 1:
        return None  # a parallel ruling on another objection reversed it first
    ensure_bid_transition(winner.status, BidStatus.NOT_SELECTED)
    winner.status = BidStatus.NOT_SELECTED
    reinstated = []
    for b in standing.finalists:
        bid = b.bid
        if bid.id != winner.id and bid.status == BidStatus.NOT_SELECTED and bid.identity_disclosed_at is None:
            ensure_bid_transition(bid.status, BidStatus.FINALIST)
            bid.status = BidStatus.FINALIST
            reinstated.append(bid)
    audit.record(actor, "need.award_reversed", need, {"objection": objection.id, "bid": winner.id,
                                                      "reinstated": [b.id for b in reinstated]})
    owners = notify.audience.teams_of([winner, *reinstated])
    _tell_ruling(objection, [
        (notify.audience.firm(need.firm_org_id), _l("异议成立，原结果已撤销，请重新确认优胜团队或不予确认"), True,
         notify.path("firm.ranking", need_id=need.id)),
        ([owners[winner.id]], _l("异议成立，贵团队的挑战第一名已撤销"), True, None),
        *(([owners[b.id]], _l("异议成立，原结果已撤销，贵团队重新进入企业确认环节"), False,
           notify.path("team.bid", bid_id=b.id)) for b in reinstated),
        ([objection.filed_by], _l("异议成立，原结果已撤销，由发榜企业重新确认"), True, None),
    ], now)
    return winner


# --- what the pages read ---------------------------------------------------------------------------------------

def pending_count(need: Need) -> int:
    """How many objections to the need await a ruling."""
    return db.session.scalar(sa.select(sa.func.count(Objection.id)).where(
        Objection.need_id == need.id, Objection.status == ObjectionStatus.PENDING))


def pending_count_column() -> sa.ScalarSelect:
    """The same count as a correlated subquery of Need (for a list's one statement)."""
    return (sa.select(sa.func.count(Objection.id))
            .where(Objection.need_id == Need.id, Objection.status == ObjectionStatus.PENDING)
            .correlate(Need).scalar_subquery())


def _loaded(stmt: sa.Select) -> sa.Select:
    return stmt.options(joinedload(Objection.need), joinedload(Objection.filed_by), joinedload(Objection.org),
                        joinedload(Objection.bid).joinedload(Bid.team).joinedload(Team.lead_org))


def edition_objections(edition: Edition, pending_only: bool = False) -> sa.Select:
    """The edition's objections, pending first then the newest: the list the organizer's page paginates."""
    stmt = sa.select(Objection).where(Objection.edition_id == edition.id)
    if pending_only:
        stmt = stmt.where(Objection.status == ObjectionStatus.PENDING)
    pending_first = sa.case((Objection.status == ObjectionStatus.PENDING, 0), else_=1)
    return _loaded(stmt).order_by(pending_first, Objection.filed_at.desc(), Objection.id.desc())


def need_objections(need: Need) -> list[Objection]:
    """Every objection to the need, oldest first."""
    return list(db.session.scalars(_loaded(sa.select(Objection).where(Objection.need_id == need.id))
                                   .order_by(Objection.id)))


def objections_for(user: User) -> sa.Select:
    """The objections a firm or team account may follow: those it filed, and those against its organization's need
    (a firm) or its team's award (a team), newest first: the list its page paginates."""
    mine = Objection.filed_by_id == user.id
    if user.role == Role.FIRM:
        against = Objection.need_id.in_(sa.select(Need.id).where(Need.firm_org_id == user.org_id))
    else:
        against = Objection.bid_id.in_(sa.select(Bid.id).join(Team, Team.id == Bid.team_id)
                                       .where(Team.owner_id == user.id))
    return _loaded(sa.select(Objection).where(sa.or_(mine, against))).order_by(Objection.filed_at.desc(),
                                                                                 Objection.id.desc())


def reversal_dates(need_ids: list[int]) -> dict[int, list[date]]:
    """The Beijing dates on which an upheld objection reversed each need's result (one statement): an award is
    reversed by the first objection against it that is upheld."""
    if not need_ids:
        return {}
    found: dict[int, list[date]] = defaultdict(list)
    first = sa.func.min(Objection.ruled_at)
    rows = db.session.execute(
        sa.select(Objection.need_id, first).where(Objection.need_id.in_(need_ids),
                                                  Objection.status == ObjectionStatus.UPHELD)
        .group_by(Objection.need_id, Objection.bid_id).order_by(Objection.need_id, first))
    for need_id, ruled_at in rows:
        found[need_id].append(beijing_date(ruled_at))
    return dict(found)
