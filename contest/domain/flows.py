"""The flow network of the judge assignment and its two solves, with OR-Tools' compiled solvers: the least
judge capacity that serves every bid (max flow), then the cheapest flow at that capacity (min-cost flow).

Nodes: the source, the sink, one per bid, one per judge. Arcs: source → bid (the bid's demand), bid → judge
(1 per candidate pair), judge → sink (the capacity; for the min-cost flow one unit arc per load level).
"""
from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

SOURCE, SINK = 0, 1  # node numbers; bids follow, then judges


class Pairs:
    """The bid → judge arcs of the network, as arrays (node numbers and whether the judge is in the field)."""

    def __init__(self, bids: list, judges: list, cands: list[list[int]], demand: list[int]):
        tails, heads, in_field = [], [], []
        for i, (bid, positions) in enumerate(zip(bids, cands)):
            if demand[i]:
                tails += [2 + i] * len(positions)
                heads += [2 + len(bids) + p for p in positions]
                in_field += [bid.field in judges[p].fields for p in positions]
        self.tails = np.array(tails, dtype=np.int32)
        self.heads = np.array(heads, dtype=np.int32)
        self.in_field = np.array(in_field, dtype=bool)
        self.judge_nodes = np.unique(self.heads)  # judges that some bid may get
        self.bid_nodes = np.array([2 + i for i, d in enumerate(demand) if d], dtype=np.int32)
        self.bid_demand = np.array([d for d in demand if d], dtype=np.int64)


def smallest_capacity(pairs: Pairs, total: int) -> int:
    """L*: the least judge capacity letting every bid get its full demand (max-flow feasibility checks)."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(np.full(len(pairs.bid_nodes), SOURCE, dtype=np.int32), pairs.bid_nodes,
                                  pairs.bid_demand)
    solver.add_arcs_with_capacity(pairs.tails, pairs.heads, np.ones(len(pairs.tails), dtype=np.int64))
    sink_arcs = solver.add_arcs_with_capacity(pairs.judge_nodes, np.full(len(pairs.judge_nodes), SINK, dtype=np.int32),
                                              np.zeros(len(pairs.judge_nodes), dtype=np.int64))

    def feasible(capacity: int) -> bool:
        solver.set_arcs_capacity(sink_arcs, np.full(len(sink_arcs), capacity, dtype=np.int64))
        if solver.solve(SOURCE, SINK) != solver.OPTIMAL:
            raise RuntimeError("max-flow solver failed")
        return solver.optimal_flow() == total

    # Lower bounds: ⌈pairs / judges⌉, and the pairs every flow must use (a bid node whose demand equals its
    # candidates: the scarce in-field experts of contest/domain/assignment.py) counted per judge. The number
    # of bid nodes is always feasible (a judge sits once on a bid node).
    lo, hi = -(-total // len(pairs.judge_nodes)), len(pairs.bid_nodes)
    if len(pairs.tails):
        degree = np.bincount(pairs.tails)
        demand = np.zeros(len(degree), dtype=np.int64)
        demand[pairs.bid_nodes] = pairs.bid_demand
        full = (degree == demand) & (demand > 0)
        forced = pairs.heads[full[pairs.tails]]
        if len(forced):
            lo = max(lo, int(np.bincount(forced).max()))
    if feasible(lo):
        return lo
    lo += 1
    while lo < hi:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def cheapest_flow(pairs: Pairs, total: int, capacity: int, nodes: int) -> np.ndarray:
    """The flow on each pair arc of the min-cost flow at `capacity`: out of field costs more than any
    rebalancing (every feasible flow's balance cost lies in [total, total * capacity]), and the k-th bid of a
    judge costs k, a convex cost that spreads load."""
    penalty = total * capacity + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.full(len(pairs.bid_nodes), SOURCE, dtype=np.int32), pairs.bid_nodes, pairs.bid_demand,
        np.zeros(len(pairs.bid_nodes), dtype=np.int64))
    pair_arcs = solver.add_arcs_with_capacity_and_unit_cost(
        pairs.tails, pairs.heads, np.ones(len(pairs.tails), dtype=np.int64),
        np.where(pairs.in_field, 0, penalty).astype(np.int64))
    levels = np.repeat(pairs.judge_nodes, capacity)
    solver.add_arcs_with_capacity_and_unit_cost(
        levels, np.full(len(levels), SINK, dtype=np.int32), np.ones(len(levels), dtype=np.int64),
        np.tile(np.arange(1, capacity + 1, dtype=np.int64), len(pairs.judge_nodes)))
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[SOURCE], supplies[SINK] = total, -total
    solver.set_nodes_supplies(np.arange(nodes, dtype=np.int32), supplies)
    if solver.solve() != solver.OPTIMAL:
        raise RuntimeError("min-cost flow solver failed")
    return solver.flows(pair_arcs)
