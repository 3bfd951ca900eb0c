"""Every transition table, exhaustively: what is allowed passes, everything else raises."""
import itertools

import pytest

from contest.domain.errors import InvalidTransition
from contest.domain.states import (
    BID_TRANSITIONS, DECISION_TARGET, NEED_TRANSITIONS, BidStatus, NeedStatus, ReviewDecision, ensure_bid_transition,
    ensure_need_transition,
)
from contest.web.refusals import status_of

N, B = NeedStatus, BidStatus

NEED_ALLOWED = {
    (N.DRAFT, N.SUBMITTED), (N.DRAFT, N.WITHDRAWN),
    (N.SUBMITTED, N.PUBLISHED), (N.SUBMITTED, N.RETURNED), (N.SUBMITTED, N.REJECTED), (N.SUBMITTED, N.WITHDRAWN),
    (N.RETURNED, N.SUBMITTED), (N.RETURNED, N.WITHDRAWN), (N.RETURNED, N.REJECTED),
    # a need collected by a market with staff is pre-screened there first
    (N.DRAFT, N.MARKET_REVIEW), (N.RETURNED, N.MARKET_REVIEW),
    (N.MARKET_REVIEW, N.SUBMITTED), (N.MARKET_REVIEW, N.RETURNED), (N.MARKET_REVIEW, N.WITHDRAWN),
    (N.MARKET_REVIEW, N.REJECTED),
    (N.PUBLISHED, N.BIDDING_CLOSED), (N.PUBLISHED, N.WITHDRAWN),
    (N.BIDDING_CLOSED, N.IN_REVIEW), (N.BIDDING_CLOSED, N.FAILED),
    (N.IN_REVIEW, N.FINAL), (N.IN_REVIEW, N.FAILED),
    (N.FINAL, N.AWARDED), (N.FINAL, N.FAILED),
    (N.AWARDED, N.FINAL),   # an upheld objection reverses the award
}

BID_ALLOWED = {
    (B.DRAFT, B.SUBMITTED), (B.DRAFT, B.WITHDRAWN),
    (B.SUBMITTED, B.WITHDRAWN), (B.SUBMITTED, B.FINALIST), (B.SUBMITTED, B.NOT_SELECTED),
    (B.FINALIST, B.WINNER), (B.FINALIST, B.NOT_SELECTED),
    (B.WINNER, B.NOT_SELECTED), (B.NOT_SELECTED, B.FINALIST),   # the reversal, and the other finalists back in
}


def test_every_need_status_has_a_row():
    assert set(NEED_TRANSITIONS) == set(NeedStatus)


def test_every_bid_status_has_a_row():
    assert set(BID_TRANSITIONS) == set(BidStatus)


@pytest.mark.parametrize("old,new", list(itertools.product(NeedStatus, NeedStatus)))
def test_need_transitions(old, new):
    if (old, new) in NEED_ALLOWED:
        ensure_need_transition(old, new)
    else:
        with pytest.raises(InvalidTransition):
            ensure_need_transition(old, new)


@pytest.mark.parametrize("old,new", list(itertools.product(BidStatus, BidStatus)))
def test_bid_transitions(old, new):
    if (old, new) in BID_ALLOWED:
        ensure_bid_transition(old, new)
    else:
        with pytest.raises(InvalidTransition):
            ensure_bid_transition(old, new)


@pytest.mark.parametrize("end", [N.FAILED, N.REJECTED, N.WITHDRAWN])
def test_need_end_states_are_final(end):
    assert NEED_TRANSITIONS[end] == frozenset()


def test_an_award_is_left_only_by_its_reversal():
    assert NEED_TRANSITIONS[N.AWARDED] == frozenset({N.FINAL})


def test_screening_decisions_lead_from_submitted():
    assert DECISION_TARGET == {
        ReviewDecision.APPROVE: N.PUBLISHED, ReviewDecision.RETURN: N.RETURNED, ReviewDecision.REJECT: N.REJECTED,
    }
    for target in DECISION_TARGET.values():
        ensure_need_transition(N.SUBMITTED, target)


def test_invalid_transition_message_is_chinese_and_a_conflict():
    with pytest.raises(InvalidTransition) as info:
        ensure_need_transition(N.PUBLISHED, N.DRAFT)
    assert "当前状态不允许此操作" in info.value.message and status_of(info.value) == 409
