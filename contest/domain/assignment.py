"""Automatic judge assignment: k judges per bid, no conflicts, in-field first, load balanced.

A bid's candidates are its eligible in-field judges alone when there are at least k of them; otherwise every
eligible judge, and then every eligible in-field judge is *forced* onto it (scarce experts are never left
out to spare their load), the rest filled out of field.

The assignment is a flow problem: source → bid part (its demand) → judge (1 per pair) → sink (the judge's
capacity). A bid is one part, except a bid with forced judges, split in two parts over disjoint judges: its
in-field judges with a demand equal to their number (so a flow serving every demand uses every forced pair),
and its out-of-field judges with the remaining demand. Full flows of this network are exactly the
assignments that give every bid its demand and contain every forced pair, so the smallest capacity L* that
serves every demand, found by max-flow feasibility checks (the lower bound ⌈pairs / judges⌉ first; at
national scale it is almost always feasible), is the least busiest load any assignment with the forced pairs
fixed allows, and the final min-cost flow at capacity L* meets it exactly (not merely within one of it).
Its costs spread the load: the k-th bid of a judge costs k, a convex cost, so no single swap of one judge for
another on a bid evens the load further. (They also charge each out-of-field pair more than any spreading,
but every full flow has the same out-of-field pairs — each bid's fill — so that charge is a constant: the
forced parts, not the costs, keep scarce experts on their bids, and the balance bound holds as proved.)
Both flows are solved by OR-Tools' compiled solvers: 20,000 bids × 5 judges from 300 judges take seconds,
where a pure-Python network took twenty minutes.
"""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class BidSlot:
    """A bid to judge: its need's field and the organizations it touches (lead, members, firm)."""

    id: Hashable
    field: str
    conflict_orgs: frozenset


@dataclass(frozen=True)
class JudgeSlot:
    """A judge who may be assigned: their fields, own organization (or None) and declared conflicts (as
    org_key()s, like a BidSlot's conflict_orgs)."""

    id: Hashable
    fields: frozenset
    org: Hashable | None
    declared_conflicts: frozenset


@dataclass(frozen=True)
class Assignment:
    """Judge ids per bid (every bid present, lists sorted) and, per under-served bid, how many are missing."""

    by_bid: dict
    short: dict


def eligible(bid: BidSlot, judge: JudgeSlot) -> bool:
    """True when neither the judge's organization nor any declared conflict is one the bid touches. The slots
    carry organizations in one comparable form (contest.domain.conflicts.org_key): this runs millions of times
    in a national assignment, so it compares and normalizes nothing."""
    orgs = bid.conflict_orgs
    return not ((judge.org is not None and judge.org in orgs) or not orgs.isdisjoint(judge.declared_conflicts))


def candidates(bid: BidSlot, judges: list[JudgeSlot], per_bid: int) -> list[JudgeSlot]:
    """The judges a bid may get: its eligible in-field judges alone when there are at least `per_bid`
    of them, otherwise every eligible judge (the in-field ones among them are forced(): all on the bid)."""
    ok = [j for j in judges if eligible(bid, j)]
    in_field = [j for j in ok if bid.field in j.fields]
    return in_field if len(in_field) >= per_bid else ok


def forced(bid: BidSlot, judges: list[JudgeSlot], per_bid: int) -> list[JudgeSlot]:
    """The judges a bid must get: its eligible in-field judges when there are fewer than `per_bid` of them
    (scarce experts are never swapped for out-of-field judges), otherwise none."""
    in_field = [j for j in judges if eligible(bid, j) and bid.field in j.fields]
    return in_field if len(in_field) < per_bid else []


def _check(bids: list[BidSlot], judges: list[JudgeSlot], per_bid: int) -> None:
    """Refuse a non-positive `per_bid` and duplicate bid or judge ids."""
    if isinstance(per_bid, bool) or not isinstance(per_bid, int) or per_bid < 1:
        raise ValueError(f"per_bid must be a positive integer, got {per_bid!r}")
    for kind, items in (("bid", bids), ("judge", judges)):
        ids = [x.id for x in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} ids")


