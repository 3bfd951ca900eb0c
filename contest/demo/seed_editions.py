"""The demo editions: CIC8-NB with its fixed 2024 calendar, CIC9-NB with dates counted from the first seeding."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum

import sqlalchemy as sa

from ..domain.states import EditionStage
from ..extensions import db
from ..models import Edition
from ..services import clock
from ..services.judging.rubrics import ensure_default_rubrics
from ..services.judging.stages import STAGE_NAMES
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
        return edition, PastState.NEW, (
            f"届次 {code} {edition.name}：新建（{edition.year} 年：需求征集 {edition.collection_start} 至 "
            f"{edition.collection_end}，揭榜截止 {clock.to_beijing(edition.bidding_deadline):%Y-%m-%d %H:%M}，"
            f"初评 {edition.review_start} 至 {edition.review_end}，现场赛 {edition.final_date}，"
            f"结果公示 {edition.results_date}）")
    if edition.stage == EditionStage.RESULTS:
        return edition, PastState.JUDGED, f"届次 {code}：已存在，已完成评审并公布结果，保持不变"
    return edition, PastState.LEGACY, (
        f"届次 {code}：已存在，处于“{STAGE_NAMES[edition.stage]}”阶段（旧版演示数据），未作改动；"
        "完整的评审演示请在新数据库中运行 seed-demo")


def live_edition(now: datetime) -> tuple[Edition, str]:
    """CIC9-NB, its dates counted from the first seeding so that collection and bidding are open then."""
    calendar = dataset.editions()
    code, name = calendar.live_code, calendar.live_name
    edition = db.session.scalar(sa.select(Edition).where(Edition.code == code))
    if edition is not None:
        return edition, f"届次 {code}：已存在，日期保持不变"
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
    return edition, (
        f"届次 {code} {name}：新建（需求征集 {edition.collection_start} 至 {edition.collection_end}，"
        f"揭榜截止 {day['bidding_deadline']} 17:00，现场赛 {edition.final_date}）"
    )
