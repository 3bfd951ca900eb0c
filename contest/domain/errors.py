"""Errors the rules raise: a message id of the refusal texts (contest/domain/refusals) with its parameters.

The rules say what is refused, not how the web answers it: the web edge (contest/web/refusals.py) gives each
kind its HTTP status and shows the text in the reader's language (contest.i18n.refusal_text).
"""
from __future__ import annotations

from typing import Any

from .refusals import Phrase, Series, Words, render

__all__ = [
    "Conflict", "DeadlinePassed", "DomainError", "Invalid", "InvalidTransition", "NotPermitted", "Phrase",
    "Series", "TooLarge", "WindowClosed", "Words",
]


class DomainError(Exception):
    """A request the rules refuse: `raise Invalid("need.comment_required")`, `Conflict("edition.code_taken",
    code=code)`. An unknown id, or a parameter its text needs and is not given, fails at construction."""

    def __init__(self, message_id: str, /, **params: Any):
        render(message_id, params)
        super().__init__(message_id)
        self.message_id, self.params = message_id, params

    @property
    def message(self) -> str:
        """The refusal in Chinese, its parameters filled in (for logs; pages translate it)."""
        return render(self.message_id, self.params)

    def __str__(self) -> str:
        return self.message


class InvalidTransition(DomainError):
    def __init__(self, old, new):
        super().__init__("state.invalid_transition", old=old, new=new)
        self.old, self.new = old, new


class NotPermitted(DomainError):
    pass


class DeadlinePassed(DomainError):
    pass


class WindowClosed(DomainError):
    pass


class Conflict(DomainError):
    pass


class Invalid(DomainError):
    pass


class TooLarge(DomainError):
    pass
