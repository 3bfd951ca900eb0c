"""Aggregating score sheets, final scores, ranking within a need and choosing finalists (Decimal only)."""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

BidId = Hashable
JudgeId = Hashable

TWO_PLACES = "0.01"
SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
DEFAULT_ONLINE_WEIGHT = Decimal("0.3")
DEFAULT_ONSITE_WEIGHT = Decimal("0.7")
# Working precision for means, z-scores and square roots: far beyond the 2 places we keep.
_PRECISION = 60

# The rules of rank_entries, in the order they are applied; "unresolved" when none separates two entries.
RULES = ("score", "onsite", "top_criterion", "submitted_at")
UNRESOLVED = "unresolved"


def _require_decimal(value: Decimal, what: str = "value") -> Decimal:
    """A Decimal (ints are accepted); floats are refused so binary rounding never creeps in."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} must be finite")
    return number


def round_half_up(value: Decimal, places: str = TWO_PLACES) -> Decimal:
    """`value` rounded half-up (ties away from zero) to the exponent of `places`, e.g. 78.335 → 78.34."""
    number = _require_decimal(value)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _mean(values: Sequence[Decimal]) -> Decimal:
    """The unrounded mean, at working precision."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return sum(values, Decimal(0)) / len(values)


def round_score(totals: Sequence[Decimal], *, trim_from: int = 5) -> Decimal:
    """A bid's round score: mean of the totals, dropping one highest and one lowest when there are ≥ trim_from."""
    values = [_require_decimal(t, "total") for t in totals]
    if not values:
        raise ValueError("no totals to aggregate")
    if trim_from < 3:
        raise ValueError("trim_from must be at least 3, or nothing would be left after trimming")
    if len(values) >= trim_from:
        values = sorted(values)[1:-1]   # exactly one of each, even when several are equal
    return round_half_up(_mean(values))


