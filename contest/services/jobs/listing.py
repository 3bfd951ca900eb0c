"""What the job pages read: a job, the recent jobs, and a job's summary, failure and result file."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.states import JobStatus
from ...extensions import db
from ...models import Job
from . import results
from .phrases import Stored, phrase


def job_by_id(job_id: int) -> Job | None:
    """The job with its starter and edition."""
    return db.session.scalar(sa.select(Job).where(Job.id == job_id)
                             .options(joinedload(Job.started_by), joinedload(Job.edition)))


def recent() -> sa.Select:
    """Every job, newest first (paginate it), with its starter and edition in the same statement."""
    return (sa.select(Job).options(joinedload(Job.started_by), joinedload(Job.edition))
            .order_by(Job.id.desc()))


def summary(job: Job) -> Stored | None:
    """What the finished job says it did."""
    return phrase(job.summary_id, job.summary_params)


def failure(job: Job) -> Stored | None:
    """Why the job failed: the refusal it met, or the id of the error in the log."""
    return phrase(job.failure_id, job.failure_params) if job.status == JobStatus.FAILED else None


def result_path(job: Job) -> Path | None:
    """The done job's result file, while it is kept (None once expired or when it has none)."""
    if job.status != JobStatus.DONE or not job.result_name or job.result_expired_at is not None:
        return None
    return results.path(job.result_name)
