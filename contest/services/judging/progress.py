"""The online round as the organizer follows it: how many sheets are in, per need and per judge, and
reminders to the judges still owing some. Each read is a fixed number of statements, whatever the size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...domain.errors import WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, EditionStage, SheetStatus
from ...extensions import db
from ...models import Assignment, Bid, Edition, Need, ScoreSheet, User
from .. import notify
from ..notify import Told
from ..records import audit
from .board import REVIEWED_BIDS

ASSIGNED = AssignmentStatus.ASSIGNED


@dataclass
class Tally:
    """Sheets of the online round: expected (active assignments), drafts and submitted."""

    assigned: int = 0
    drafts: int = 0
    submitted: int = 0

    @property
    def late(self) -> int:
        return self.assigned - self.submitted


def _sheets_by(key, edition: Edition, keys: list[int]) -> dict[int, Tally]:
    """Per need or per judge (`key`), the active assignments with their sheets' status, counted by the
    database: one statement, one row per need or judge."""
    status = ScoreSheet.status
    rows = db.session.execute(
        sa.select(key, sa.func.count(Assignment.id),
                  sa.func.count(sa.case((status == SheetStatus.DRAFT, 1))),
                  sa.func.count(sa.case((status == SheetStatus.SUBMITTED, 1))))
        .select_from(Assignment).join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .outerjoin(ScoreSheet, sa.and_(ScoreSheet.bid_id == Assignment.bid_id,
                                       ScoreSheet.judge_id == Assignment.judge_id, ScoreSheet.round == Round.ONLINE))
        .where(Need.edition_id == edition.id, Assignment.status == ASSIGNED, key.in_(keys),
               Bid.identity_disclosed_at.is_(None))   # a bid out of the round for its disclosed identity owes none
        .group_by(key))
    return {k: Tally(assigned, drafts, submitted) for k, assigned, drafts, submitted in rows}


def reviewed_judges(edition: Edition) -> sa.Select:
    """The judges with an active assignment in the edition's online round, by id: the list the progress page
    paginates."""
    assigned = (sa.select(Assignment.id).join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
                .where(Assignment.judge_id == User.id, Assignment.status == ASSIGNED, Need.edition_id == edition.id))
    return sa.select(User).where(assigned.exists()).order_by(User.id)


def needs_progress(edition: Edition, needs: list[Need]) -> list[tuple[Need, int, Tally]]:
    """The given needs (a page of them) with their bids in the online round and sheets expected and submitted."""
    ids = [n.id for n in needs]
    bids = dict(db.session.execute(
        sa.select(Bid.need_id, sa.func.count(Bid.id)).where(Bid.need_id.in_(ids), Bid.status.in_(REVIEWED_BIDS))
        .group_by(Bid.need_id)).tuples().all())
    tallies = _sheets_by(Bid.need_id, edition, ids)
    return [(n, bids.get(n.id, 0), tallies.get(n.id, Tally())) for n in needs]


def judges_progress(edition: Edition, judges: list[User]) -> list[tuple[User, Tally]]:
    """The given judges (a page of them) with their sheets assigned, drafted, submitted and late."""
    tallies = _sheets_by(Assignment.judge_id, edition, [j.id for j in judges])
    return [(j, tallies.get(j.id, Tally())) for j in judges]


def late_judges(edition: Edition) -> dict[int, int]:
    """Every judge with sheets still to submit in the edition's online round, and how many: one statement."""
    submitted = (sa.select(ScoreSheet.id).where(
        ScoreSheet.bid_id == Assignment.bid_id, ScoreSheet.judge_id == Assignment.judge_id,
        ScoreSheet.round == Round.ONLINE, ScoreSheet.status == SheetStatus.SUBMITTED).exists())
    rows = db.session.execute(
        sa.select(Assignment.judge_id, sa.func.count(Assignment.id))
        .join(Bid, Bid.id == Assignment.bid_id).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition.id, Assignment.status == ASSIGNED, ~submitted,
               Bid.identity_disclosed_at.is_(None))
        .group_by(Assignment.judge_id).order_by(Assignment.judge_id))
    return dict(rows.tuples().all())


def remind_late_judges(edition: Edition, actor: User, now: datetime) -> int:
    """Remind each judge with sheets still to submit (a notice and a mail, in one round of statements); returns
    how many were reminded."""
    ensure_organizer(actor)
    if edition.stage != EditionStage.ONLINE_REVIEW:
        raise WindowClosed("progress.remind_outside_review")
    late = late_judges(edition)
    params, link = {"edition": edition.name, "due": edition.review_end.isoformat()}, notify.path("judge.dashboard")
    notify.tell_each("judge.reminded", [Told(judge, {**params, "count": late[judge.id]}, link)
                                        for judge in notify.audience.users(late)], now=now)
    audit.record(actor, "progress.remind", edition, {"judges": list(late), "count": len(late)})
    return len(late)
