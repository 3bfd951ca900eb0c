"""A job: long work (an export, an assignment, a batch of PDFs) run by a worker off the request, with its
progress, its result file or summary, and its failure (contest/services/jobs)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.states import JobStatus
from ..extensions import db
from .base import enum_column, utcnow
from .edition import Edition
from .user import User


class Job(db.Model):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The registered kind ("scores.export") and its parameters, as JSON.
    kind: Mapped[str] = mapped_column(sa.String(60))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The language of whoever started it: the job writes its files and messages in it.
    locale: Mapped[str] = mapped_column(sa.String(10), default="zh_CN")
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED,
                                              index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)  # 0 while the kind has not said how much there is
    # The result file, under the jobs folder (contest/services/jobs/results.py), and how it is downloaded.
    result_name: Mapped[Optional[str]] = mapped_column(sa.String(80))
    result_filename: Mapped[Optional[str]] = mapped_column(sa.String(200))
    result_mimetype: Mapped[Optional[str]] = mapped_column(sa.String(120))
    result_expired_at: Mapped[Optional[datetime]]
    # A short summary the kind returned, or the refusal it failed with: a message id and its parameters.
    summary_id: Mapped[Optional[str]] = mapped_column(sa.String(80))
    summary_params: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    failure_id: Mapped[Optional[str]] = mapped_column(sa.String(80))
    failure_params: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    started_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    edition_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[Optional[datetime]]
    finished_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    # Written while the job runs (and when it is queued): a running job whose heartbeat is stale lost its worker.
    heartbeat_at: Mapped[Optional[datetime]]
    attempts: Mapped[int] = mapped_column(default=0)

    started_by: Mapped[Optional[User]] = relationship()
    edition: Mapped[Optional[Edition]] = relationship()

    __table_args__ = (
        sa.CheckConstraint("done >= 0 AND total >= 0 AND attempts >= 0", name="counters_not_negative"),
    )

    @property
    def percent(self) -> int:
        """How far the job is, 0 to 100 (100 once done)."""
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status.value}>"
