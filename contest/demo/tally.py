"""The seed's summary: how many records of each kind were created, and how many were already there."""
from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _


class Tally:
    """Counts what was created and what was already there, per kind of record."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()

    def add(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    def line(self, kind: str, name: str, unit: str, detail: str = "") -> str:
        """The line of one kind (counted under `kind`): its translated `name`, `unit` and `detail`."""
        return _("%(kind)s：新建 %(created)s %(unit)s%(detail)s，已存在 %(existing)s %(unit)s",
                 kind=name, created=self.created[kind], unit=unit, detail=detail, existing=self.existing[kind])
