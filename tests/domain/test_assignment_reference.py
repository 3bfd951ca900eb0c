"""The fast assignment (OR-Tools) against the reference (the networkx min-cost flow the app used before), case
by case on random small editions: the same guarantees, and an optimum of the same quality — the same
busiest load, as few out-of-field pairs and as even a spread. Ties may be broken differently."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings

from contest.domain.assignment import assign_judges
from tests.domain.reference_assignment import reference_assign_judges
from tests.domain.test_assignment import check_assignment, instances


def quality(bids, judges, result) -> tuple[int, int, int]:
    """(busiest load, out-of-field pairs, Σ load·(load+1)/2): what the min-cost flow minimizes, in order."""
    field = {b.id: b.field for b in bids}
    fields = {j.id: j.fields for j in judges}
    load = Counter(j for ids in result.by_bid.values() for j in ids)
    out_of_field = sum(field[b] not in fields[j] for b, ids in result.by_bid.items() for j in ids)
    return max(load.values(), default=0), out_of_field, sum(n * (n + 1) // 2 for n in load.values())


@settings(max_examples=300, deadline=None)
@given(instances(max_bids=10, max_judges=7))
def test_same_guarantees_and_same_optimum_as_the_reference(instance):
    bids, judges, per_bid, seed = instance
    fast = assign_judges(bids, judges, per_bid=per_bid, seed=seed)
    reference = reference_assign_judges(bids, judges, per_bid=per_bid, seed=seed)
    check_assignment(bids, judges, per_bid, fast)
    check_assignment(bids, judges, per_bid, reference)
    assert quality(bids, judges, fast) == quality(bids, judges, reference)
    assert fast.short == reference.short
