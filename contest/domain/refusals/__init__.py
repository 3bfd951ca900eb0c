"""The texts of every refusal, by message id, in Chinese (the source language, and Babel's msgid).

A refusal carries a symbolic id dotted by area ("need.comment_required") and its parameters; this table
gives the Chinese text with `%(name)s` placeholders. `render()` fills it in Chinese (logs, tests, `.message`);
the web edge and the command line translate it into the reader's language (contest.i18n.refusal_text).

A parameter is a number, a date, a code or a name someone typed, shown as it is; or words that must follow
the reader's language: a Phrase (an id of this table with its own parameters), a Series of such items, an
enum (shown by its value here, by its translated label at the edge) or another refusal.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from . import accounts, contracts, jobs, judging, needs, network, notify, objections, records
from .marker import N_

TEXTS: dict[str, str] = {}
for _area in (accounts, needs, judging, contracts, records, jobs, objections, notify, network):
    if TEXTS.keys() & _area.TEXTS.keys():
        raise ValueError(f"message ids defined twice: {sorted(TEXTS.keys() & _area.TEXTS.keys())}")
    TEXTS.update(_area.TEXTS)

__all__ = ["N_", "TEXTS", "Phrase", "Series", "render", "text_of"]


def text_of(message_id: str) -> str:
    """The Chinese text of a message id; KeyError for an id the table does not have (a typo)."""
    try:
        return TEXTS[message_id]
    except KeyError:
        raise KeyError(f"unknown refusal message id {message_id!r} (contest/domain/refusals)") from None


def render(message_id: str, params: dict[str, Any]) -> str:
    """The Chinese text of a message id with its parameters filled in."""
    return text_of(message_id) % {key: _rendered(value) for key, value in params.items()}


def _rendered(value: Any) -> Any:
    """A parameter as the Chinese text shows it."""
    if hasattr(value, "message_id"):       # a Phrase, or a refusal inside a refusal
        return render(value.message_id, value.params)
    if isinstance(value, Series):
        return render(value.separator, {}).join(str(_rendered(item)) for item in value.items)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return value


class Phrase:
    """Words inside a refusal that follow the reader's language (a party, a stage, a date's name): a message id
    of TEXTS with its parameters. Compared and hashed by both."""

    __slots__ = ("message_id", "params")

    def __init__(self, message_id: str, /, **params: Any) -> None:
        render(message_id, params)  # an unknown id or a missing parameter fails here, where it is written
        self.message_id, self.params = message_id, params

    @property
    def message(self) -> str:
        return render(self.message_id, self.params)

    def _key(self) -> tuple:
        return self.message_id, tuple(sorted(self.params.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Phrase({self.message_id!r}, {self.params!r})" if self.params else f"Phrase({self.message_id!r})"


class Words(str):
    """Words a table marks for translation (N_) and a refusal names, e.g. a clause's label: shown in the reader's
    language."""

    __slots__ = ()


class Series:
    """Items shown one after another, parted by a separator that follows the reader's language
    ("、" by default, ", " in English)."""

    __slots__ = ("items", "separator")

    def __init__(self, items: Iterable, separator: str = "list.enumeration") -> None:
        text_of(separator)
        self.items, self.separator = tuple(items), separator

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Series) and (self.items, self.separator) == (other.items, other.separator)

    def __hash__(self) -> int:
        return hash((self.items, self.separator))

    def __repr__(self) -> str:
        return f"Series({list(self.items)!r}, {self.separator!r})"
