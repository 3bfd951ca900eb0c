"""Judging: rubrics, judges' expertise and conflicts, assignments, panels, score sheets and notices."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.choices import NeedField
from ..domain.rubric import Round
from ..domain.states import AssignmentStatus, FirmDecision, SheetStatus
from ..extensions import db
from .base import enum_column, utcnow
from .bid import Bid
from .need import Need
from .organization import Organization
from .user import User


class Rubric(db.Model):
    """The criteria of one round of one edition."""

    __tablename__ = "rubric"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"))
    round: Mapped[Round] = mapped_column(enum_column(Round, "round"))
    criteria: Mapped[list["RubricCriterion"]] = relationship(
        back_populates="rubric", order_by="RubricCriterion.position", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("edition_id", "round", name="uq_rubric_edition_round"),)


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(60))
    description: Mapped[str] = mapped_column(sa.String(300), default="")
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")

    __table_args__ = (sa.CheckConstraint("max_points > 0 AND max_points <= 100", name="max_points_range"),)


class JudgeExpertise(db.Model):
    """A field (所属领域) a judge is expert in."""

    __tablename__ = "judge_expertise"

    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    field: Mapped[NeedField] = mapped_column(enum_column(NeedField, "need_field"), primary_key=True)


class DeclaredConflict(db.Model):
    """An organization a judge declared a conflict of interest with."""

    __tablename__ = "declared_conflict"

    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), primary_key=True)
    organization: Mapped[Organization] = relationship(lazy="joined")


class Assignment(db.Model):
    """A judge assigned to score a bid in the online round, or recused from it with a reason."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(sa.ForeignKey("bid.id"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus, "assignment_status"),
                                                     default=AssignmentStatus.ASSIGNED)
    recusal_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bid: Mapped[Bid] = relationship()
    judge: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("bid_id", "judge_id", name="uq_assignment_bid_judge"),)


class PanelMember(db.Model):
    """A member of a need's on-site panel: an expert, or the firm's own representative."""

    __tablename__ = "panel_member"

    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    firm_representative: Mapped[bool] = mapped_column(default=False)

    need: Mapped[Need] = relationship()
    user: Mapped[User] = relationship()


class ScoreSheet(db.Model):
    """One judge, one bid, one round: points per criterion and a comment; locked once submitted."""

    __tablename__ = "score_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    round: Mapped[Round] = mapped_column(enum_column(Round, "round"))
    bid_id: Mapped[int] = mapped_column(sa.ForeignKey("bid.id"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    status: Mapped[SheetStatus] = mapped_column(enum_column(SheetStatus, "sheet_status"), default=SheetStatus.DRAFT)
    comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    submitted_at: Mapped[Optional[datetime]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking: a save from a stale page is refused instead of overwriting a newer one.
    version: Mapped[int] = mapped_column(default=1)

    bid: Mapped[Bid] = relationship()
    judge: Mapped[User] = relationship()
    items: Mapped[list["ScoreItem"]] = relationship(back_populates="sheet", cascade="all, delete-orphan")
    history: Mapped[list["SheetReopening"]] = relationship(back_populates="sheet", order_by="SheetReopening.id",
                                                          cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.UniqueConstraint("bid_id", "judge_id", "round", name="uq_score_sheet_bid_judge_round"),)

    @property
    def total(self) -> Decimal:
        return sum((item.points for item in self.items), Decimal("0"))


class ScoreItem(db.Model):
    __tablename__ = "score_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("score_sheet.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric_criterion.id"))
    points: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))

    sheet: Mapped[ScoreSheet] = relationship(back_populates="items")
    criterion: Mapped[RubricCriterion] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("sheet_id", "criterion_id", name="uq_score_item_sheet_criterion"),
        sa.CheckConstraint("points >= 0", name="points_not_negative"),
    )


class SheetReopening(db.Model):
    """A submitted sheet reopened by an organizer: the reason and the values it had."""

    __tablename__ = "sheet_reopening"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("score_sheet.id"), index=True)
    reopened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(sa.String(500))
    # The sheet as it was: {"comment": ..., "submitted_at": ..., "points": {criterion name: "12.5", ...}}
    snapshot: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="history")
    reopened_by: Mapped[User] = relationship()


class FirmConfirmation(db.Model):
    """The firm confirms the first-ranked team of its need as winner, or declines with a reason."""

    __tablename__ = "firm_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One a need, or more when an upheld objection reversed an award and the firm decided again: the latest counts.
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    bid_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("bid.id"))
    decision: Mapped[FirmDecision] = mapped_column(enum_column(FirmDecision, "firm_decision"))
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    need: Mapped[Need] = relationship()
    bid: Mapped[Optional[Bid]] = relationship()


class TieRuling(db.Model):
    """The organizer's ruling on a first place the tie-breaks could not separate: which bid ranks first, why."""

    __tablename__ = "tie_ruling"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    bid_id: Mapped[int] = mapped_column(sa.ForeignKey("bid.id"))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    ruled_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bid: Mapped[Bid] = relationship()


class Notice(db.Model):
    """An in-app notice to one user (a reminder, a recusal to handle…)."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(500))
    # The kind of event (contest/services/notify/events.py) and where to look, for notices written since they exist.
    event: Mapped[Optional[str]] = mapped_column(sa.String(40))
    link: Mapped[Optional[str]] = mapped_column(sa.String(300))
    # A notice that must be left once only (a reminder at a due date) carries a key of its own.
    dedupe_key: Mapped[Optional[str]] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[Optional[datetime]]
