"""What `check` reports: one broken invariant, naming its object."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken invariant: the object it concerns (e.g. "bid 17", "audit_event 123") and what is wrong, in Chinese."""

    object: str
    message: str
