"""Form submissions: which rendered form (its per-render key) created which record, so it creates only one."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class FormSubmission(db.Model):
    """A user's use of one rendered form, and the address of the record it made (see contest/once.py)."""

    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    submission_key: Mapped[str] = mapped_column(sa.String(64))
    # The path of the record the first submission created, e.g. /team/bids/12.
    url: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # What arbitrates between a form's parallel or replayed copies: only one can claim its key.
    __table_args__ = (sa.UniqueConstraint("user_id", "submission_key", name="uq_form_submission_user_key"),)
