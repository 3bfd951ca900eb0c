"""Bids (挑战报告): one live bid per team per need, with one PDF attachment."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.states import BidStatus
from ..extensions import db
from .base import enum_column, utcnow
from .need import Need
from .team import Team


class Bid(db.Model):
    __tablename__ = "bid"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    status: Mapped[BidStatus] = mapped_column(
        enum_column(BidStatus, "bid_status"), default=BidStatus.DRAFT, index=True
    )
    approach: Mapped[str] = mapped_column(sa.String(2000))        # 技术方案与路线
    innovation: Mapped[str] = mapped_column(sa.String(1000))      # 创新点
    indicators: Mapped[str] = mapped_column(sa.String(1000))      # 承诺的关键指标
    plan: Mapped[str] = mapped_column(sa.String(2000))            # 研发计划与里程碑
    price_wan: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))  # 报价（万元）
    duration_months: Mapped[int]
    ip_background: Mapped[str] = mapped_column(sa.String(1000), default="")
    strengths: Mapped[str] = mapped_column(sa.String(1000), default="")
    declaration_accepted: Mapped[bool] = mapped_column(default=False)
    # The challenge report, stored under instance/uploads with a generated name.
    pdf_stored_name: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    pdf_original_name: Mapped[Optional[str]] = mapped_column(sa.String(200))
    pdf_size: Mapped[Optional[int]]
    pdf_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # The anonymity check of the report's text at upload: True passed, False no text layer ("not checked").
    report_text_checked: Mapped[Optional[bool]]
    # The organizer found the report names its team: out of the online round, with the reason (audited).
    identity_disclosed_at: Mapped[Optional[datetime]]
    identity_disclosed_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    identity_disclosed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    submitted_at: Mapped[Optional[datetime]]
    withdrawn_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    need: Mapped[Need] = relationship()
    team: Mapped[Team] = relationship()

    __table_args__ = (
        # One live bid per team per need; a withdrawn bid leaves room for a new one.
        sa.Index(
            "uq_bid_live_team_need",
            "team_id",
            "need_id",
            unique=True,
            sqlite_where=sa.text("status != 'withdrawn'"),
            postgresql_where=sa.text("status != 'withdrawn'"),
        ),
        sa.CheckConstraint("price_wan > 0", name="price_positive"),
        sa.CheckConstraint("duration_months > 0", name="duration_positive"),
        sa.CheckConstraint(
            "status IN ('draft', 'withdrawn') OR (declaration_accepted AND pdf_stored_name IS NOT NULL)",
            name="submitted_complete",
        ),
    )

    def __repr__(self) -> str:
        return f"<Bid {self.id} {self.status.value}>"
