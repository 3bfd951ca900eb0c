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
        (data["collection_start"], data["collection_end"], "需求征集结束日期不能早于开始日期"),
        (data["collection_end"], deadline_day, "揭榜截止时间不能早于需求征集结束"),
        (deadline_day, data["review_start"], "初评开始不能早于揭榜截止"),
        (data["review_start"], data["review_end"], "初评结束不能早于初评开始"),
        (data["review_end"], data["final_date"], "现场赛不能早于初评结束"),
        (data["final_date"], data["results_date"], "结果公布不能早于现场赛"),
    ]
    for earlier, later, message in steps:
        if later < earlier:
            raise Invalid(message)


def save_edition(actor: User, data: dict, edition: Edition | None = None) -> Edition:
    """Create an edition, or change its name and dates (the code never changes)."""
    if actor is not None:  # None: the command line
        ensure_organizer(actor)
    check_calendar(data)
    if edition is None:
        code = (data["code"] or "").strip().upper()
        if not CODE_PATTERN.match(code):
            raise Invalid("届次代码由 2 至 20 位大写字母、数字和连字符组成，如 CIC8-NB")
        if db.session.scalar(sa.select(Edition.id).where(Edition.code == code)):
            raise Conflict(f"届次代码 {code} 已存在")
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
