"""Demo needs with their screening history: most published, a few waiting, returned or still drafts."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext

from ..domain.needs import parse_keywords
from ..domain.states import NeedStatus, ReviewDecision
from ..extensions import db
from ..models import Edition, Market, Need, NeedReview, User
from ..services import clock
from . import dataset
from .tally import Tally


def status_words() -> dict[NeedStatus, str]:
    """The statuses the summary counts, in the reader's language ("demo": lower-case words in English)."""
    return {NeedStatus.PUBLISHED: pgettext("demo", "已发布"), NeedStatus.SUBMITTED: pgettext("demo", "待甄别"),
            NeedStatus.RETURNED: pgettext("demo", "退回修改"), NeedStatus.DRAFT: pgettext("demo", "草稿")}


def office_time(anchor: datetime, days_ago: int, slot: int) -> datetime:
    """A plausible working-hours moment (Beijing) `days_ago` days before `anchor`, never after it."""
    day = clock.beijing_date(anchor) - timedelta(days=days_ago)
    moment = clock.from_beijing(datetime.combine(day, time(9 + slot % 8, slot * 13 % 60)))
    return min(moment, anchor)


def period_end(start: date, months: int) -> date:
    """The last day of a period of `months` whole months starting on the first of a month."""
    month_index = start.month - 1 + months
    return date(start.year + month_index // 12, month_index % 12 + 1, 1) - timedelta(days=1)


def needs_of(code: str) -> list[dict]:
    """The demo needs of one edition, in data order."""
    return [item for item in dataset.needs().all if item["edition"] == code]


def seed_needs(edition: Edition, users: dict[str, User], tally: Tally, *, anchor: datetime,
               create: bool = True) -> tuple[dict[str, Need], str]:
    """Create the edition's missing demo needs (unless `create` is off); return them all by key, and a line.

    Timestamps are counted back from `anchor`: publications in the 50 days before it, screening after.
    """
    items = needs_of(edition.code)
    existing = {n.name: n for n in db.session.scalars(
        sa.select(Need).where(Need.edition_id == edition.id, Need.name.in_([n["name"] for n in items]))
    )}
    kind = f"needs {edition.code}"
    organizer = users["organizer"]
    # The work starts on the first of a month, once the results are out and the contract signed.
    period_start = (edition.results_date + timedelta(days=45)).replace(day=1)
    needs: dict[str, Need] = {}
    new_by_status: Counter[NeedStatus] = Counter()
    published = 0
    for index, item in enumerate(items):
        status = item.get("status", NeedStatus.PUBLISHED)
        need = existing.get(item["name"])
        if need is None and create:
            need = _create(edition, users[item["firm"]], item, status, period_start)
            _history(need, organizer, item, anchor, index, published)
            db.session.add(need)
            new_by_status[status] += 1
            tally.add(kind, True)
        elif need is not None:
            tally.add(kind, False)
        published += status == NeedStatus.PUBLISHED
        if need is not None:
            needs[item["key"]] = need
    db.session.flush()
    detail = _("、").join(_("%(status)s %(count)s", status=word, count=new_by_status[s])
                         for s, word in status_words().items() if new_by_status[s])
    return needs, tally.line(kind, _("技术需求（%(code)s）", code=edition.code), _("条"),
                             _("（%(detail)s）", detail=detail) if detail else "")


def _market_id(name: str) -> int:
    """The id of the seeded market of that name (the demo names each need's market)."""
    return db.session.scalars(sa.select(Market.id).where(Market.name == name)).one()


def _create(edition: Edition, firm: User, item: dict, status: NeedStatus, period_start: date) -> Need:
    need = Need(
        edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status,
        name=item["name"], category=item["category"], field=item["field"], industry=item["industry"],
        problem=item["problem"], key_points=item["key_points"], goals=item["goals"],
        budget_wan=Decimal(item["budget"]), period_start=period_start,
        period_end=period_end(period_start, item["months"]), cooperation=item["cooperation"],
        market_id=_market_id(item["source"]), anonymous=item.get("anonymous", False),
    )
    need.keyword_list = parse_keywords(",".join(item["keywords"]))
    return need


def _history(need: Need, organizer: User, item: dict, anchor: datetime, index: int, published: int) -> None:
    """Timestamps and screening decisions that fit the need's status, relative to the first seeding."""
    if need.status == NeedStatus.PUBLISHED:
        need.published_at = office_time(anchor, 50 - 2 * published, index)
        need.submitted_at = need.published_at - timedelta(days=3, hours=2)
        need.created_at = need.submitted_at - timedelta(days=2, hours=5)
        comments = dataset.needs().approval_comments
        need.reviews.append(NeedReview(reviewer_id=organizer.id, decision=ReviewDecision.APPROVE,
                                       comment=comments[index % len(comments)],
                                       created_at=need.published_at))
    elif need.status == NeedStatus.SUBMITTED:
        need.submitted_at = office_time(anchor, 2 + index % 3, index)
        need.created_at = need.submitted_at - timedelta(days=4, hours=3)
    elif need.status == NeedStatus.RETURNED:
        need.submitted_at = office_time(anchor, 15, index)
        need.created_at = need.submitted_at - timedelta(days=3)
        need.reviews.append(NeedReview(reviewer_id=organizer.id, decision=ReviewDecision.RETURN,
                                       comment=item["return_comment"],
                                       created_at=office_time(anchor, 12, index + 1)))
    else:
        need.created_at = office_time(anchor, 1, index)
    need.updated_at = need.reviews[-1].created_at if need.reviews else (need.submitted_at or need.created_at)
