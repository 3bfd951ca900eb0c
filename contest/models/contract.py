"""Technology development contracts (技术开发（委托）/（合作）合同), their instalments, acceptances and payments."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.contracts import NONTECH_PARTS, ContractStatus, ContractType, DisputeResolution, IpOwnership
from ..extensions import db
from .base import enum_column, utcnow
from .bid import Bid
from .edition import Edition
from .need import Need
from .user import User


class Contract(db.Model):
    """One version of the contract between a need's firm (甲方) and its winning team's lead organization (乙方)."""

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    bid_id: Mapped[int] = mapped_column(sa.ForeignKey("bid.id"))
    version: Mapped[int] = mapped_column(default=1)
    replaces_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("contract.id"))
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus, "contract_status"),
                                                   default=ContractStatus.DRAFT, index=True)
    # Set when issued: e.g. CIC8-NB-2024-001 (sequence per edition; a new version keeps it, with -V2).
    sequence: Mapped[Optional[int]]
    number: Mapped[Optional[str]] = mapped_column(sa.String(40), unique=True)

    # Cover
    project_name: Mapped[str] = mapped_column(sa.String(200))
    # Which model text: 委托 or 合作, from the need's cooperation mode; the organizer may change it before issue.
    contract_type: Mapped[ContractType] = mapped_column(enum_column(ContractType, "contract_type"),
                                                        default=ContractType.COMMISSIONED)
    # The model text's remaining blanks (days, sub-items, options), by contest.domain.contract_clauses key.
    clauses: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The registration form's classification (contest.domain.registration_codes tables).
    tech_field: Mapped[str] = mapped_column(sa.String(8), default="")     # 技术领域
    ip_category: Mapped[str] = mapped_column(sa.String(8), default="")    # 知识产权类别
    socio_goal: Mapped[str] = mapped_column(sa.String(8), default="")     # 社会经济目标
    sign_place: Mapped[str] = mapped_column(sa.String(100), default="浙江省宁波市")
    sign_date: Mapped[Optional[date]]          # 签订时间 (planned; the real date is signed_on)
    valid_from: Mapped[Optional[date]]
    valid_to: Mapped[Optional[date]]
    # The parties as they stand in the contract (JSON snapshots of the organizations, editable in draft).
    party_a: Mapped[str] = mapped_column(sa.Text)
    party_b: Mapped[str] = mapped_column(sa.Text)
    # The brokers of both sides (confirmed credits on the need and on the bid), recorded when drafted.
    firm_broker_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("broker.id"))
    team_broker_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("broker.id"))

    # Articles
    goal: Mapped[str] = mapped_column(sa.Text, default="")              # 技术目标
    content: Mapped[str] = mapped_column(sa.Text, default="")           # 技术内容
    method: Mapped[str] = mapped_column(sa.Text, default="")            # 技术方法和路线
    rd_plan: Mapped[str] = mapped_column(sa.Text, default="")           # 研究开发计划
    rd_deadline: Mapped[Optional[date]]                                 # 研究开发计划的完成期限
    firm_materials: Mapped[str] = mapped_column(sa.Text, default="")    # 甲方提供的技术资料和条件
    total_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))    # 元
    # The total's non-technical parts (技术合同认定规则 art. 51): what the total less these leaves is the 技术交易额.
    equipment_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))    # 设备费
    instrument_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))   # 仪器费
    parts_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))        # 零部件费
    materials_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))    # 原材料费
    other_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))        # 其他非技术性费用
    funds_use: Mapped[str] = mapped_column(sa.Text, default="")
    acceptance_criteria: Mapped[str] = mapped_column(sa.Text, default="")
    acceptance_method: Mapped[str] = mapped_column(sa.Text, default="")
    ip_ownership: Mapped[IpOwnership] = mapped_column(enum_column(IpOwnership, "ip_ownership"),
                                                      default=IpOwnership.DEVELOPER)
    ip_detail: Mapped[str] = mapped_column(sa.Text, default="")
    confidentiality_years: Mapped[int] = mapped_column(default=3)
    risk_terms: Mapped[str] = mapped_column(sa.Text, default="")
    after_sales: Mapped[str] = mapped_column(sa.Text, default="")
    breach_terms: Mapped[str] = mapped_column(sa.Text, default="")
    dispute: Mapped[DisputeResolution] = mapped_column(enum_column(DisputeResolution, "dispute_resolution"),
                                                       default=DisputeResolution.ARBITRATION)
    arbitration_commission: Mapped[str] = mapped_column(sa.String(100), default="宁波仲裁委员会")
    copies: Mapped[int] = mapped_column(default=4)
    other_terms: Mapped[str] = mapped_column(sa.Text, default="")

    # Issue: the frozen document
    pdf: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))
    verify_token: Mapped[Optional[str]] = mapped_column(sa.String(43), unique=True)
    issued_at: Mapped[Optional[datetime]]
    issued_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    # Correction
    voided_at: Mapped[Optional[datetime]]
    void_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    # Signature
    signed_on: Mapped[Optional[date]]
    signed_scan_name: Mapped[Optional[str]] = mapped_column(sa.String(64))
    signed_scan_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # Registration (技术合同认定登记): what the registration office assigned and certified, recorded after it.
    registration_number: Mapped[Optional[str]] = mapped_column(sa.String(18), unique=True)   # 登记编号
    registered_tech_amount: Mapped[Optional[Decimal]] = mapped_column(sa.Numeric(14, 2))    # 核定技术交易额, 元
    registered_on: Mapped[Optional[date]]

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    edition: Mapped[Edition] = relationship()
    need: Mapped[Need] = relationship()
    bid: Mapped[Bid] = relationship()
    issued_by: Mapped[Optional[User]] = relationship()
    instalments: Mapped[list["Instalment"]] = relationship(
        back_populates="contract", order_by="Instalment.seq", cascade="all, delete-orphan")
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="contract", order_by="Payment.received_on", cascade="all, delete-orphan")
    acceptances: Mapped[list["MilestoneAcceptance"]] = relationship(
        back_populates="contract", order_by="MilestoneAcceptance.accepted_on", cascade="all, delete-orphan")

    __table_args__ = (
        # One live contract per need; voided versions stay beside it.
        sa.Index("uq_contract_live_need", "need_id", unique=True,
                 sqlite_where=sa.text("status != 'void'"), postgresql_where=sa.text("status != 'void'")),
        sa.UniqueConstraint("need_id", "version", name="uq_contract_need_version"),
        sa.CheckConstraint("total_amount > 0", name="total_positive"),
        sa.CheckConstraint("equipment_amount + instrument_amount + parts_amount + materials_amount + other_amount"
                           " <= total_amount", name="tech_amount_not_negative"),
        sa.CheckConstraint("copies >= 2", name="copies_enough"),
        sa.CheckConstraint("status = 'draft' OR (number IS NOT NULL AND pdf_sha256 IS NOT NULL)", name="issued_frozen"),
    )

    @hybrid_property
    def nontech_amount(self) -> Decimal:
        """The total's non-technical parts together (equipment, instruments, parts, raw materials, other)."""
        return sum((getattr(self, key) or Decimal(0) for key in NONTECH_PARTS), Decimal(0))

    @nontech_amount.inplace.expression
    @classmethod
    def _nontech_amount(cls):
        return sum((getattr(cls, key) for key in NONTECH_PARTS[1:]), getattr(cls, NONTECH_PARTS[0]))

    @hybrid_property
    def tech_amount(self) -> Decimal:
        """技术交易额: the total less its non-technical parts (also an SQL expression, for the statistics)."""
        return Decimal(self.total_amount or 0) - self.nontech_amount

    @tech_amount.inplace.expression
    @classmethod
    def _tech_amount(cls):
        return cls.total_amount - cls.nontech_amount


class Instalment(db.Model):
    """A payment due under the contract, with the deliverable or acceptance that triggers it."""

    __tablename__ = "instalment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    seq: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    due_date: Mapped[date]
    condition: Mapped[str] = mapped_column(sa.String(500))

    contract: Mapped[Contract] = relationship(back_populates="instalments")

    __table_args__ = (
        sa.UniqueConstraint("contract_id", "seq", name="uq_instalment_contract_seq"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )


class MilestoneAcceptance(db.Model):
    """A milestone of the contract accepted (验收) on a date."""

    __tablename__ = "milestone_acceptance"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    instalment_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("instalment.id"))
    description: Mapped[str] = mapped_column(sa.String(500))
    accepted_on: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="acceptances")


class Payment(db.Model):
    """Funds actually received (实际到账) under the contract."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    received_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    # The bank receipt (银行回单) proving the funds arrived; required from the form, empty on older rows.
    bank_receipt: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="payments")

    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)
