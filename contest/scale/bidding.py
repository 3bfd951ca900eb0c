"""Needs with their screening, and bids with their challenge-report files: the edition up to bidding's close.

Pure. Each need and bid is a record whose status and dates the later stages move on; the rows are written
from the records at the end (tables()).
"""
from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..demo.report_pdf import build_pdf
from ..domain.choices import CooperationMode, NeedCategory, NeedField
from ..domain.markets import seed_markets
from ..domain.states import BidStatus, NeedStatus, ReviewDecision
from ..models import Bid, Need, NeedReview
from . import words as w
from .people import People
from .plan import Calendar, Ids, Sizes, Stage, Table, stream, token

# The markets the migration seeds, ids 1 to 26 in list order: each need names one at random.
MARKETS = len(seed_markets())
FIELD_WEIGHTS = {NeedField.ELECTRONIC_INFO: 16, NeedField.MECHATRONICS: 18, NeedField.BIOTECH_PHARMA: 8,
                 NeedField.NEW_MATERIALS: 12, NeedField.MODERN_AGRICULTURE: 4, NeedField.NEW_ENERGY: 9,
                 NeedField.RESOURCES_ENVIRONMENT: 7, NeedField.HIGH_TECH_SERVICES: 8, NeedField.MARINE: 4,
                 NeedField.PUBLIC_AFFAIRS: 3, NeedField.HEALTHCARE: 7, NeedField.OTHER: 4}
BUDGETS = (50, 80, 100, 120, 150, 200, 300, 400, 500, 800, 1000)


@dataclass
class NeedRec:
    id: int
    firm: int                      # index of the firm (People.firm_org)
    field: NeedField
    name: str
    status: NeedStatus
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    updated_at: datetime
    row: dict                      # the columns that never change
    weak: bool = False             # no bid of it is meant to reach the qualifying score
    bids: list["BidRec"] = field(default_factory=list)


@dataclass
class BidRec:
    id: int
    need: NeedRec
    team_id: int
    status: BidStatus
    quality: int                   # the total its judges aim at, out of 100
    created_at: datetime
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    updated_at: datetime
    row: dict


@dataclass
class Bidding:
    needs: list[NeedRec]
    reviews: Table
    files: list[tuple[str, str, bytes]]     # (storage folder, stored name, content)


def _counts(total: int, weights: list[float], cap: int) -> list[int]:
    """`total` bids spread over needs in proportion to their weights (largest remainder), each at most cap."""
    if not weights:
        return []
    scale = sum(weights)
    raw = [total * x / scale for x in weights]
    counts = [min(cap, max(1, math.floor(r))) if total >= len(weights) else 0 for r in raw]
    if total < len(weights):
        return [1 if i < total else 0 for i in range(len(weights))]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - math.floor(raw[i])), i))
    while sum(counts) != total:
        step = 1 if sum(counts) < total else -1
        moved = False
        for i in order:
            if (step > 0 and counts[i] < cap) or (step < 0 and counts[i] > 1):
                counts[i] += step
                moved = True
                if sum(counts) == total:
                    break
        if not moved:
            break
    return counts


def _share(n: int, fraction: float) -> int:
    """round(n * fraction), but at least one when there are three or more to take from."""
    return max(1 if n >= 3 else 0, round(n * fraction))


