"""The seed's summary: how many records of each kind were created, and how many were already there."""
from __future__ import annotations

from collections import Counter


class Tally:
    """Counts what was created and what was already there, per kind of record."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()

    def add(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    def line(self, kind: str, unit: str, detail: str = "") -> str:
        return f"{kind}：新建 {self.created[kind]} {unit}{detail}，已存在 {self.existing[kind]} {unit}"