def _candidate_positions(bids: list[BidSlot], judges: list[JudgeSlot],
                         per_bid: int) -> list[tuple[list[int], list[int]]]:
    """Per bid, its (in-field, out-of-field) candidates as positions in `judges` (in that order): the in-field
    ones alone when there are at least `per_bid`, else every eligible judge, the in-field ones forced. Judges
    are indexed by field and by the organizations they must avoid, so a bid costs its in-field judges, not
    every judge, unless it has too few."""
    by_field: dict[str, list[int]] = defaultdict(list)
    avoiding: dict[Hashable, set[int]] = defaultdict(set)  # organization → judges who must avoid it
    for pos, judge in enumerate(judges):
        for f in judge.fields:
            by_field[f].append(pos)
        for org in ({judge.org} if judge.org is not None else set()) | set(judge.declared_conflicts):
            avoiding[org].add(pos)
    result = []
    for bid in bids:
        barred = set().union(*(avoiding.get(org, ()) for org in bid.conflict_orgs))
        in_field = [p for p in by_field.get(bid.field, ()) if p not in barred]
        if len(in_field) >= per_bid:
            result.append((in_field, []))
        else:
            result.append((in_field, [p for p in range(len(judges))
                                      if p not in barred and bid.field not in judges[p].fields]))
    return result


def _parts(cands: list[tuple[list[int], list[int]]], per_bid: int) -> tuple[list[int], list[list[int]], list[int]]:
    """The bid nodes of the network as (owner bid, candidates, demand) columns: one part per bid, or, for a bid
    with forced judges, its forced in-field judges (demand: all of them) and its out-of-field fill (the rest)."""
    owners, positions, demand = [], [], []
    for i, (in_field, others) in enumerate(cands):
        if others:  # fewer than per_bid in field: all of them, then the fill
            parts = ((in_field, len(in_field)), (others, min(per_bid - len(in_field), len(others))))
        else:
            parts = ((in_field, min(per_bid, len(in_field))),)
        for part, want in parts:
            if want:
                owners.append(i)
                positions.append(part)
                demand.append(want)
    return owners, positions, demand


def assign_judges(bids: list[BidSlot], judges: list[JudgeSlot], *, per_bid: int, seed: int = 0) -> Assignment:
    """Give every bid min(per_bid, #candidates) distinct, unconflicted candidate judges, every forced judge
    among them, so that the busiest judge carries the least load any such assignment allows (L*); among
    those, prefer in-field judges first, then the most even spread of load. Same input and seed, same
    result."""
    _check(bids, judges, per_bid)
    rng = random.Random(seed)
    # The solvers' choice among equal optima follows the order of the arcs: a seeded order, never set
    # iteration or hashing, decides it.
    order_bids = sorted(bids, key=lambda b: b.id)
    order_judges = sorted(judges, key=lambda j: j.id)
    rng.shuffle(order_bids)
    rng.shuffle(order_judges)
    owners, positions, demand = _parts(_candidate_positions(order_bids, order_judges, per_bid), per_bid)
    total = sum(demand)
    by_bid: dict = {b.id: [] for b in sorted(bids, key=lambda b: b.id)}
    if total:
        from .flows import Pairs, cheapest_flow, smallest_capacity  # compiled solvers, loaded when needed

        part_bids = [order_bids[i] for i in owners]
        pairs = Pairs(part_bids, order_judges, positions, demand)
        capacity = smallest_capacity(pairs, total)
        flows = cheapest_flow(pairs, total, capacity, 2 + len(part_bids) + len(order_judges))
        chosen = flows > 0
        for tail, head in zip(pairs.tails[chosen].tolist(), pairs.heads[chosen].tolist()):
            by_bid[part_bids[tail - 2].id].append(order_judges[head - 2 - len(part_bids)].id)
        for ids in by_bid.values():
            ids.sort()
    short = {bid_id: per_bid - len(ids) for bid_id, ids in by_bid.items() if len(ids) < per_bid}
    return Assignment(by_bid=by_bid, short=short)
