"""The online round: review opened, judges assigned, online sheets, finalists chosen.

Pure. The assignment is a simple deterministic rule, not the app's min-cost flow (far too slow for 20,000
bids): bid by bid, the judges not conflicted with it (own or declared organization touching the team's
lead or members' organizations or the firm), in-field ones alone when there are enough of them, least
loaded first, ties broken by a rotation. A bid with fewer eligible judges than judges_per_bid gets them
all and is left short, as the app's assignment leaves it.
"""
from __future__ import annotations

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from ..demo.scores import sheet_points
from ..domain.rubric import Round
from ..domain.scoring import Entry, round_half_up, round_score, select_finalists
from ..domain.states import AssignmentStatus, BidStatus, NeedStatus, SheetStatus
from ..models import Assignment, Notice, ScoreItem, ScoreSheet
from . import words as w
from .bidding import BidRec, NeedRec
from .people import Judge, People
from .plan import Calendar, Ids, Stage, Table, stream

PER_BID, MIN_SHEETS, FINALISTS, QUALIFYING = 5, 3, 3, Decimal("60")
Criteria = list[tuple[int, Decimal]]   # (criterion id, maximum points), in position order
SHEET_COLUMNS = ("id", "round", "bid_id", "judge_id", "status", "comment", "submitted_at", "updated_at", "version")


@dataclass
class Sheets:
    """Score sheets and their items, as rows; each submitted sheet's total and top-criterion points by bid."""

    sheets: Table = field(default_factory=lambda: Table(ScoreSheet, SHEET_COLUMNS))
    items: Table = field(default_factory=lambda: Table(ScoreItem, ("id", "sheet_id", "criterion_id", "points")))
    totals: dict[int, list[Decimal]] = field(default_factory=lambda: defaultdict(list))
    tops: dict[int, list[Decimal]] = field(default_factory=lambda: defaultdict(list))

    def add(self, ids: Ids, rng: random.Random, round_: Round, bid: BidRec, judge_id: int, criteria: Criteria,
            target: int, comment, moment: datetime, submitted: bool = True) -> Decimal:
        sheet_id = ids.next("score_sheet")
        points = sheet_points(criteria, target, rng)
        total = sum(points.values(), Decimal("0"))
        self.sheets.add(id=sheet_id, round=round_, bid_id=bid.id, judge_id=judge_id,
                        status=SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT, comment=comment(total),
                        submitted_at=moment if submitted else None, updated_at=moment, version=1)
        for criterion_id, value in points.items():
            self.items.add(id=ids.next("score_item"), sheet_id=sheet_id, criterion_id=criterion_id, points=value)
        if submitted:
            self.totals[bid.id].append(total)
            self.tops[bid.id].append(points[top_criterion(criteria)])
        return total


def top_criterion(criteria: Criteria) -> int:
    """The criterion with the largest maximum, the first by position among equals (standings' tie-break)."""
    best = max(m for _, m in criteria)
    return next(c for c, m in criteria if m == best)


def mean(values: list[Decimal]) -> Decimal | None:
    return round_half_up(sum(values, Decimal(0)) / len(values)) if values else None


@dataclass
class Online:
    assignments: Table
    notices: Table
    sheets: Sheets
    active: dict[int, list[int]]     # bid id -> its assigned judges
    short: dict[int, int]            # bid id -> judges missing


def open_review(needs: list[NeedRec], cal: Calendar) -> list[BidRec]:
    """Bidding closes: needs with a submitted bid go to review, the others fail (无人揭榜); the bids judged."""
    judged = []
    for need in needs:
        if need.status != NeedStatus.PUBLISHED:
            continue
        mine = [b for b in need.bids if b.status == BidStatus.SUBMITTED]
        need.status = NeedStatus.IN_REVIEW if mine else NeedStatus.FAILED
        need.updated_at = cal.review_opened_at
        judged += mine
    return judged


def _choose(bid: BidRec, orgs: frozenset[str], judges: list[Judge], by_org: dict, by_field: dict,
            load: list[int], want: int) -> list[int]:
    """Indices of up to `want` judges for a bid: unconflicted, in-field alone when enough, least loaded."""
    conflicted = set().union(*(by_org.get(o, ()) for o in orgs))
    rotation = bid.id % len(judges)
    in_field = [j for j in by_field.get(bid.need.field, ()) if j not in conflicted]
    pool = in_field if len(in_field) >= want else [j for j in range(len(judges)) if j not in conflicted]
    key = (lambda j: (load[j], (j - rotation) % len(judges))) if pool is in_field else (
        lambda j: (bid.need.field not in judges[j].fields, load[j], (j - rotation) % len(judges)))
    return heapq.nsmallest(want, pool, key=key)


