"""CIC8-NB judged from start to finish by the real services, at 2024 moments.

The organizer opens the online review (needs without a bid fail), assigns the judges automatically, one
judge recuses from a bid, every assigned judge submits an online sheet (one of them is reopened by the
organizer and resubmitted), the organizer confirms the finalists; the final (seed_final) follows. The
app's clock is set to each step's moment while it runs, so that the audit trail carries 2024 dates.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..domain.rubric import Round
from ..domain.states import AssignmentStatus, BidStatus, FirmDecision, NeedStatus
from ..extensions import db
from ..models import (
    Assignment, Bid, DeclaredConflict, Edition, FirmConfirmation, JudgeExpertise, Need, Notice, Organization,
    ScoreSheet, User,
)
from ..services.judging.assignments import auto_assign, recuse
from ..services.judging.judges import update_profile
from ..services.judging.rubrics import rubric_for
from ..services.judging.scoring import reopen_sheet, save_sheet
from ..services.judging.stages import confirm_finalists, open_online_review
from . import dataset
from .scores import as_text, comment, judge_rng, sheet_points
from .seed_final import STEP, Clock, Labels, run_final


@contextmanager
def demo_clock() -> Iterator[Clock]:
    """Set the app's clock to the moment of each step (at(moment) returns it); restore it afterwards."""
    config = current_app.config
    had, before = "FROZEN_NOW" in config, config.get("FROZEN_NOW")

    def at(moment: datetime) -> datetime:
        config["FROZEN_NOW"] = moment
        return moment

    try:
        yield at
    finally:
        if had:
            config["FROZEN_NOW"] = before
        else:
            config.pop("FROZEN_NOW", None)


def ensure_profiles(users: dict[str, User], orgs: dict[str, Organization], at: Clock | None = None) -> int:
    """Give each demo judge without any expertise or declared conflict their profile; how many were given."""
    plan = dataset.judging()
    ids = [users[name].id for name in plan.profiles]
    done = set(db.session.scalars(sa.select(JudgeExpertise.judge_id).where(JudgeExpertise.judge_id.in_(ids))))
    done |= set(db.session.scalars(sa.select(DeclaredConflict.judge_id).where(DeclaredConflict.judge_id.in_(ids))))
    given = 0
    for index, (username, (fields, conflicts)) in enumerate(plan.profiles.items()):
        judge = users[username]
        if judge.id in done:
            continue
        if at is not None:
            at(plan.profiles_at + index * 7 * STEP)
        update_profile(judge, judge, org_id=judge.org_id, fields=fields,
                       conflict_org_ids=[orgs[key].id for key in conflicts])
        given += 1
    return given


def judge_edition(edition: Edition, labels: Labels, users: dict[str, User], orgs: dict[str, Organization]
                  ) -> list[str]:
    """Run CIC8-NB's judging from the close of bidding to published results; the summary lines."""
    organizer, plan = users["organizer"], dataset.judging()
    with demo_clock() as at:
        profiles = ensure_profiles(users, orgs, at)
        opened = open_online_review(edition, organizer, at(plan.review_opened_at))
        at(plan.assigned_at)
        assigned = auto_assign(edition, organizer, seed=plan.assign_seed)
        db.session.execute(sa.update(Assignment).where(Assignment.bid_id.in_(_bid_ids(edition)))
                           .values(created_at=plan.assigned_at))
        recused = _recusal(edition, users, at)
        sheets = _online_round(edition, labels, organizer, at)
        chosen = confirm_finalists(edition, organizer, at(plan.finalists_at))
        final_lines = run_final(edition, labels, users, at)
        _settle(edition)
    profile_line = [_("评审专家档案：登记 %(count)s 位专家的擅长领域与声明回避单位", count=profiles)] if profiles else []
    return profile_line + [
        _("%(code)s 初评：%(bids)s 份挑战报告，每份 %(per_bid)s 位专家（自动分配，seed=%(seed)s，"
          "%(judges)s 位专家参评）；%(recusal)s提交初评评分表 %(sheets)s 份",
          code=edition.code, bids=assigned.bids, per_bid=edition.judges_per_bid, seed=plan.assign_seed,
          judges=assigned.judges, recusal=recused, sheets=sheets),
        _("%(code)s 入围：%(final)s 个需求 %(finalists)s 份挑战报告进入现场赛；无人揭榜 %(no_bid)s 个、"
          "无挑战报告达到 %(score)s 分 %(below)s 个需求流榜",
          code=edition.code, final=chosen["final"], finalists=chosen["finalists"], no_bid=opened["failed"],
          score=f"{edition.qualifying_score.normalize():f}", below=chosen["failed"]),
        *final_lines,
    ]


def _bid_ids(edition: Edition) -> sa.Select:
    return sa.select(Bid.id).join(Need, Need.id == Bid.need_id).where(Need.edition_id == edition.id)


def _recusal(edition: Edition, users: dict[str, User], at: Clock) -> str:
    """The recusing judge steps back from their first assigned bid; it goes to another eligible judge."""
    username, reason = dataset.judging().recusal
    judge = users[username]
    assignment = db.session.scalar(
        sa.select(Assignment).where(Assignment.judge_id == judge.id, Assignment.status == AssignmentStatus.ASSIGNED,
                                    Assignment.bid_id.in_(_bid_ids(edition))).order_by(Assignment.bid_id))
    if assignment is None:
        return ""
    moment = at(dataset.judging().assigned_at + timedelta(days=1, hours=2))
    substitute = recuse(assignment, judge, reason, moment)
    if substitute is None:
        return _("%(judge)s申请回避 1 份（未能改派）；", judge=judge.display_name)
    db.session.execute(sa.update(Assignment).where(Assignment.bid_id == assignment.bid_id,
                                                   Assignment.judge_id == substitute.id).values(created_at=moment))
    return _("%(judge)s申请回避 1 份，已改派%(substitute)s；", judge=judge.display_name,
             substitute=substitute.display_name)


