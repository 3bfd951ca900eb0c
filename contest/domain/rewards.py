"""Brokers' rewards (技术经纪人奖励): per signed contract, a percentage of its technology amount (技术交易额) with a
cap, split between the firm's broker and the team's broker.

reward = min(tech amount × rate, cap), to the fen (ROUND_HALF_UP); the firm's broker gets the reward × its share,
to the fen; the team's broker the rest, so the two shares always sum to the reward. A side without a broker is
not paid, and its share does not go to the other side.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import Invalid

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_CAP = Decimal("999999999999.99")   # Numeric(14, 2)


def to_fen(amount: Decimal) -> Decimal:
    """The amount rounded to the fen, halves up (0.005 → 0.01)."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rule:
    """An edition's rule: rate % of the technology amount, at most cap yuan, the firm's broker's share %."""

    rate_pct: Decimal
    cap_yuan: Decimal
    firm_share_pct: Decimal


@dataclass(frozen=True)
class Split:
    """One contract's reward and its two shares (yuan, to the fen)."""

    reward: Decimal
    firm: Decimal
    team: Decimal


def check_rule(rule: Rule) -> Rule:
    """Refuse a rate outside (0, 100], a negative or oversized cap, a share outside [0, 100]."""
    for value in (rule.rate_pct, rule.cap_yuan, rule.firm_share_pct):
        if value is None or not Decimal(value).is_finite():
            raise Invalid("reward.not_a_number")
    if not Decimal(0) < rule.rate_pct <= HUNDRED:
        raise Invalid("reward.rate_range")
    if not Decimal(0) <= rule.cap_yuan <= MAX_CAP:
        raise Invalid("reward.cap_range")
    if not Decimal(0) <= rule.firm_share_pct <= HUNDRED:
        raise Invalid("reward.share_range")
    return rule


def split(tech_amount: Decimal, rule: Rule) -> Split:
    """The reward of a contract with this technology amount, and the firm's and the team's shares of it."""
    amount = max(Decimal(tech_amount or 0), Decimal(0))
    reward = to_fen(min(amount * rule.rate_pct / HUNDRED, rule.cap_yuan))
    firm = to_fen(reward * rule.firm_share_pct / HUNDRED)
    return Split(reward=reward, firm=firm, team=reward - firm)


def payable(split_: Split, firm_broker: bool, team_broker: bool) -> tuple[Decimal | None, Decimal | None]:
    """What is paid to each side's broker: its share when the side has a broker, else None (not paid)."""
    return (split_.firm if firm_broker else None, split_.team if team_broker else None)
