"""Refusals at the web edge: a service's refusal becomes a flashed message and a 4xx status."""
from __future__ import annotations

from flask import flash

from ..domain.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    Invalid,
    InvalidTransition,
    NotPermitted,
    TooLarge,
    WindowClosed,
)
from ..extensions import db

# The one place where a kind of refusal gets its HTTP status (the most specific kind listed wins).
STATUS: dict[type[DomainError], int] = {
    Invalid: 400,
    NotPermitted: 403,
    DeadlinePassed: 403,
    WindowClosed: 403,
    Conflict: 409,
    InvalidTransition: 409,
    TooLarge: 413,
}


def status_of(error: DomainError) -> int:
    """The status that answers this refusal: its kind's, or 400 for a kind not in the table."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def refuse(error: DomainError) -> int:
    """A service refused the request: undo everything it did, tell the user why, return the 4xx to answer.

    Call it before rendering the page that answers, so the message shows on that page.
    """
    db.session.rollback()
    flash(error.message, "danger")
    return status_of(error)
