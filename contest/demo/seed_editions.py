"""The demo editions: CIC8-NB with its fixed 2024 calendar, CIC9-NB with dates counted from the first seeding."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain.states import EditionStage
from ..extensions import db
from ..models import Edition
from ..services import clock
from ..services.judging.rubrics import ensure_default_rubrics
from ..i18n import refusal_text
from ..services.judging.stages import STAGE_PHRASES
from . import dataset


class PastState(Enum):
    NEW = "new"          # created by this run: its needs, bids and judging are to be seeded
    JUDGED = "judged"    # seeded before and judged to the end (results published): left as it is
    LEGACY = "legacy"    # seeded by an older seed, before judging existed: left as it is


def past_edition() -> tuple[Edition, PastState, str]:
    """CIC8-NB, created with its 2024 calendar when missing; what this run should do with it, and a line."""
    calendar = dataset.editions()
    code = calendar.past_code
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == code))
    if edition is None:
        edition = Edition(**calendar.past)
        db.session.add(edition)
        ensure_default_rubrics(edition)
        return edition, PastState.NEW, _(
            "届次 %(code)s %(name)s：新建（%(year)s 年：需求征集 %(collection_start)s 至 %(collection_end)s，"
            "揭榜截止 %(bidding_deadline)s，初评 %(review_start)s 至 %(review_end)s，现场赛 %(final_date)s，"
            "结果公示 %(results_date)s）",
            code=code, name=edition.name, year=edition.year, collection_start=edition.collection_start,
            collection_end=edition.collection_end,
            bidding_deadline=f"{clock.to_beijing(edition.bidding_deadline):%Y-%m-%d %H:%M}",
            review_start=edition.review_start, review_end=edition.review_end, final_date=edition.final_date,
            results_date=edition.results_date)
    if edition.stage == EditionStage.RESULTS:
        return edition, PastState.JUDGED, _("届次 %(code)s：已存在，已完成评审并公布结果，保持不变", code=code)
    return edition, PastState.LEGACY, _(
        "届次 %(code)s：已存在，处于“%(stage)s”阶段（旧版演示数据），未作改动；"
        "完整的评审演示请在新数据库中运行 seed-demo",
        code=code, stage=refusal_text(STAGE_PHRASES[edition.stage]))


def live_edition(now: datetime) -> tuple[Edition, str]:
    """CIC9-NB, its dates counted from the first seeding so that collection and bidding are open then."""
    calendar = dataset.editions()
    code, name = calendar.live_code, calendar.live_name
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == code))
    if edition is not None:
        return edition, _("届次 %(code)s：已存在，日期保持不变", code=code)
    today = clock.beijing_date(now)
    day = {key: today + timedelta(days=offset) for key, offset in calendar.live_offsets.items()}
    edition = Edition(
        code=code, name=name, year=today.year, created_at=now,
        collection_start=day["collection_start"], collection_end=day["collection_end"],
        bidding_deadline=clock.from_beijing(datetime.combine(day["bidding_deadline"], time(17, 0))),
        review_start=day["review_start"], review_end=day["review_end"],
        final_date=day["final_date"], results_date=day["results_date"],
    )
    db.session.add(edition)
    ensure_default_rubrics(edition)
    return edition, _(
        "届次 %(code)s %(name)s：新建（需求征集 %(collection_start)s 至 %(collection_end)s，"
        "揭榜截止 %(bidding_deadline)s 17:00，现场赛 %(final_date)s）",
        code=code, name=name, collection_start=edition.collection_start, collection_end=edition.collection_end,
        bidding_deadline=day["bidding_deadline"], final_date=edition.final_date,
    )
