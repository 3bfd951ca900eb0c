"""A job's life: submitted (queued), taken by a worker (running), done or failed; retried by its starter; queued
again when its worker died; its result deleted a day after. Each verb flushes; the caller commits."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale

from ...domain.errors import Conflict, NotPermitted, Phrase
from ...domain.states import JobStatus, ensure_job_transition
from ...extensions import db
from ...models import Edition, Job, User
from . import queue, registry, results
from .context import Heartbeat, WorkerContext
from .phrases import stored

S = JobStatus


def submit(kind: str, params: dict[str, Any], *, actor: User | None, now: datetime,
           edition: Edition | None = None) -> Job:
    """Start long work: a queued job of this kind, run by a worker once the caller's transaction commits."""
    registry.kind(kind)  # an unknown kind is refused here, not later in the worker
    json.dumps(params)   # parameters are JSON: a TypeError here names what is not
    job = Job(kind=kind, params=dict(params), locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
              status=S.QUEUED, started_by_id=actor.id if actor else None, edition_id=edition.id if edition else None,
              created_at=now, heartbeat_at=now)
    db.session.add(job)
    db.session.flush()
    queue.enqueue_after_commit(job.id)
    return job


def retry(job: Job, *, actor: User | None, now: datetime) -> Job:
    """Try a failed job again, as its starter: a new attempt of the same job with the same parameters."""
    if job.status != S.FAILED:
        raise Conflict("job.not_failed")
    if job.started_by_id is not None and (actor is None or actor.id != job.started_by_id):
        raise NotPermitted("job.not_starter")
    ensure_job_transition(job.status, S.QUEUED)
    job.status, job.done, job.total, job.heartbeat_at = S.QUEUED, 0, 0, now
    job.failure_id = job.failure_params = job.summary_id = job.summary_params = None
    job.started_at = job.finished_at = None
    db.session.flush()
    queue.enqueue_after_commit(job.id)
    return job


def begin(job_id: int, *, now: datetime) -> Job | None:
    """Take a queued job for this worker: running, one attempt more. None when it is not queued (done, taken by
    another worker from a duplicate message, or gone)."""
    taken = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status == S.QUEUED)
        .values(status=S.RUNNING, attempts=Job.attempts + 1, started_at=now, heartbeat_at=now, finished_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return db.session.get(Job, job_id, populate_existing=True) if taken else None


def perform(job: Job, ctx: WorkerContext) -> Phrase | None:
    """Run the job's kind, in the language of whoever started it, its heartbeat beating meanwhile."""
    kind = registry.kind(job.kind)
    every = max(min(float(current_app.config["JOB_STALE_AFTER"]) / 4, 30.0), 0.2)
    with force_locale(job.locale), Heartbeat(current_app._get_current_object(), ctx, every):
        return kind.run(ctx)


def complete(job: Job, ctx: WorkerContext, summary: Any, *, now: datetime) -> None:
    """The kind succeeded: its result file takes the job's name and the job is done (in the kind's transaction)."""
    ensure_job_transition(job.status, S.DONE)
    if ctx.result is not None:
        name = results.final_name(job.id, ctx.result.filename)
        results.place(ctx.result.temp, name)
        job.result_name, job.result_filename, job.result_mimetype = name, ctx.result.filename, ctx.result.mimetype
        ctx.result = None
    if summary is not None:
        job.summary_id, job.summary_params = summary.message_id, stored(summary.params)
    job.status, job.finished_at, job.heartbeat_at = S.DONE, now, now
    job.done = job.total = max(ctx.total, ctx.done)
    db.session.flush()


def fail(job_id: int, attempt: int, reason: Any, *, now: datetime) -> Job | None:
    """The attempt failed: the job shows the refusal (or the error id) it failed with. An attempt that is no
    longer the job's (it was queued again meanwhile) changes nothing."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.status != S.RUNNING or job.attempts != attempt:
        return job
    job.status, job.finished_at, job.heartbeat_at = S.FAILED, now, now
    job.failure_id, job.failure_params = reason.message_id, stored(reason.params)
    db.session.flush()
    return job


def requeue_stale(*, now: datetime, stale_after: timedelta, max_attempts: int) -> list[int]:
    """Jobs whose worker died are queued again: running ones whose heartbeat is older than `stale_after` (failed
    instead after `max_attempts`), and queued ones not taken for as long (their queue message may be lost).
    Each is changed only if nobody changed it meanwhile. Returns the ids queued again."""
    cutoff = now - stale_after
    stale = db.session.execute(
        sa.select(Job.id, Job.status, Job.attempts).where(Job.status.in_((S.QUEUED, S.RUNNING)),
                                                          sa.or_(Job.heartbeat_at < cutoff, Job.heartbeat_at.is_(None)))
        .order_by(Job.id)
    ).all()
    queued = []
    for job_id, status, attempts in stale:
        unchanged = sa.update(Job).where(Job.id == job_id, Job.status == status, Job.attempts == attempts,
                                         sa.or_(Job.heartbeat_at < cutoff, Job.heartbeat_at.is_(None)))
        if status == S.RUNNING and attempts >= max_attempts:
            failure = stored({"attempts": attempts})
            db.session.execute(unchanged.values(status=S.FAILED, finished_at=now, heartbeat_at=now,
                                                failure_id="job.abandoned", failure_params=failure)
                               .execution_options(synchronize_session=False))
            continue
        if db.session.execute(unchanged.values(status=S.QUEUED, heartbeat_at=now)
                              .execution_options(synchronize_session=False)).rowcount:
            queued.append(job_id)
            queue.enqueue_after_commit(job_id)
    return queued


def expire_results(*, now: datetime, ttl: timedelta) -> int:
    """Delete the result files of jobs finished more than `ttl` ago (and temporary files as old); their page then
    says the result has expired. Returns how many results expired."""
    jobs = db.session.scalars(sa.select(Job).where(
        Job.finished_at < now - ttl, Job.result_name.is_not(None), Job.result_expired_at.is_(None))).all()
    for job in jobs:
        results.delete(job.result_name)
        job.result_expired_at = now
    results.sweep_temporary(ttl.total_seconds())
    db.session.flush()
    return len(jobs)
