"""A PDF's template context holds plain values only (strings, numbers, dates, lists and dicts of them)."""
from __future__ import annotations

from collections.abc import Mapping

from ..extensions import db


def ensure_plain(value, depth: int = 0) -> None:
    """Refuse ORM objects in a PDF context: a lazy load while rendering would hide queries and
    make the document depend on session state."""
    if isinstance(value, db.Model):
        raise TypeError(f"PDF context must hold plain values, not {type(value).__name__}")
    if depth > 8:
        return
    if isinstance(value, Mapping):
        for item in value.values():
            ensure_plain(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            ensure_plain(item, depth + 1)