def _population_sd(values: Sequence[Decimal], mean: Decimal) -> Decimal:
    """Population standard deviation, at working precision."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
        return variance.sqrt()


def normalize_by_judge(
    scores: Mapping[JudgeId, Mapping[BidId, Decimal]],
) -> dict[JudgeId, dict[BidId, Decimal]]:
    """Per-judge z-score normalization, for the online round where judges see different bids.

    For each judge, z = (x − judge mean) / judge sd (population sd over that judge's scores).
    z is mapped back onto the 0–100 scale as overall mean + z × overall sd, where the overall mean
    and sd (population) are those of all scores of all judges pooled. A judge with a single score,
    or whose scores are all equal (sd 0), gets z = 0, i.e. the overall mean for each of them.
    Results are clamped to [0, 100] and rounded half-up to 2 places. Each judge's order of bids is
    preserved (ties stay ties); a strict order may collapse only through clamping or rounding.
    """
    checked = {
        judge: {bid: _require_decimal(x, "score") for bid, x in bids.items()}
        for judge, bids in scores.items()
    }
    pooled = [x for bids in checked.values() for x in bids.values()]
    if not pooled:
        return {judge: {} for judge in checked}
    overall_mean = _mean(pooled)
    overall_sd = _population_sd(pooled, overall_mean)
    result: dict[JudgeId, dict[BidId, Decimal]] = {}
    for judge, bids in checked.items():
        values = list(bids.values())
        judge_mean = _mean(values) if values else Decimal(0)
        judge_sd = _population_sd(values, judge_mean) if len(values) > 1 else Decimal(0)
        normalized: dict[BidId, Decimal] = {}
        for bid, x in bids.items():
            with localcontext() as ctx:
                ctx.prec = _PRECISION
                z = (x - judge_mean) / judge_sd if judge_sd else Decimal(0)
                mapped = overall_mean + z * overall_sd
            normalized[bid] = round_half_up(min(max(mapped, SCORE_MIN), SCORE_MAX))
        result[judge] = normalized
    return result


def final_score(
    online: Decimal, onsite: Decimal, *, online_weight: Decimal, onsite_weight: Decimal,
) -> Decimal:
    """online_weight × online + onsite_weight × onsite, half-up to 2 places; weights ≥ 0 summing to 1."""
    w_online = _require_decimal(online_weight, "online_weight")
    w_onsite = _require_decimal(onsite_weight, "onsite_weight")
    if w_online < 0 or w_onsite < 0:
        raise ValueError("weights must not be negative")
    if w_online + w_onsite != 1:
        raise ValueError("weights must sum to 1")
    a = _require_decimal(online, "online")
    b = _require_decimal(onsite, "onsite")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return round_half_up(w_online * a + w_onsite * b)


@dataclass(frozen=True)
class Entry:
    """One bid of a need, with everything its ranking looks at."""

    bid_id: BidId
    score: Decimal
    onsite: Decimal | None
    top_criterion_mean: Decimal | None
    submitted_at: datetime


@dataclass(frozen=True)
class Ranked:
    """A bid's place within its need; `tied_with` lists bids it could not be separated from."""

    bid_id: BidId
    rank: int
    score: Decimal
    tied_with: tuple[BidId, ...]
    decided_by: str


@dataclass(frozen=True)
class Finalists:
    """Bids going on to the on-site round; `failed` means no bid qualified (流榜)."""

    bids: tuple[BidId, ...]
    failed: bool
    boundary_tie: tuple[BidId, ...]


def _sort_key(entry: Entry) -> tuple:
    """Best first: score desc, onsite desc, top criterion desc (None last), then earlier submission."""
    def desc(value: Decimal | None) -> tuple:
        # copy_negate is exact (unary minus would round to the context precision)
        return (True, Decimal(0)) if value is None else (False, Decimal(value).copy_negate())

    return (desc(entry.score), desc(entry.onsite), desc(entry.top_criterion_mean), (entry.submitted_at,))


def _separating_rule(a: tuple, b: tuple) -> int:
    """Index into RULES of the first rule on which two sort keys differ; len(RULES) if none does."""
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return len(RULES)


def rank_entries(entries: Sequence[Entry]) -> list[Ranked]:
    """Competition ranking ("1, 1, 3") by score, then onsite, top criterion mean, earlier submission.

    `decided_by` names the deepest rule needed to separate the entry from its neighbours above and
    below ("score" for an entry alone); entries equal on every rule share a rank, list each other in
    `tied_with` and are marked "unresolved" so the organizer decides.
    """
    ids = [e.bid_id for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate bid in ranking")
    ordered = sorted(entries, key=_sort_key)   # stable: fully tied entries keep the caller's order
    keys = [_sort_key(e) for e in ordered]

    groups: list[list[int]] = []
    for i in range(len(ordered)):
        if groups and keys[i] == keys[groups[-1][0]]:
            groups[-1].append(i)
        else:
            groups.append([i])

    result: list[Ranked] = []
    for group in groups:
        rank = group[0] + 1
        members = [ordered[i].bid_id for i in group]
        for i in group:
            depth = 0
            if i > 0:
                depth = max(depth, _separating_rule(keys[i - 1], keys[i]))
            if i + 1 < len(ordered):
                depth = max(depth, _separating_rule(keys[i], keys[i + 1]))
            entry = ordered[i]
            result.append(Ranked(
                bid_id=entry.bid_id,
                rank=rank,
                score=entry.score,
                tied_with=tuple(b for b in members if b != entry.bid_id),
                decided_by=RULES[depth] if depth < len(RULES) else UNRESOLVED,
            ))
    return result


def select_finalists(online: Sequence[Entry], *, n: int, qualifying: Decimal) -> Finalists:
    """The top n online entries scoring ≥ qualifying; an unresolved tie across n-th place takes all of it."""
    if n < 1:
        raise ValueError("n must be at least 1")
    threshold = _require_decimal(qualifying, "qualifying")
    ranked = [r for r in rank_entries(online) if r.score >= threshold]
    if not ranked:
        return Finalists(bids=(), failed=True, boundary_tie=())
    chosen = [r for r in ranked if r.rank <= n]   # a shared rank ≤ n brings in the whole tie
    boundary: tuple[BidId, ...] = ()
    if len(chosen) > n:
        last = chosen[-1]
        boundary = tuple(r.bid_id for r in chosen if r.rank == last.rank)
    return Finalists(bids=tuple(r.bid_id for r in chosen), failed=False, boundary_tie=boundary)


def ranked_enough(submitted_sheets: int, minimum: int) -> bool:
    """Whether a bid has enough submitted sheets to be ranked (never with none at all)."""
    return submitted_sheets >= max(minimum, 1)