def assign_and_score(judged: list[BidRec], people: People, criteria: Criteria, stage: Stage, ids: Ids,
                     seed: int, code: str, cal: Calendar) -> Online:
    """Five judges per bid (about 1 % of bids see a judge recuse, replaced), then their online sheets:
    all submitted from the final on; in online review each judge has done part of their share."""
    rng = stream(seed, code, "online")
    judges = people.judges
    by_org: dict[str, set[int]] = defaultdict(set)
    by_field: dict = defaultdict(list)
    for j, judge in enumerate(judges):
        for org in judge.touches:
            by_org[org].add(j)
        for f in judge.fields:
            by_field[f].append(j)
    load = [0] * len(judges)
    assignments = Table(Assignment, ("id", "bid_id", "judge_id", "status", "recusal_reason", "created_at"))
    notices = Table(Notice, ("id", "user_id", "text", "created_at", "read_at"))
    online = Online(assignments, notices, Sheets(), {}, {})
    read_at = None if stage == Stage.REVIEW else cal.finalists_at
    for bid in judged:
        orgs = people.team_orgs[bid.team_id] | {people.org_name[bid.need.row["firm_org_id"]]}
        recusal = rng.random() < 0.01
        chosen = _choose(bid, orgs, judges, by_org, by_field, load, PER_BID + 1 if recusal else PER_BID)
        quitter = chosen.pop(0) if recusal and len(chosen) > PER_BID else None
        late = chosen[-1] if quitter is not None else None   # the substitute, assigned after the recusal
        for j in chosen:
            load[j] += 1
            if j != late:
                assignments.add(id=ids.next("assignment"), bid_id=bid.id, judge_id=judges[j].id,
                                status=AssignmentStatus.ASSIGNED, recusal_reason="", created_at=cal.assigned_at)
        if quitter is not None:
            _recuse(online, ids, bid, judges[quitter], judges[late], people.organizer_id, cal, read_at)
        online.active[bid.id] = [judges[j].id for j in chosen]
        if len(chosen) < PER_BID:
            online.short[bid.id] = PER_BID - len(chosen)
    _online_sheets(online, judged, criteria, stage, ids, rng, cal)
    return online


def _recuse(online: Online, ids: Ids, bid: BidRec, quitter: Judge, substitute: Judge, organizer: int,
            cal: Calendar, read_at: datetime | None) -> None:
    """The judge steps back with a reason the day after the assignment; the bid goes to the substitute."""
    moment = cal.assigned_at + timedelta(days=1, minutes=bid.id % 600)
    online.assignments.add(id=ids.next("assignment"), bid_id=bid.id, judge_id=quitter.id,
                           status=AssignmentStatus.RECUSED, recusal_reason=w.RECUSAL_REASON, created_at=cal.assigned_at)
    online.assignments.add(id=ids.next("assignment"), bid_id=bid.id, judge_id=substitute.id,
                           status=AssignmentStatus.ASSIGNED, recusal_reason="", created_at=moment)
    online.notices.add(id=ids.next("notice"), user_id=substitute.id, created_at=moment, read_at=read_at,
                       text=f"您有一份新的初评任务：挑战报告 #{bid.id}（{bid.need.name}）")
    text = (f"评审专家{quitter.display_name}申请回避挑战报告 #{bid.id}（{bid.need.name}）。"
            f"已自动改派给{substitute.display_name}。理由：{w.RECUSAL_REASON}")
    online.notices.add(id=ids.next("notice"), user_id=organizer, text=text[:500], created_at=moment, read_at=read_at)


def _online_sheets(online: Online, judged: list[BidRec], criteria: Criteria, stage: Stage, ids: Ids,
                   rng: random.Random, cal: Calendar) -> None:
    """Each judge works through their bids over the review weeks (in review: up to `review_now`, part done)."""
    by_judge: dict[int, list[BidRec]] = defaultdict(list)
    for bid in judged:
        for judge_id in online.active[bid.id]:
            by_judge[judge_id].append(bid)
    end = cal.review_now if stage == Stage.REVIEW else cal.finalists_at - timedelta(days=3)
    start = cal.assigned_at + timedelta(hours=2)
    span = (end - start).total_seconds()
    done: dict[tuple[int, int], tuple[datetime, bool]] = {}
    for judge_id in sorted(by_judge):
        mine = by_judge[judge_id]
        share = 1.0 if stage != Stage.REVIEW else rng.choice((0.2, 0.5, 0.7, 0.9, 1.0, 1.0))
        finished = round(share * len(mine))
        for k, bid in enumerate(mine):
            moment = start + timedelta(seconds=int(span * (k + rng.random()) / len(mine)))
            if k < finished:
                done[(bid.id, judge_id)] = (moment, True)
            elif k == finished and rng.random() < 0.5:
                done[(bid.id, judge_id)] = (min(moment, end), False)   # a draft saved, not yet submitted
    for bid in judged:
        for judge_id in online.active[bid.id]:
            if (bid.id, judge_id) in done:
                moment, submitted = done[(bid.id, judge_id)]
                online.sheets.add(ids, rng, Round.ONLINE, bid, judge_id, criteria, bid.quality,
                                  lambda total: w.band_comment(total, w.ONLINE_COMMENTS, rng.choice), moment, submitted)


def choose_finalists(needs: list[NeedRec], sheets: Sheets, cal: Calendar) -> None:
    """Per need in review: the top 3 online bids reaching 60 go to the final, the rest are not selected;
    a need without one fails (流榜). The same rules as the organizer's confirm_finalists."""
    for need in needs:
        if need.status != NeedStatus.IN_REVIEW:
            continue
        judged = [b for b in need.bids if b.status == BidStatus.SUBMITTED]
        entries = [Entry(b.id, round_score(sheets.totals[b.id]), None, mean(sheets.tops[b.id]), b.submitted_at)
                   for b in judged if len(sheets.totals[b.id]) >= MIN_SHEETS]
        chosen = select_finalists(entries, n=FINALISTS, qualifying=QUALIFYING) if entries else None
        finalists = set(chosen.bids) if chosen and not chosen.failed else set()
        for bid in judged:
            bid.status = BidStatus.FINALIST if bid.id in finalists else BidStatus.NOT_SELECTED
            bid.updated_at = cal.finalists_at
        need.status = NeedStatus.FINAL if finalists else NeedStatus.FAILED
        need.updated_at = cal.finalists_at
