"""seed-scale's work: the edition row and its rubrics, the generated rows written in bulk, the files, the
contract documents. Flushes, never commits (the command does); removes the files it wrote if it fails."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext
from werkzeug.security import generate_password_hash

from ..domain.rubric import Round
from ..extensions import db
from ..models import Edition
from ..services.judging.rubrics import ensure_default_rubrics, rubric_for
from ..services.judging.standings import edition_standings
from . import write
from .documents import issue_documents
from .generate import edition_row, generate
from .plan import PASSWORD, Calendar, Sizes, Stage, code_slug

Echo = Callable[[str], None]


class Refused(Exception):
    """The edition cannot be written into this database; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Request:
    sizes: Sizes
    seed: int
    code: str
    stage: Stage
    rendered: int = 3    # contract PDFs rendered by the real renderer; the others reuse their bytes


def kind_names() -> dict[str, str]:
    """Each table as the summary names it, in the reader's language (the "scale" context: plural in English)."""
    return {"organization": pgettext("scale", "机构"), "user_account": pgettext("scale", "账号"),
            "team": pgettext("scale", "揭榜团队"), "team_member": pgettext("scale", "团队成员"),
            "judge_expertise": pgettext("scale", "专家擅长领域"), "declared_conflict": pgettext("scale", "专家声明回避单位"),
            "need": pgettext("scale", "技术需求"), "need_review": pgettext("scale", "甄别记录"),
            "bid": pgettext("scale", "挑战报告"), "assignment": pgettext("scale", "初评分配"),
            "score_sheet": pgettext("scale", "评分表"), "score_item": pgettext("scale", "评分项"),
            "panel_member": pgettext("scale", "现场评审组成员"), "firm_confirmation": pgettext("scale", "企业确认"),
            "notice": pgettext("scale", "站内通知"), "contract": pgettext("scale", "合同"),
            "instalment": pgettext("scale", "付款分期"), "milestone_acceptance": pgettext("scale", "里程碑验收"),
            "payment": pgettext("scale", "到账记录")}


class _Timer:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self) -> str:
        now, last = time.perf_counter(), self.last
        self.last = now
        return f"{now - last:.1f}"

    def total(self) -> str:
        return f"{time.perf_counter() - self.start:.1f}"


def seed_scale(request: Request, echo: Echo) -> list[Path]:
    """Write the edition `request` describes, telling each kind of rows as it goes in; the files written."""
    code, cal, timer = request.code, Calendar(), _Timer()
    if write.edition_exists(code):
        raise Refused(_("届次 %(code)s 已存在：seed-scale 不写入已有的届次，请换一个 --code", code=code))
    password_hash = generate_password_hash(PASSWORD)   # once: every account shares it
    highest = write.highest_ids()
    edition = edition_row(code, request.stage, highest["edition"] + 1, cal)
    db.session.execute(sa.insert(Edition), [edition])
    ensure_default_rubrics(db.session.get(Edition, edition["id"]))
    criteria = {r: [(c.id, c.max_points) for c in rubric_for(edition["id"], r).criteria] for r in Round}
    data = generate(request.sizes, request.seed, code, request.stage, edition, highest, password_hash,
                    criteria[Round.ONLINE], criteria[Round.ONSITE], cal)
    echo(_("届次 %(code)s：生成到“%(stage)s”阶段（种子 %(seed)s），用时 %(seconds)s 秒",
           code=code, stage=request.stage.value, seed=request.seed, seconds=timer.lap()))
    taken = write.collisions(data.tables)
    if taken:
        raise Refused(_("数据库中已有 %(count)s 个同名账号或机构（如 %(first)s）：请换一个 --code 或 --seed",
                        count=len(taken), first=taken[0]))
    if data.contracts is not None:
        rendered = issue_documents(data.contracts, request.rendered)
        echo(_("合同 PDF：用正式模板生成 %(rendered)s 份，其余 %(others)s 份复用其文件（测试数据），用时 %(seconds)s 秒",
               rendered=rendered, others=max(0, len(data.contracts.contracts.rows) - rendered), seconds=timer.lap()))
    names = kind_names()
    for table in data.tables:
        write.insert(table)
        echo(_("%(kind)s：%(count)s 条，用时 %(seconds)s 秒", kind=names[table.model.__tablename__],
               count=f"{len(table.rows):,}", seconds=timer.lap()))
    if request.stage.reaches(Stage.RESULTS):
        frozen = freeze_standings(db.session.get(Edition, edition["id"]), cal.results_at)
        if frozen is not None:
            echo(_("公布的排名：固定 %(count)s 个需求的排名，用时 %(seconds)s 秒", count=frozen, seconds=timer.lap()))
    written: list[Path] = []
    try:
        write.write_files(data.files, written)
        echo(_("文件（挑战报告 PDF、合同签字扫描件）：%(count)s 个，用时 %(seconds)s 秒",
               count=f"{len(written):,}", seconds=timer.lap()))
        write.follow_sequences()
        db.session.flush()
    except BaseException:
        write.remove_files(written)
        raise
    request_summary(request, data, echo)
    echo(_("完成：共 %(rows)s 行，用时 %(seconds)s 秒", rows=f"{sum(len(t.rows) for t in data.tables):,}",
           seconds=timer.total()))
    return written


def freeze_standings(edition: Edition, moment) -> int | None:
    """Freeze the standings as publish_results does, in the versions of the app that freeze them (None in
    the others): computed by the standings service from the rows just written."""
    try:
        from ..services.judging import published
    except ImportError:
        return None
    return published.freeze(edition, edition_standings(edition), moment)


def request_summary(request: Request, data, echo: Echo) -> None:
    """How the edition came out: short bids, failures, declines, contracts; who to log in as."""
    counts = data.counts
    if request.stage.reaches(Stage.REVIEW):
        echo(_("初评：每份挑战报告 5 位无回避关系的专家，%(short)s 份专家不足", short=len(data.short)))
    if request.stage.reaches(Stage.RESULTS):
        echo(_("结果：企业不予确认 %(declined)s 个需求；其余流榜为无人揭榜或无挑战报告达到 60 分",
               declined=counts["declined"]))
    if data.contracts is not None:
        echo(_("合同：出具 %(issued)s 份，其中已签订 %(signed)s 份，合同总额 %(total)s 元",
               issued=counts["contract"], signed=counts["signed"], total=f"{data.contracts.total:,.2f}"))
    slug = code_slug(request.code)
    echo(_("账号（密码均为 %(password)s）：%(slug)s-organizer（组织方）；%(slug)s-firm0001 起（发榜企业）；"
           "%(slug)s-team0001 起（揭榜团队）；%(slug)s-judge001 起（评审专家）", password=PASSWORD, slug=slug))
