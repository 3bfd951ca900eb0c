"""What a generated edition is made of: its sizes, how far it goes, its calendar and the rows' tables.

Pure: no Flask, no database. Every moment is naive UTC (how the models store time), written here in
Beijing wall-clock time through bj().
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

PASSWORD = "scale-pass-2025"   # every generated account's password (hashed once per run)


class Stage(str, Enum):
    """How far the generated edition goes, each stage including the ones before it."""

    BIDDING = "bidding"      # needs published, bids submitted, the edition open
    REVIEW = "review"        # online review open: judges assigned, part of the sheets in
    FINAL = "final"          # every online sheet submitted, finalists chosen
    RESULTS = "results"      # on-site panels and sheets, firms' decisions, results published
    CONTRACTS = "contracts"  # contracts issued and signed, instalments, acceptances and payments

    def reaches(self, other: Stage) -> bool:
        order = list(Stage)
        return order.index(self) >= order.index(other)


@dataclass(frozen=True)
class Sizes:
    needs: int
    bids: int
    judges: int
    teams: int
    contracts: int

    @property
    def firms(self) -> int:
        """Firms posting the needs: most post one or two, a few three."""
        return max(1, -(-self.needs * 5 // 8))

    @property
    def research_orgs(self) -> int:
        """Universities, institutes, hospitals and firms leading or joining the teams."""
        return max(6, self.teams // 5)

    @property
    def expert_orgs(self) -> int:
        """Associations some judges belong to (they bid on nothing)."""
        return max(2, self.judges // 20)


NATIONAL = Sizes(needs=2000, bids=20000, judges=300, teams=4000, contracts=1000)


def bj(year: int, month: int, day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """A Beijing wall-clock moment as naive UTC."""
    return datetime(year, month, day, hour, minute, second) - timedelta(hours=8)


@dataclass(frozen=True)
class Calendar:
    """A fixed 2025 calendar (the same data whatever the day it is seeded), all in the past."""

    year: int = 2025
    collection_start: date = date(2025, 3, 1)
    collection_end: date = date(2025, 5, 31)
    bidding_deadline: datetime = bj(2025, 6, 30, 17)
    review_start: date = date(2025, 7, 7)
    review_end: date = date(2025, 7, 25)
    final_date: date = date(2025, 8, 20)
    results_date: date = date(2025, 8, 30)
    created_at: datetime = bj(2025, 2, 20, 10)
    needs_from: datetime = bj(2025, 3, 2, 9)          # needs drafted from here, published until needs_until
    needs_until: datetime = bj(2025, 6, 10, 17)
    review_opened_at: datetime = bj(2025, 7, 7, 9)
    assigned_at: datetime = bj(2025, 7, 7, 10)
    review_now: datetime = bj(2025, 7, 16, 12)       # "now" of an edition left in online review
    finalists_at: datetime = bj(2025, 7, 28, 10)
    panels_at: datetime = bj(2025, 8, 11, 15)
    final_day: datetime = bj(2025, 8, 20, 8, 30)
    confirm_first: datetime = bj(2025, 8, 21, 10)
    results_at: datetime = bj(2025, 8, 30, 10)
    drafted_at: datetime = bj(2025, 9, 15, 9, 30)
    first_issue: date = date(2025, 10, 9)            # contracts issued on working days from here
    follow_up_until: date = date(2026, 9, 30)        # acceptances and payments recorded up to this day

    @property
    def period_start(self) -> date:
        """The work starts on the first of a month, once the results are out and the contract signed."""
        return (self.results_date + timedelta(days=45)).replace(day=1)


def stream(seed: int, code: str, part: str) -> random.Random:
    """An independent random stream per part of the generation: sizes of one part never shift another."""
    return random.Random(f"{seed}/{code}/{part}")


def token(seed: int, code: str, *parts: object) -> str:
    """A deterministic 32-hex-digit name (stored file names)."""
    text = "/".join(str(p) for p in (seed, code, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Table:
    """Rows of one model, as tuples in `columns` order (compact: a national edition has ~900,000 rows)."""

    model: type
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)

    def add(self, **values: Any) -> None:
        self.rows.append(tuple(values[c] for c in self.columns))

    def dicts(self, start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows[start:stop]]

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


class Ids:
    """Primary keys handed out from the database's highest ones, table by table, in generation order."""

    def __init__(self, highest: dict[str, int]) -> None:
        self._last = dict(highest)

    def next(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]


def code_slug(code: str) -> str:
    """The edition code as a username prefix: CIC10-CN → cic10-cn."""
    return "".join(ch if ch.isalnum() else "-" for ch in code.lower()).strip("-") or "scale"