def _period_end(start: date, months: int) -> date:
    index = start.month - 1 + months
    return date(start.year + index // 12, index % 12 + 1, 1) - timedelta(days=1)


def _need(rng: random.Random, need_id: int, firm: int, people: People, cal: Calendar) -> NeedRec:
    field_ = rng.choices(list(FIELD_WEIGHTS), weights=list(FIELD_WEIGHTS.values()))[0]
    topic, industry = rng.choice(w.FIELD_TOPICS[field_]), rng.choice(w.INDUSTRIES)
    name = f"面向{industry}的{topic}{rng.choice(w.NEED_VERBS)}"
    span = int((cal.needs_until - cal.needs_from).total_seconds()) - 12 * 86400
    created = cal.needs_from + timedelta(seconds=rng.randrange(span))
    months = rng.choice((12, 18, 24, 24, 36))
    firm_users = people.firm_users[firm]
    row = dict(edition_id=0, firm_org_id=people.firm_org[firm], created_by_id=firm_users[0], name=name,
               category=rng.choice(list(NeedCategory)), field=field_, industry=industry,
               keywords=",".join(dict.fromkeys((topic, industry, w.TRADES[need_id % len(w.TRADES)]))),
               problem=f"{industry}企业在{topic}方面长期依赖进口或人工经验，效率低、成本高，亟需突破。",
               key_points=f"{topic}的核心算法、工艺或材料配方；关键指标需达到国际同类产品水平并可现场考核。",
               goals=f"形成可在企业产线部署的{topic}成套技术，完成现场验证并形成自主知识产权。",
               budget_wan=Decimal(rng.choice(BUDGETS)), period_start=cal.period_start,
               period_end=_period_end(cal.period_start, months), cooperation=rng.choice(list(CooperationMode)),
               market_id=rng.randint(1, MARKETS), anonymous=rng.random() < 0.1)
    return NeedRec(need_id, firm, field_, name, NeedStatus.PUBLISHED, created, None, None, created, row)


def _screen(rng: random.Random, need: NeedRec, stage: Stage, organizer: int, ids: Ids, reviews: Table) -> None:
    """The need's submission and the organizer's decision: most published, a few rejected or withdrawn."""
    need.submitted_at = need.created_at + timedelta(days=rng.randint(1, 5), minutes=rng.randint(0, 300))
    r = rng.random()
    if r < 0.01:
        need.status, need.updated_at = NeedStatus.WITHDRAWN, need.submitted_at + timedelta(days=1)
        return
    decided = need.submitted_at + timedelta(days=rng.randint(1, 4), minutes=rng.randint(0, 300))
    if r < 0.03:
        if stage == Stage.BIDDING and r < 0.02:
            need.status, need.updated_at = NeedStatus.SUBMITTED, need.submitted_at   # still in the queue
            return
        need.status, need.updated_at = NeedStatus.REJECTED, decided
        reviews.add(id=ids.next("need_review"), need_id=need.id, reviewer_id=organizer, created_at=decided,
                    decision=ReviewDecision.REJECT, comment=w.REJECT_COMMENT)
        return
    need.published_at = need.updated_at = decided
    reviews.add(id=ids.next("need_review"), need_id=need.id, reviewer_id=organizer, created_at=decided,
                decision=ReviewDecision.APPROVE, comment=w.APPROVE_COMMENTS[need.id % 3])


def _plan_text(months: int) -> str:
    first, second = max(2, months // 4), max(4, months * 2 // 3)
    return (f"第1—{first}个月：现场调研，细化技术方案与验收指标；第{first + 1}—{second}个月：样机研制与实验室测试；"
            f"第{second + 1}—{months}个月：企业现场应用验证与优化，提交验收材料。")


def _bid(rng: random.Random, bid_id: int, need: NeedRec, team_id: int, submitted: datetime, seed: int, code: str,
         people: People, cal: Calendar, files: list) -> BidRec:
    months = rng.choice((6, 9, 12, 18, 24, 36))
    ratio = Decimal(rng.randint(55, 105)) / 100
    price = max(Decimal(1), (need.row["budget_wan"] * ratio).quantize(Decimal("1")))
    # A weak need's bids stay at 52 or below: with the judges' spread (±7) none reaches 60.
    quality = min(52, round(rng.gauss(47, 4))) if need.weak else max(30, min(95, round(rng.gauss(68, 10))))
    approach = f"{rng.choice(w.APPROACHES)}，重点解决{need.row['key_points'][:40]}"
    row = dict(need_id=need.id, team_id=team_id, approach=approach,
               innovation=rng.choice(w.INNOVATIONS), indicators=f"关键指标优于需求要求，可在企业现场考核；研发周期 {months} 个月。",
               plan=_plan_text(months), price_wan=price, duration_months=months,
               ip_background=f"团队在相关方向拥有授权发明专利 {rng.randint(1, 12)} 项。", strengths=rng.choice(w.STRENGTHS),
               declaration_accepted=True, pdf_stored_name=None, pdf_original_name=None, pdf_size=None, pdf_sha256=None)
    r = rng.random()
    status = BidStatus.DRAFT if r < 0.01 else BidStatus.WITHDRAWN if r < 0.02 else BidStatus.SUBMITTED
    created = submitted - timedelta(hours=2, minutes=rng.randint(0, 59))
    bid = BidRec(bid_id, need, team_id, status, quality, created, submitted, None, submitted, row)
    if status == BidStatus.DRAFT:
        row["declaration_accepted"] = False
        bid.submitted_at, bid.updated_at = None, created
        return bid
    content = build_pdf("挑战报告", [f"技术需求：{need.name}", f"揭榜团队：{people.team_name[team_id]}",
                                     f"报价：{price} 万元；研发周期：{months} 个月", f"技术方案：{row['approach']}",
                                     f"创新点：{row['innovation']}", "（规模测试数据，由 seed-scale 生成）"])
    name = f"{token(seed, code, 'bid', bid_id)}.pdf"
    row.update(pdf_stored_name=name, pdf_original_name=f"{people.team_name[team_id]}-挑战报告.pdf"[:200],
               pdf_size=len(content), pdf_sha256=hashlib.sha256(content).hexdigest())
    files.append(("bids", name, content))
    if status == BidStatus.WITHDRAWN:
        withdrawn = min(submitted + timedelta(days=1), cal.bidding_deadline - timedelta(minutes=1))
        bid.withdrawn_at = bid.updated_at = withdrawn
    return bid


def make_bidding(sizes: Sizes, seed: int, code: str, stage: Stage, ids: Ids, people: People, cal: Calendar) -> Bidding:
    """The edition's needs (screened) and bids (most submitted, a few drafts and withdrawals)."""
    rng, reviews, files = stream(seed, code, "bidding"), Table(NeedReview, (
        "id", "need_id", "reviewer_id", "decision", "comment", "created_at")), []
    firms = [n % sizes.firms for n in range(sizes.needs)]
    rng.shuffle(firms)
    needs = []
    for firm in firms:
        need = _need(rng, ids.next("need"), firm, people, cal)
        _screen(rng, need, stage, people.organizer_id, ids, reviews)
        needs.append(need)
    published = [n for n in needs if n.status == NeedStatus.PUBLISHED]
    # About 5 % draw no bid at all and 12 % of the others no bid reaching 60 (流榜): at least one of each.
    unbid = set(rng.sample(range(len(published)), _share(len(published), 0.05)))
    open_needs = [n for i, n in enumerate(published) if i not in unbid]
    for i in rng.sample(range(len(open_needs)), _share(len(open_needs), 0.12)):
        open_needs[i].weak = True
    counts = _counts(sizes.bids, [rng.lognormvariate(0, 0.8) for _ in open_needs], len(people.team_ids))
    for need, count in zip(open_needs, counts):
        window = int((cal.bidding_deadline - need.published_at).total_seconds() // 60) - 24 * 60 - 60
        minutes = sorted(rng.sample(range(max(window, count)), count))    # distinct: the last tie-break
        for team_id, minute in zip(rng.sample(people.team_ids, count), minutes):
            submitted = need.published_at + timedelta(days=1, minutes=minute)
            need.bids.append(_bid(rng, ids.next("bid"), need, team_id, submitted, seed, code, people, cal, files))
    return Bidding(needs, reviews, files)


NEED_COLUMNS = ("id", "status", "submitted_at", "published_at", "created_at", "updated_at", "edition_id",
                "firm_org_id", "created_by_id", "name", "category", "field", "industry", "keywords", "problem",
                "key_points", "goals", "budget_wan", "period_start", "period_end", "cooperation", "market_id",
                "anonymous")
BID_COLUMNS = ("id", "status", "submitted_at", "withdrawn_at", "created_at", "updated_at", "need_id", "team_id",
               "approach", "innovation", "indicators", "plan", "price_wan", "duration_months", "ip_background",
               "strengths", "declaration_accepted", "pdf_stored_name", "pdf_original_name", "pdf_size", "pdf_sha256")


def tables(needs: list[NeedRec], edition_id: int) -> tuple[Table, Table]:
    """The need and bid rows as the records stand after the last stage."""
    need_table, bid_table = Table(Need, NEED_COLUMNS), Table(Bid, BID_COLUMNS)
    for need in needs:
        need.row["edition_id"] = edition_id
        need_table.add(id=need.id, status=need.status, submitted_at=need.submitted_at, published_at=need.published_at,
                       created_at=need.created_at, updated_at=need.updated_at, **need.row)
        for bid in need.bids:
            bid_table.add(id=bid.id, status=bid.status, submitted_at=bid.submitted_at, withdrawn_at=bid.withdrawn_at,
                          created_at=bid.created_at, updated_at=bid.updated_at, **bid.row)
    return need_table, bid_table
