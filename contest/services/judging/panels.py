"""On-site panels (experts plus one firm representative) and the firm's confirmation of the winner."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.conflicts import bid_conflict_orgs, is_conflicted, org_key
from ...domain.errors import Conflict, Invalid, NotPermitted, Series
from ...domain.permissions import ensure_organizer
from ...domain.rubric import Round
from ...domain.states import BidStatus, FirmDecision, NeedStatus, Role, ensure_bid_transition, ensure_need_transition
from ...extensions import db
from ...models import Bid, FirmConfirmation, Need, PanelMember, ScoreSheet, Team, User
from .. import clock, notify
from ..notify import Told
from ..records import audit
from .conflicts import bid_orgs, declared_orgs
from .standings import need_standings

REASON_LIMIT = 500
DECIDED = frozenset({NeedStatus.AWARDED, NeedStatus.FAILED})


class AlreadyDecided(Conflict):
    """The need's result is settled already (by an earlier or a parallel decision): nothing more to record."""

    def __init__(self) -> None:
        super().__init__("decision.already_decided")


@dataclass(frozen=True)
class Candidate:
    """A judge the organizer may put on a need's panel, unless conflicted with one of its finalists."""

    user: User
    conflicted: bool


def _finalists(need: Need) -> list[Bid]:
    """The need's finalists with everything their conflict check reads (team, lead, members, firm)."""
    return list(db.session.scalars(
        sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.FINALIST)
        .options(joinedload(Bid.team).joinedload(Team.lead_org), joinedload(Bid.team).selectinload(Team.members),
                 joinedload(Bid.need).joinedload(Need.firm)).order_by(Bid.id)
    ).unique())


def _conflicted_ids(judges: list[User], finalists: list[Bid]) -> set[int]:
    """Judges whose own or declared organization touches a finalist (services.conflicts' rule, batched)."""
    declared = declared_orgs([j.id for j in judges])
    touched = [bid_orgs(b) for b in finalists]
    return {j.id for j in judges for orgs in touched
            if is_conflicted(j.organization.name if j.organization else None, declared[j.id], orgs)}


def panel_candidates(need: Need) -> tuple[list[Candidate], list[User]]:
    """Active judges (flagged when conflicted with a finalist) and the firm's own users, for the panel form."""
    judges = list(db.session.scalars(
        sa.select(User).where(User.role == Role.JUDGE, User.active.is_(True)).order_by(User.display_name, User.id)
    ))
    conflicted = _conflicted_ids(judges, _finalists(need)) if judges else set()
    firm_users = list(db.session.scalars(
        sa.select(User).where(User.role == Role.FIRM, User.org_id == need.firm_org_id, User.active.is_(True))
        .order_by(User.id)
    ))
    return [Candidate(j, j.id in conflicted) for j in judges], firm_users


def set_panel(need: Need, actor: User, judge_ids: list[int], firm_rep_id: int | None,
              now: datetime | None = None) -> list[PanelMember]:
    """The organizer names a finalist need's on-site panel: experts without conflicts and one firm representative.
    The panel, the firm and the finalist teams are told of the on-site review's date."""
    ensure_organizer(actor)
    if need.status != NeedStatus.FINAL:
        raise Conflict("panel.need_not_final")
    if db.session.scalar(sa.select(sa.func.count(ScoreSheet.id)).join(Bid, Bid.id == ScoreSheet.bid_id)
                         .where(Bid.need_id == need.id, ScoreSheet.round == Round.ONSITE)):
        raise Conflict("panel.sheets_exist")
    ids = list(dict.fromkeys(judge_ids))
    if not ids:
        raise Invalid("panel.no_judge")
    judges = list(db.session.scalars(
        sa.select(User).where(User.id.in_(ids), User.role == Role.JUDGE, User.active.is_(True))))
    if len(judges) != len(ids):
        raise Invalid("panel.not_judges")
    rep = db.session.get(User, firm_rep_id) if firm_rep_id else None
    if rep is None or rep.role != Role.FIRM or rep.org_id != need.firm_org_id or not rep.active:
        raise Invalid("panel.firm_rep_invalid")
    finalists = _finalists(need)
    conflicted = _conflicted_ids(judges, finalists)
    if conflicted:
        names = Series(j.display_name for j in judges if j.id in conflicted)
        raise Conflict("panel.judges_conflicted", names=names)
    # The firm's representative is exempt from its own firm's conflict, not from the teams' organizations.
    rep_org = org_key(rep.organization.name) if rep.organization else None
    if any(rep_org in bid_conflict_orgs(b.team.lead_org.name, [m.organization_name for m in b.team.members], "")
           for b in finalists):
        raise Conflict("panel.firm_rep_conflicted")
    db.session.execute(sa.delete(PanelMember).where(PanelMember.need_id == need.id))
    members = [PanelMember(need_id=need.id, user_id=j.id, firm_representative=False) for j in judges]
    members.append(PanelMember(need_id=need.id, user_id=rep.id, firm_representative=True))
    db.session.add_all(members)
    audit.record(actor, "need.panel", need, {"experts": [j.id for j in judges], "firm_representative": rep.id})
    _tell_schedule(need, judges, rep, finalists, now or clock.now())
    return members