def _online_round(edition: Edition, labels: Labels, organizer: User, at: Clock) -> int:
    """Every active assignment gets a submitted sheet, each judge's spread over the review weeks."""
    plan = dataset.judging()
    criteria = [(c.id, c.max_points) for c in rubric_for(edition.id, Round.ONLINE).criteria]
    rows = db.session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.ASSIGNED,
                                    Assignment.bid_id.in_(_bid_ids(edition)))
        .options(joinedload(Assignment.bid), joinedload(Assignment.judge))
        .order_by(Assignment.judge_id, Assignment.bid_id))
    by_judge: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in rows:
        by_judge[assignment.judge_id].append(assignment)
    count = 0
    for j, assignments in enumerate(by_judge.values()):
        start = j % 4
        for k, assignment in enumerate(assignments):
            moment = plan.online_first_day + timedelta(days=start + k * (plan.online_days - start) // len(assignments),
                                                  hours=(3 * k + j) % 8, minutes=(17 * k + 7 * j) % 60)
            need_key, team = labels.bid(assignment.bid)
            judge = assignment.judge
            rng = judge_rng(edition.code, Round.ONLINE.value, need_key, team, judge.username)
            points = sheet_points(criteria, plan.grades[(need_key, team)][0], rng)
            text = comment(sum(points.values()), plan.online_comments, rng)
            if k == 0 and judge.username == plan.reopening[0]:
                _mistyped_then_corrected(assignment, points, text, criteria, organizer, moment, at)
            else:
                save_sheet(judge=judge, bid=assignment.bid, round_=Round.ONLINE, points=as_text(points), comment=text,
                           version=None, submit=True, now=at(moment))
            count += 1
    return count


def _mistyped_then_corrected(assignment: Assignment, points: dict[int, Decimal], text: str,
                             criteria: list[tuple[int, Decimal]], organizer: User, moment: datetime,
                             at: Clock) -> None:
    """A sheet submitted with its first criterion mistyped (a tenth of it), reopened and submitted again."""
    first = criteria[0][0]
    typo = {**points, first: (points[first] / 10).quantize(Decimal("0.1"), rounding=ROUND_DOWN)}
    judge, bid = assignment.judge, assignment.bid
    sheet = save_sheet(judge=judge, bid=bid, round_=Round.ONLINE, points=as_text(typo), comment=text, version=None,
                       submit=True, now=at(moment))
    name = rubric_for(bid.need.edition_id, Round.ONLINE).criteria[0].name
    reason = dataset.judging().reopening[1].format(criterion=name, points=typo[first])
    reopen_sheet(sheet, organizer, reason, at(moment + timedelta(hours=20)))
    save_sheet(judge=judge, bid=bid, round_=Round.ONLINE, points=as_text(points), comment=text, version=sheet.version,
               submit=True, now=at(moment + timedelta(days=1, hours=3)))


def _settle(edition: Edition) -> None:
    """Date each need and bid by its last judging step (not by the seeding day); mark the 2024 notices read."""
    plan = dataset.judging()
    decided = dict(db.session.execute(
        sa.select(FirmConfirmation.need_id, FirmConfirmation.created_at)
        .join(Need, Need.id == FirmConfirmation.need_id).where(Need.edition_id == edition.id)).all())
    on_site = set(db.session.scalars(sa.select(ScoreSheet.bid_id).where(
        ScoreSheet.round == Round.ONSITE, ScoreSheet.bid_id.in_(_bid_ids(edition)))))
    with_bids: set[int] = set()
    for bid in db.session.scalars(sa.select(Bid).where(Bid.id.in_(_bid_ids(edition)))):
        with_bids.add(bid.need_id)
        bid.updated_at = decided[bid.need_id] if bid.id in on_site else plan.finalists_at
    for need in db.session.scalars(sa.select(Need).where(Need.edition_id == edition.id)):
        need.updated_at = decided.get(need.id, plan.finalists_at if need.id in with_bids else plan.review_opened_at)
    db.session.execute(sa.update(Notice).where(Notice.read_at.is_(None), Notice.created_at >= plan.review_opened_at,
                                               Notice.created_at <= plan.results_at).values(read_at=plan.results_at))
    db.session.flush()


def outcome_line(edition: Edition) -> str:
    """“CIC8-NB：18 个需求揭榜成功，N 个流榜” with the reasons of the failures."""
    counts = dict(db.session.execute(
        sa.select(Need.status, sa.func.count(Need.id)).where(Need.edition_id == edition.id).group_by(Need.status)
    ).all())
    declined = db.session.scalar(
        sa.select(sa.func.count(FirmConfirmation.id)).join(Need, Need.id == FirmConfirmation.need_id)
        .where(Need.edition_id == edition.id, FirmConfirmation.decision == FirmDecision.DECLINE))
    no_bid = db.session.scalar(
        sa.select(sa.func.count(Need.id)).where(
            Need.edition_id == edition.id, Need.status == NeedStatus.FAILED,
            ~sa.exists().where(Bid.need_id == Need.id, Bid.status != BidStatus.DRAFT,
                               Bid.status != BidStatus.WITHDRAWN)))
    failed = counts.get(NeedStatus.FAILED, 0)
    return _("%(code)s：%(awarded)s 个需求揭榜成功，%(failed)s 个流榜"
             "（无人揭榜 %(no_bid)s、初评无人入围 %(below)s、企业不予确认 %(declined)s）",
             code=edition.code, awarded=counts.get(NeedStatus.AWARDED, 0), failed=failed, no_bid=no_bid,
             below=failed - no_bid - declined, declined=declined)
