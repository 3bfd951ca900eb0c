"""The reference implementation of the automatic assignment: the networkx min-cost flow the app used before
it moved to OR-Tools. Pure Python and slow (minutes at national scale), it stays here so that the fast
implementation is compared with it, case by case, on random small editions.

Forced pairs (every eligible in-field judge of a bid that has fewer than per_bid of them) are handled
differently from the module, on purpose: here they are fixed before the flow, each forced judge's capacity
lowered by its forced pairs and each bid's demand by its forced judges; the flow fills the rest."""
from __future__ import annotations

import random
from collections import Counter

import networkx as nx

from contest.domain.assignment import Assignment, BidSlot, JudgeSlot, _check, candidates, forced

_SOURCE, _SINK = ("source",), ("sink",)


def _network(order_bids, order_judges, cands, demand, capacity: dict, *, costs: bool, penalty: int = 0,
             fixed: dict | None = None):
    """Build the flow network for the judges' capacities (judge id → capacity left). With `costs`, judge →
    sink goes through one unit edge per load level (the k-th bid of a judge costs k, a convex cost that
    spreads load; a judge's `fixed[id]` forced pairs take its first levels), and an out-of-field bid → judge
    edge costs `penalty`."""
    fixed = fixed or {}
    g = nx.DiGraph()
    # Nodes and edges are added in the seeded order only: networkx's choices follow insertion order,
    # so this (not set iteration or hashing) decides which of several equal optima is returned.
    g.add_node(_SOURCE)
    for b in order_bids:
        if demand[b.id]:
            g.add_edge(_SOURCE, ("bid", b.id), capacity=demand[b.id], weight=0)
    for b in order_bids:
        if demand[b.id]:
            for j in cands[b.id]:
                cost = 0 if b.field in j.fields else penalty
                g.add_edge(("bid", b.id), ("judge", j.id), capacity=1, weight=cost if costs else 0)
    for j in order_judges:
        if ("judge", j.id) not in g:
            continue
        if not costs:
            g.add_edge(("judge", j.id), _SINK, capacity=capacity[j.id])
            continue
        # DiGraph has no parallel edges, so each load level gets its own intermediate node.
        done = fixed.get(j.id, 0)
        for k in range(done + 1, done + capacity[j.id] + 1):
            g.add_edge(("judge", j.id), ("level", j.id, k), capacity=1, weight=k)
            g.add_edge(("level", j.id, k), _SINK, capacity=1, weight=0)
    g.add_node(_SINK)
    return g


def reference_assign_judges(bids: list[BidSlot], judges: list[JudgeSlot], *, per_bid: int, seed: int = 0) -> Assignment:
    """Give every bid min(per_bid, #candidates) distinct, unconflicted candidate judges, every forced judge
    among them, so that the busiest judge carries the least load any such assignment allows (L*); among
    those, prefer in-field judges first, then the most even spread of load. Same input and seed, same
    result."""
    _check(bids, judges, per_bid)
    rng = random.Random(seed)
    order_bids = sorted(bids, key=lambda b: b.id)
    order_judges = sorted(judges, key=lambda j: j.id)
    rng.shuffle(order_bids)
    rng.shuffle(order_judges)
    must = {b.id: forced(b, order_judges, per_bid) for b in order_bids}
    must_ids = {b_id: {j.id for j in js} for b_id, js in must.items()}
    cands = {b.id: [j for j in candidates(b, order_judges, per_bid) if j.id not in must_ids[b.id]]
             for b in order_bids}
    demand = {b.id: min(per_bid, len(cands[b.id]) + len(must[b.id])) - len(must[b.id]) for b in order_bids}
    fixed = Counter(j.id for js in must.values() for j in js)
    total = sum(demand.values())

    by_bid: dict = {b.id: sorted(must_ids[b.id]) for b in sorted(bids, key=lambda b: b.id)}
    if total:
        # Binary search on the judge capacity: L = number of bids is always feasible (a judge sits
        # at most once on a bid); all pairs over the judges, and the most forced pairs of a judge, are lower
        # bounds.
        lo = max(-(-(total + sum(fixed.values())) // len(judges)), max(fixed.values(), default=0))
        hi = sum(1 for b in order_bids if demand[b.id] or must[b.id])
        while lo < hi:
            mid = (lo + hi) // 2
            left = {j.id: mid - fixed[j.id] for j in order_judges}
            g = _network(order_bids, order_judges, cands, demand, left, costs=False)
            if nx.maximum_flow_value(g, _SOURCE, _SINK) == total:
                hi = mid
            else:
                lo = mid + 1
        best = lo
        # Any feasible flow's balance cost lies in [total, total * best], so a penalty above
        # total * best makes one fewer out-of-field pair worth more than any rebalancing.
        penalty = total * best + 1
        left = {j.id: best - fixed[j.id] for j in order_judges}
        g = _network(order_bids, order_judges, cands, demand, left, costs=True, penalty=penalty, fixed=fixed)
        flow = nx.max_flow_min_cost(g, _SOURCE, _SINK)
        for b in order_bids:
            for node, units in flow.get(("bid", b.id), {}).items():
                if units:
                    by_bid[b.id].append(node[1])
        for ids in by_bid.values():
            ids.sort()
    short = {bid_id: per_bid - len(ids) for bid_id, ids in by_bid.items() if len(ids) < per_bid}
    return Assignment(by_bid=by_bid, short=short)
