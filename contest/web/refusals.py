"""Refusals at the web edge: a service's refusal becomes a flashed message, in the reader's language, and a 4xx."""
from __future__ import annotations

from flask import flash

from ..domain.errors import (
    Conflict, DeadlinePassed, DomainError, Invalid, InvalidTransition, NotPermitted, TooLarge, WindowClosed,
)
from ..extensions import db
from ..i18n import refusal_text
from ..services.judging.scoring import NotOnSheet

# The one place where a kind of refusal gets its HTTP status (the most specific kind listed wins).
STATUS: dict[type[DomainError], int] = {
    Invalid: 400,
    NotPermitted: 403,
    DeadlinePassed: 403,
    WindowClosed: 403,
    Conflict: 409,
    InvalidTransition: 409,
    TooLarge: 413,
    NotOnSheet: 404,  # a judge not assigned to the bid (or not on its panel) is answered like a missing page
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
    flash(refusal_text(error), "danger")
    return status_of(error)
