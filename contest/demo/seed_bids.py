"""Demo bids: submitted challenge reports with a generated PDF each, on the published demo needs."""
from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain.states import BidStatus, NeedStatus
from ..extensions import db
from ..models import Bid, Edition, Need, Team
from ..services import bids as bid_service
from ..services.files import uploads
from ..services.files.pdf_text import read_texts
from . import dataset
from .report_pdf import build_pdf
from .tally import Tally


def plan_text(months: int) -> str:
    """An R&D plan in three milestones spread over the bid's duration."""
    first, second = max(2, months // 4), max(4, months * 2 // 3)
    return (f"第1—{first}个月：现场调研，细化技术方案与验收指标，完成关键技术攻关；"
            f"第{first + 1}—{second}个月：完成样机（样品）研制与实验室测试，提交阶段报告；"
            f"第{second + 1}—{months}个月：在企业现场开展应用验证与优化，形成成果并提交验收材料。")


def report_pdf(edition: Edition, need: Need, team: Team, bid: Bid) -> bytes:
    """The demo challenge report: a one-page PDF naming the need and the offer, anonymous as the online review
    requires (no team, organization, person or contact: see checked_report)."""
    return build_pdf("挑战报告", [
        f"届次：{edition.name}",
        f"技术需求：{need.name}",
        f"报价：{bid.price_wan:.2f} 万元；研发周期：{bid.duration_months} 个月",
        f"技术方案：{bid.approach}",
        f"创新点：{bid.innovation}",
        f"关键指标：{bid.indicators}",
        f"研发计划：{bid.plan}",
        "（演示数据，由 seed-demo 自动生成；报告匿名，不含团队、单位和成员信息）",
    ])


def checked_report(team: Team, content: bytes) -> bool | None:
    """The anonymity check an upload meets (services.bids.check_report), on a demo report: a demo report that named
    its team would fail the seeding here."""
    pdf = uploads.CheckedPdf(content=content, original_name="report.pdf", page_texts=tuple(read_texts(content)))
    return bid_service.check_report(team, pdf)


def _write(content: bytes, name: str, written: list[Path]) -> None:
    """Stage the PDF: it is moved into place when seed-demo commits, like an uploaded one."""
    written.append(uploads.store_as(uploads.folder(), name, content))


def seed_bids(edition: Edition, needs: dict[str, Need], teams: dict[str, Team], tally: Tally,
              written: list[Path], *, anchor: datetime, lag_days: int) -> list[str]:
    """Create the missing demo bids on the edition's still-published needs, submitted `lag_days` or more
    after the need's publication and before `anchor`; rewrite a demo PDF whose file is gone."""
    items = [item for item in dataset.bids() if item["need"] in needs]
    team_ids = [t.id for t in teams.values()]
    existing = {(b.team_id, b.need_id): b for b in db.session.scalars(
        sa.select(Bid).where(Bid.team_id.in_(team_ids), Bid.need_id.in_([n.id for n in needs.values()]))
        .order_by(Bid.id)
    )}
    kind = f"bids {edition.code}"
    order_on_need: Counter[str] = Counter()
    restored = 0
    for index, item in enumerate(items):
        need, team = needs[item["need"]], teams[item["team"]]
        nth = order_on_need[item["need"]]
        order_on_need[item["need"]] += 1
        bid = existing.get((team.id, need.id))
        if bid is not None:
            tally.add(kind, False)
            restored += _restore_file(edition, need, team, bid, written)
            continue
        if need.status != NeedStatus.PUBLISHED:
            continue  # the need left the catalogue since the first seeding: no new bid on it
        bid = _new_bid(need, team, item)
        bid.submitted_at = min(need.published_at + timedelta(days=lag_days + 3 * nth, hours=index % 7),
                               anchor - timedelta(hours=1 + index % 5))
        bid.created_at = bid.updated_at = bid.submitted_at - timedelta(hours=2)
        content = report_pdf(edition, need, team, bid)
        bid.report_text_checked = checked_report(team, content)
        bid.pdf_stored_name = f"{uuid.uuid4().hex}.pdf"
        bid.pdf_size, bid.pdf_sha256 = len(content), hashlib.sha256(content).hexdigest()
        _write(content, bid.pdf_stored_name, written)
        db.session.add(bid)
        tally.add(kind, True)
    saved = _("（PDF 保存在 %(folder)s）", folder=uploads.folder()) if tally.created[kind] else ""
    lines = [tally.line(kind, _("挑战报告（%(code)s）", code=edition.code), _("份"), saved)]
    if restored:
        lines.append(_("挑战报告文件（%(code)s）：补写缺失的演示 PDF %(count)s 个", code=edition.code, count=restored))
    return lines


def _new_bid(need: Need, team: Team, item: dict) -> Bid:
    about = dataset.accounts().teams[item["team"]]
    price = (need.budget_wan * Decimal(item["ratio"])).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return Bid(
        need_id=need.id, team_id=team.id, status=BidStatus.SUBMITTED, approach=item["approach"],
        innovation=item["innovation"], indicators=item["indicators"], plan=plan_text(item["months"]),
        price_wan=price, duration_months=item["months"], ip_background=about["ip_background"],
        strengths=about["strengths"], declaration_accepted=True,
        pdf_original_name=f"{team.name}-挑战报告.pdf"[:200],
    )


def _restore_file(edition: Edition, need: Need, team: Team, bid: Bid, written: list[Path]) -> int:
    """Write a seeded bid's PDF again when its file is missing and the regenerated bytes match its checksum."""
    if not bid.pdf_stored_name or uploads.path_of(bid.pdf_stored_name).exists():
        return 0
    content = report_pdf(edition, need, team, bid)
    if hashlib.sha256(content).hexdigest() != bid.pdf_sha256:
        return 0
    _write(content, bid.pdf_stored_name, written)
    return 1