def _tell_schedule(need: Need, judges: list[User], rep: User, finalists: list[Bid], now: datetime) -> None:
    """Who sits on the panel scores on its page (the firm's representative too); the firm's other accounts look
    at the need's ranking; each finalist team at its own bid."""
    params = {"need": need.name, "final_date": need.edition.final_date.isoformat()}
    panel_page = notify.path("judge.panel", need_id=need.id)
    owners = notify.audience.teams_of(finalists)
    told = [Told(j, params, panel_page) for j in judges]
    told += [Told(u, params, panel_page if u.id == rep.id else notify.path("firm.ranking", need_id=need.id))
             for u in notify.audience.firm(need.firm_org_id)]
    told += [Told(owners[b.id], params, notify.path("team.bid", bid_id=b.id)) for b in finalists if b.id in owners]
    notify.tell_each("final.schedule", told, now=now)


def panel_complete(need: Need) -> bool:
    """Whether every panel member has submitted an on-site sheet for every finalist of the need."""
    return need_standings(need).panel_complete


def _ensure_own_final(need: Need, firm_user: User) -> None:
    if firm_user.role != Role.FIRM or need.firm_org_id != firm_user.org_id:
        raise NotPermitted("decision.not_own")
    if need.status in DECIDED:
        raise AlreadyDecided()
    if need.status != NeedStatus.FINAL:
        raise Conflict("decision.not_final")


def _settle(need: Need, target: NeedStatus) -> None:
    """Move the need from FINAL to its result in one compare-and-set that the database arbitrates.

    Of parallel decisions (a double click, two tabs, confirm against decline) each may have read FINAL,
    but only one UPDATE still finds it: PostgreSQL re-checks the row once the first commits, SQLite runs
    the writers one after another. The others raise AlreadyDecided before changing anything.
    """
    ensure_need_transition(NeedStatus.FINAL, target)
    moved = db.session.execute(
        sa.update(Need).where(Need.id == need.id, Need.status == NeedStatus.FINAL).values(status=target),
        execution_options={"synchronize_session": "fetch"},  # `need` follows only when the row did change
    ).rowcount
    if moved != 1:
        raise AlreadyDecided()


def _close_need(need: Need, winner_id: int | None, target: NeedStatus) -> None:
    _settle(need, target)  # first, so a request that loses the race has written nothing
    bids = db.session.scalars(sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.FINALIST))
    for bid in bids:
        status = BidStatus.WINNER if bid.id == winner_id else BidStatus.NOT_SELECTED
        ensure_bid_transition(bid.status, status)
        bid.status = status


def _first_to_confirm(need: Need, firm_user: User):
    _ensure_own_final(need, firm_user)
    standing = need_standings(need)
    if not standing.panel_complete:
        raise Conflict("decision.panel_incomplete")
    first = standing.first
    if first is None:
        # No one left in the running may mean a parallel copy has just decided (its bids are read, its need was
        # loaded before): the need's status as it is now tells.
        if db.session.scalar(sa.select(Need.status).where(Need.id == need.id)) in DECIDED:
            raise AlreadyDecided()
        raise Conflict("decision.tie" if standing.leaders else "decision.no_finalist")
    return first


def check_confirm(need: Need, firm_user: User, now: datetime) -> None:
    """Refuse confirming a winner now: the firm's own need in the final, every on-site sheet in, one first."""
    _first_to_confirm(need, firm_user)


def check_decline(need: Need, firm_user: User, now: datetime) -> None:
    """Refuse declining now: the firm's own need, still awaiting its decision."""
    _ensure_own_final(need, firm_user)


def confirm_winner(need: Need, firm_user: User, now: datetime) -> Bid:
    """The firm confirms the first-ranked finalist as the winner of its need (挑战第一名)."""
    first = _first_to_confirm(need, firm_user)
    winner = first.bid
    _close_need(need, winner.id, NeedStatus.AWARDED)
    db.session.add(FirmConfirmation(need_id=need.id, bid_id=winner.id, decision=FirmDecision.CONFIRM,
                                    decided_by_id=firm_user.id, created_at=now))
    audit.record(firm_user, "need.confirm_winner", need, {"bid_id": winner.id, "final": first.final})
    _tell_decision("winner.confirmed", need, winner, now)
    return winner


def _tell_decision(kind: str, need: Need, first: Bid | None, now: datetime, **params) -> None:
    """The organizers and the first-ranked team hear of the firm's decision (the other finalists hear of the
    results at their publication)."""
    told = [Told(u, {"need": need.name, **params}, notify.path("organizer.need", need_id=need.id))
            for u in notify.audience.organizers()]
    if first is not None:
        told += [Told(u, {"need": need.name, **params}, notify.path("team.bid", bid_id=first.id))
                 for u in notify.audience.team(first.team)]
    notify.tell_each(kind, told, now=now)


def decline(need: Need, firm_user: User, reason: str, now: datetime) -> FirmConfirmation:
    """The firm declines to confirm a winner, with a reason: the need fails (流榜)."""
    _ensure_own_final(need, firm_user)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("decision.reason_required")
    if len(reason) > REASON_LIMIT:
        raise Invalid("decision.reason_too_long", n=REASON_LIMIT)
    first = need_standings(need).first  # the team the firm declined (none when the final was not complete)
    _close_need(need, None, NeedStatus.FAILED)
    decision = FirmConfirmation(need_id=need.id, bid_id=None, decision=FirmDecision.DECLINE, reason=reason,
                                decided_by_id=firm_user.id, created_at=now)
    db.session.add(decision)
    audit.record(firm_user, "need.decline", need, {"reason": reason})
    _tell_decision("winner.declined", need, first.bid if first is not None else None, now, reason=reason)
    return decision
