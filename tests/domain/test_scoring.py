"""Aggregation, final score, ranking within a need and finalists: worked examples and properties."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.domain.scoring import (
    DEFAULT_ONLINE_WEIGHT,
    DEFAULT_ONSITE_WEIGHT,
    Entry,
    Finalists,
    final_score,
    normalize_by_judge,
    rank_entries,
    ranked_enough,
    round_half_up,
    round_score,
    select_finalists,
)

D = Decimal
T0 = datetime(2026, 3, 1, 9, 0)


def ds(*values) -> list[Decimal]:
    return [D(str(v)) for v in values]


def entry(bid, score, onsite=None, top=None, minutes=0) -> Entry:
    return Entry(
        bid_id=bid,
        score=D(str(score)),
        onsite=None if onsite is None else D(str(onsite)),
        top_criterion_mean=None if top is None else D(str(top)),
        submitted_at=T0 + timedelta(minutes=minutes),
    )


def table(ranked) -> list[tuple]:
    return [(r.bid_id, r.rank, r.decided_by, r.tied_with) for r in ranked]


# ---------------------------------------------------------------- round_half_up

@pytest.mark.parametrize("value,expected", [
    ("78.335", "78.34"),
    ("2.675", "2.68"),        # 2.67 with binary floats; Decimal keeps the half
    ("2.665", "2.67"),
    ("1.005", "1.01"),
    ("78.334999", "78.33"),
    ("80", "80.00"),
    ("-2.675", "-2.68"),       # half away from zero
])
def test_round_half_up(value, expected):
    result = round_half_up(D(value))
    assert result == D(expected) and str(result) == expected


def test_round_half_up_other_places():
    assert str(round_half_up(D("78.35"), "0.1")) == "78.4"
    assert str(round_half_up(D("78.5"), "1")) == "79"


def test_round_half_up_refuses_float():
    with pytest.raises(TypeError):
        round_half_up(2.675)


# ---------------------------------------------------------------- round_score

@pytest.mark.parametrize("totals,expected", [
    ((80, 90, 70, 85, 60), "78.33"),          # drops 90 and 60
    ((90, 80, 70), "80.00"),                  # 3 sheets: untrimmed
    ((90, 80, 70, 60), "75.00"),              # 4 sheets: untrimmed
    ((90, 90, 80, 60, 60), "76.67"),          # duplicates: only one 90 and one 60 go → (90+80+60)/3
    ((70, 70, 70, 70, 70), "70.00"),
    ((100, 100, 100, 0, 0, 0), "50.00"),      # 6 sheets: one of each dropped → (100+100+0+0)/4
    ((85.5,), "85.50"),
    ((78.3, 78.4), "78.35"),
    ((78.33, 78.34), "78.34"),                # 78.335 → half-up
])
def test_round_score(totals, expected):
    result = round_score(ds(*totals))
    assert str(result) == expected


def test_round_score_trim_from_is_configurable():
    assert round_score(ds(90, 80, 70, 10), trim_from=4) == D("75.00")
    assert round_score(ds(90, 80, 70, 60, 10), trim_from=6) == D("62.00")


def test_round_score_refuses_empty_and_bad_trim():
    with pytest.raises(ValueError):
        round_score([])
    with pytest.raises(ValueError):
        round_score(ds(1, 2), trim_from=2)
    with pytest.raises(TypeError):
        round_score([80.0, 90.0])


totals_strategy = st.lists(
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    min_size=1, max_size=12,
)


@settings(deadline=None)
@given(totals_strategy, st.randoms(use_true_random=False))
def test_round_score_properties(totals, rnd):
    result = round_score(totals)
    assert min(totals) <= result <= max(totals)
    assert result.as_tuple().exponent == -2
    shuffled = list(totals)
    rnd.shuffle(shuffled)
    assert round_score(shuffled) == result


@settings(deadline=None)
@given(totals_strategy.filter(lambda t: len(t) < 5))
def test_round_score_is_plain_mean_below_trim(totals):
    mean = sum(totals, D(0)) / len(totals)
    assert round_score(totals) == round_half_up(mean)


# ---------------------------------------------------------------- normalize_by_judge

def test_normalize_by_judge_worked_example():
    scores = {
        "harsh": {"a": D("60"), "b": D("70")},    # mean 65, sd 5
        "kind": {"c": D("90"), "d": D("100")},    # mean 95, sd 5
    }
    # pooled: 60, 70, 90, 100 → mean 80, sd sqrt(250) = 15.8113883...
    result = normalize_by_judge(scores)
    assert result == {
        "harsh": {"a": D("64.19"), "b": D("95.81")},
        "kind": {"c": D("64.19"), "d": D("95.81")},
    }


def test_normalize_single_score_or_flat_judge_gets_overall_mean():
    scores = {
        "one": {"a": D("50")},
        "flat": {"b": D("90"), "c": D("90")},
        "spread": {"d": D("40"), "e": D("80")},
    }
    # pooled 50, 90, 90, 40, 80 → mean 70
    result = normalize_by_judge(scores)
    assert result["one"] == {"a": D("70.00")}
    assert result["flat"] == {"b": D("70.00"), "c": D("70.00")}
    assert result["spread"]["d"] < D("70") < result["spread"]["e"]


def test_normalize_clamps_to_scale():
    # one judge with an extreme outlier: z-score mapping would go beyond 100 for judge "x"
    scores = {
        "x": {"a": D("0"), "b": D("0"), "c": D("0"), "d": D("100")},
        "y": {"e": D("100"), "f": D("99")},
    }
    result = normalize_by_judge(scores)
    values = [v for bids in result.values() for v in bids.values()]
    assert all(D(0) <= v <= D(100) for v in values)
    assert result["x"]["d"] == D("100.00")


def test_normalize_empty():
    assert normalize_by_judge({}) == {}
    assert normalize_by_judge({"j": {}}) == {"j": {}}


score_values = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
judge_scores = st.dictionaries(
    st.integers(0, 6),
    st.dictionaries(st.integers(0, 30), score_values, max_size=8),
    max_size=6,
)


@settings(deadline=None)
@given(judge_scores)
def test_normalize_properties(scores):
    result = normalize_by_judge(scores)
    assert result.keys() == scores.keys()
    for judge, bids in scores.items():
        assert result[judge].keys() == bids.keys()
        for a, x in bids.items():
            na = result[judge][a]
            assert D(0) <= na <= D(100)
            assert na.as_tuple().exponent == -2
            for b, y in bids.items():
                nb = result[judge][b]
                if x < y:
                    assert na <= nb
                elif x == y:
                    assert na == nb


# ---------------------------------------------------------------- final_score

def test_final_score_default_weights():
    assert DEFAULT_ONLINE_WEIGHT == D("0.3") and DEFAULT_ONSITE_WEIGHT == D("0.7")
    # 0.3 × 78.33 + 0.7 × 85.25 = 23.499 + 59.675 = 83.174
    result = final_score(D("78.33"), D("85.25"),
                         online_weight=DEFAULT_ONLINE_WEIGHT, onsite_weight=DEFAULT_ONSITE_WEIGHT)
    assert str(result) == "83.17"


def test_final_score_rounds_half_up():
    # 0.5 × 80.01 + 0.5 × 80.00 = 80.005 → 80.01
    assert final_score(D("80.01"), D("80.00"), online_weight=D("0.5"), onsite_weight=D("0.5")) == D("80.01")
    assert final_score(D("70"), D("90"), online_weight=D("1"), onsite_weight=D("0")) == D("70.00")


@pytest.mark.parametrize("w1,w2", [("0.3", "0.6"), ("0.5", "0.6"), ("-0.1", "1.1"), ("1.2", "-0.2")])
def test_final_score_refuses_bad_weights(w1, w2):
    with pytest.raises(ValueError):
        final_score(D("80"), D("80"), online_weight=D(w1), onsite_weight=D(w2))


# ---------------------------------------------------------------- rank_entries

def test_rank_by_score():
    ranked = rank_entries([entry("b", 80), entry("a", 90), entry("c", 70)])
    assert table(ranked) == [
        ("a", 1, "score", ()), ("b", 2, "score", ()), ("c", 3, "score", ()),
    ]
    assert ranked[0].score == D("90")


def test_tie_broken_by_onsite():
    ranked = rank_entries([entry("a", 85, onsite=80), entry("b", 85, onsite=88), entry("c", 90, onsite=70)])
    assert table(ranked) == [
        ("c", 1, "score", ()), ("b", 2, "onsite", ()), ("a", 3, "onsite", ()),
    ]


def test_tie_broken_by_top_criterion():
    ranked = rank_entries([
        entry("a", 85, onsite=80, top=22.5),
        entry("b", 85, onsite=80, top=25.0),
    ])
    assert table(ranked) == [("b", 1, "top_criterion", ()), ("a", 2, "top_criterion", ())]


def test_tie_broken_by_earlier_submission():
    ranked = rank_entries([
        entry("late", 85, onsite=80, top=25, minutes=30),
        entry("early", 85, onsite=80, top=25, minutes=5),
    ])
    assert table(ranked) == [("early", 1, "submitted_at", ()), ("late", 2, "submitted_at", ())]


def test_missing_values_sort_after_present_ones():
    ranked = rank_entries([
        entry("no-onsite", 85, onsite=None, top=30),
        entry("onsite", 85, onsite=10, top=0),
        entry("no-top", 70, top=None),
        entry("top", 70, top=1),
    ])
    assert table(ranked) == [
        ("onsite", 1, "onsite", ()), ("no-onsite", 2, "onsite", ()),
        ("top", 3, "top_criterion", ()), ("no-top", 4, "top_criterion", ()),
    ]


def test_unresolved_tie_shares_rank_and_is_flagged():
    ranked = rank_entries([
        entry("x", 90),
        entry("a", 85, onsite=80, top=25, minutes=5),
        entry("b", 85, onsite=80, top=25, minutes=5),
        entry("c", 85, onsite=80, top=25, minutes=5),
        entry("y", 70),
    ])
    assert table(ranked) == [
        ("x", 1, "score", ()),
        ("a", 2, "unresolved", ("b", "c")),
        ("b", 2, "unresolved", ("a", "c")),
        ("c", 2, "unresolved", ("a", "b")),
        ("y", 5, "score", ()),
    ]


def test_equal_decimals_of_different_exponent_tie():
    ranked = rank_entries([entry("a", "80"), entry("b", "80.00")])
    assert [r.rank for r in ranked] == [1, 1] and ranked[0].decided_by == "unresolved"


def test_rank_refuses_duplicate_bids_and_handles_empty():
    assert rank_entries([]) == []
    with pytest.raises(ValueError):
        rank_entries([entry("a", 80), entry("a", 70)])


entries_strategy = st.lists(
    st.builds(
        entry,
        bid=st.none(),   # replaced by a unique id below
        score=st.sampled_from(["70", "80", "80.00", "90"]),
        onsite=st.sampled_from([None, "60", "70"]),
        top=st.sampled_from([None, "20", "25"]),
        minutes=st.integers(0, 2),
    ),
    max_size=15,
).map(lambda es: [Entry(i, e.score, e.onsite, e.top_criterion_mean, e.submitted_at) for i, e in enumerate(es)])


@settings(deadline=None)
@given(entries_strategy)
def test_rank_entries_properties(entries):
    ranked = rank_entries(entries)
    assert sorted(r.bid_id for r in ranked) == sorted(e.bid_id for e in entries)
    ranks = [r.rank for r in ranked]
    assert ranks == sorted(ranks)
    if ranked:
        assert ranks[0] == 1
    for position, r in enumerate(ranked):
        # competition ranking: rank = 1 + number of entries placed strictly above
        assert r.rank == 1 + sum(1 for other in ranked if other.rank < r.rank)
        assert r.rank <= position + 1
        assert set(r.tied_with) == {o.bid_id for o in ranked if o.rank == r.rank} - {r.bid_id}
        assert (r.decided_by == "unresolved") == bool(r.tied_with)
        assert r.decided_by in {"score", "onsite", "top_criterion", "submitted_at", "unresolved"}
    for above, below in zip(ranked, ranked[1:]):
        assert above.score >= below.score


# ---------------------------------------------------------------- select_finalists

def test_finalists_qualifying_cut():
    online = [entry("a", 90), entry("b", 75), entry("c", 59.99), entry("d", 60)]
    assert select_finalists(online, n=5, qualifying=D("60")) == Finalists(("a", "b", "d"), False, ())


def test_finalists_n_cut():
    online = [entry("a", 90), entry("b", 85), entry("c", 80), entry("d", 70)]
    assert select_finalists(online, n=2, qualifying=D("60")) == Finalists(("a", "b"), False, ())


def test_finalists_resolved_tie_at_boundary_is_cut():
    online = [entry("a", 90), entry("b", 80, top=25), entry("c", 80, top=20)]
    assert select_finalists(online, n=2, qualifying=D("60")) == Finalists(("a", "b"), False, ())


def test_finalists_boundary_tie_includes_all_tied():
    online = [
        entry("a", 90),
        entry("b", 80, top=25, minutes=1),
        entry("c", 80, top=25, minutes=1),
        entry("d", 80, top=25, minutes=1),
        entry("e", 70),
    ]
    result = select_finalists(online, n=2, qualifying=D("60"))
    assert result == Finalists(("a", "b", "c", "d"), False, ("b", "c", "d"))


def test_finalists_tie_fitting_within_n_is_not_boundary():
    online = [entry("a", 90), entry("b", 90), entry("c", 80)]
    assert select_finalists(online, n=2, qualifying=D("60")) == Finalists(("a", "b"), False, ())


def test_failed_need():
    online = [entry("a", 59), entry("b", 40)]
    assert select_finalists(online, n=3, qualifying=D("60")) == Finalists((), True, ())
    assert select_finalists([], n=3, qualifying=D("60")) == Finalists((), True, ())


def test_finalists_refuses_bad_n():
    with pytest.raises(ValueError):
        select_finalists([entry("a", 90)], n=0, qualifying=D("60"))


# ---------------------------------------------------------------- ranked_enough

@pytest.mark.parametrize("sheets,minimum,ok", [
    (3, 3, True), (2, 3, False), (5, 3, True), (0, 0, False), (1, 0, True),
])
def test_ranked_enough(sheets, minimum, ok):
    assert ranked_enough(sheets, minimum) is ok
