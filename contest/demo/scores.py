"""Deterministic demo points: each judge scatters around a bid's intended total (integers and Decimal only)."""
from __future__ import annotations

import random
from decimal import Decimal


def judge_rng(*parts: str) -> random.Random:
    """A generator seeded by natural keys (edition, round, need, team, judge): the same on every database."""
    return random.Random("/".join(parts))


def sheet_points(criteria: list[tuple[int, Decimal]], target: int, rng: random.Random) -> dict[int, Decimal]:
    """Points per criterion id, one decimal, 0 to the maximum, summing to about `target` out of 100.

    The judge has a leniency of up to ±3 points; each criterion then varies by up to ±4% of its maximum.
    """
    total = target * 10 + rng.randint(-30, 30)          # tenths of a point out of 100
    points: dict[int, Decimal] = {}
    for criterion_id, maximum in criteria:
        tenths = int(maximum * 10)
        value = tenths * (total + rng.randint(-40, 40)) // 1000
        points[criterion_id] = Decimal(min(max(value, 0), tenths)).scaleb(-1)
    return points


def comment(total: Decimal, bands: dict[int, tuple[str, ...]], rng: random.Random) -> str:
    """A comment from the band of the sheet's total (the highest band threshold not above it)."""
    band = max(threshold for threshold in bands if threshold <= total)
    return rng.choice(bands[band])


def as_text(points: dict[int, Decimal]) -> dict[int, str]:
    """Points as a judge's form sends them: "12.5"."""
    return {criterion_id: str(value) for criterion_id, value in points.items()}
