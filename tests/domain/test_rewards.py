"""The brokers' reward rule (contest.domain.rewards): the shares always sum to the reward, the cap and the rate
bound it, amounts are to the fen."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from contest.domain.errors import Invalid
from contest.domain.rewards import FEN, Rule, check_rule, payable, split

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
caps = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
shares = st.decimals(min_value=0, max_value=100, places=2)
rules = st.builds(Rule, rates, caps, shares)


@given(amounts, rules)
def test_the_shares_sum_to_the_reward(amount, rule):
    s = split(amount, rule)
    assert s.firm + s.team == s.reward
    assert s.firm >= 0 and s.team >= 0


@given(amounts, rules)
def test_the_reward_respects_the_cap_and_the_rate(amount, rule):
    s = split(amount, rule)
    assert s.reward <= rule.cap_yuan
    exact = amount * rule.rate_pct / 100
    # rounded half up to the fen: never more than half a fen above rate × amount
    assert s.reward <= exact + Decimal("0.005")
    assert s.reward >= min(exact, rule.cap_yuan) - Decimal("0.005")


@given(amounts, rules)
def test_every_amount_is_to_the_fen(amount, rule):
    s = split(amount, rule)
    for value in (s.reward, s.firm, s.team):
        assert value == value.quantize(FEN)


@given(rules)
def test_zero_amount_zero_reward(rule):
    assert split(Decimal(0), rule) == split(Decimal("0.00"), rule)
    s = split(Decimal(0), rule)
    assert (s.reward, s.firm, s.team) == (0, 0, 0)


def test_rounding_is_half_up_to_the_fen():
    rule = Rule(Decimal("1"), Decimal("1000"), Decimal("50"))
    assert split(Decimal("0.50"), rule).reward == Decimal("0.01")      # 0.005 → 0.01
    assert split(Decimal("0.49"), rule).reward == Decimal("0.00")      # 0.0049 → 0.00
    odd = split(Decimal("3.00"), Rule(Decimal("1"), Decimal("1000"), Decimal("50")))   # 0.03 split 50 %
    assert (odd.firm, odd.team) == (Decimal("0.02"), Decimal("0.01"))  # 0.015 → 0.02, the rest 0.01


def test_the_cap_binds():
    s = split(Decimal("10000000"), Rule(Decimal("2"), Decimal("50000"), Decimal("60")))
    assert (s.reward, s.firm, s.team) == (Decimal("50000.00"), Decimal("30000.00"), Decimal("20000.00"))


def test_a_side_without_broker_is_not_paid_to_the_other():
    s = split(Decimal("100000"), Rule(Decimal("1"), Decimal("5000"), Decimal("50")))
    assert payable(s, True, False) == (Decimal("500.00"), None)
    assert payable(s, False, True) == (None, Decimal("500.00"))


@pytest.mark.parametrize("rate, cap, share", [("0", "1", "50"), ("100.01", "1", "50"), ("1", "-1", "50"),
                                              ("1", "1", "-0.01"), ("1", "1", "100.5"), ("NaN", "1", "50")])
def test_rules_out_of_range_are_refused(rate, cap, share):
    with pytest.raises(Invalid):
        check_rule(Rule(Decimal(rate), Decimal(cap), Decimal(share)))
