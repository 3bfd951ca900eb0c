"""What `check` reports: one broken invariant, naming its object."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...domain.refusals import render


@dataclass(frozen=True)
class Violation:
    """One broken invariant: the object it concerns (e.g. "bid 17", "audit_event 123") and what is wrong, as a
    message id of the refusal texts with its parameters (`flask check` shows it in the operator's language)."""

    object: str
    message_id: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        render(self.message_id, self.params)  # an unknown id or a missing parameter fails here

    @property
    def message(self) -> str:
        """What is wrong, in Chinese."""
        return render(self.message_id, self.params)
