"""Editions: the organizer opens one and sets its stage dates."""
from __future__ import annotations

import re

import sqlalchemy as sa

from ..domain.errors import Conflict, Invalid
from ..domain.permissions import ensure_organizer
from ..extensions import db
from ..models import Edition, User
from .judging.rubrics import ensure_default_rubrics
from .records import audit

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
EDITION_FIELDS = (
    "name", "year", "collection_start", "collection_end", "bidding_deadline",
    "review_start", "review_end", "final_date", "results_date",
)


def check_calendar(data: dict) -> None:
    """The stages follow each other: collection, bidding deadline, review, final, results."""
    deadline_day = data["bidding_deadline"].date()
    steps = [
        (data["collection_start"], data["collection_end"], Invalid("edition.collection_reversed")),
        (data["collection_end"], deadline_day, Invalid("edition.deadline_before_collection_end")),
        (deadline_day, data["review_start"], Invalid("edition.review_before_deadline")),
        (data["review_start"], data["review_end"], Invalid("edition.review_reversed")),
        (data["review_end"], data["final_date"], Invalid("edition.final_before_review_end")),
        (data["final_date"], data["results_date"], Invalid("edition.results_before_final")),
    ]
    for earlier, later, refusal in steps:
        if later < earlier:
            raise refusal


def save_edition(actor: User, data: dict, edition: Edition | None = None) -> Edition:
    """Create an edition, or change its name and dates (the code never changes)."""
    if actor is not None:  # None: the command line
        ensure_organizer(actor)
    check_calendar(data)
    if edition is None:
        code = (data["code"] or "").strip().upper()
        if not CODE_PATTERN.match(code):
            raise Invalid("edition.code_invalid")
        if db.session.scalar(sa.select(Edition.id).where(Edition.code == code)):
            raise Conflict("edition.code_taken", code=code)
        edition = Edition(code=code)
        db.session.add(edition)
        action = "edition.create"
    else:
        action = "edition.update"
    for key in EDITION_FIELDS:
        setattr(edition, key, data[key])
    if action == "edition.create":
        ensure_default_rubrics(edition)
    audit.record(actor, action, edition, {"code": edition.code})
    return edition


def edition_by_code(code: str) -> Edition | None:
    return db.session.scalar(sa.select(Edition).where(Edition.code == code))


def all_editions() -> list[Edition]:
    return list(db.session.scalars(sa.select(Edition).order_by(Edition.year.desc(), Edition.id.desc())))


def open_for_needs(today) -> list[Edition]:
    """Editions whose need collection is open on `today` (a Beijing date)."""
    return list(db.session.scalars(
        sa.select(Edition)
        .where(Edition.collection_start <= today, Edition.collection_end >= today)
        .order_by(Edition.id)
    ))
