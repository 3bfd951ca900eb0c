"""Messages a job keeps in its row (its summary, its failure): a message id and its parameters as JSON, read
back into what pages and the command line show in their reader's language (contest.i18n.refusal_text).

Parameters keep what the reader's language needs: a Phrase or a refusal inside (as a phrase), a Series, an enum of
contest.domain (shown by its label); dates are kept as the text refusals show; anything else as its text.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from ...domain.errors import Series


def stored(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as JSON values."""
    return {key: _encoded(value) for key, value in params.items()}


def _encoded(value: Any) -> Any:
    if hasattr(value, "message_id"):
        return {"phrase": value.message_id, "params": stored(value.params)}
    if isinstance(value, Series):
        return {"series": [_encoded(item) for item in value.items], "separator": value.separator}
    if isinstance(value, Enum):
        return {"enum": f"{type(value).__module__}:{type(value).__qualname__}", "value": value.value}
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # a Decimal, a path, a lazy string: its text


@dataclass(frozen=True)
class Stored:
    """A message read back from a job's row: shown like a Phrase (contest.i18n.refusal_text), by its id."""

    message_id: str
    params: dict[str, Any]


def phrase(message_id: str | None, params: dict[str, Any] | None) -> Stored | None:
    """The stored message, ready to be shown (None when there is none)."""
    if not message_id:
        return None
    return Stored(message_id, {key: _decoded(value) for key, value in (params or {}).items()})


def _decoded(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "phrase" in value:
        return phrase(value["phrase"], value.get("params"))
    if "series" in value:
        return Series([_decoded(item) for item in value["series"]], value.get("separator", "list.enumeration"))
    if "enum" in value:
        module, _sep, name = str(value["enum"]).partition(":")
        if module.startswith("contest.domain."):  # only the app's own enums are rebuilt from a stored name
            return getattr(importlib.import_module(module), name)(value["value"])
        return value["value"]
    return value
