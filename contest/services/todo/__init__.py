"""What each role must do next, soonest deadline first: plain read models for the role home pages. Each module
(judge, team, firm, organizer) runs a fixed number of statements, whatever the number of editions, needs or bids;
the pages build the links from the endpoint names and translate the label keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..clock import from_beijing

_NEVER = datetime.max


@dataclass(frozen=True)
class Todo:
    """One thing to do: what (a label key the page translates), how many, by when, and where it is done."""

    key: str
    count: int
    deadline: datetime | date | None   # a UTC moment, or a Beijing calendar day (due by its end)
    endpoint: str
    args: dict = field(default_factory=dict, hash=False, compare=False)
    subject: str = ""                   # the need or edition it is about, as its users named it

    @property
    def due(self) -> datetime:
        """The deadline as a UTC moment (a day is due by its end in Beijing); no deadline sorts last."""
        if self.deadline is None:
            return _NEVER
        if isinstance(self.deadline, datetime):
            return self.deadline
        return from_beijing(datetime.combine(self.deadline, time.max))


def soonest_first(todos: list[Todo]) -> list[Todo]:
    """The things to do by deadline, soonest first (those without one last), in a stable order."""
    return sorted(todos, key=lambda t: t.due)
