"""The worker's edge, as a view is the request's: what the worker does with each job — run it, commit its
work, record how it ended — and its sweep every minute. It commits; the services it calls
(contest/services/jobs) do not. Importing it hands the runner and the sweep to the queue (create_app imports
it through contest.cli_jobs)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app

from .domain.errors import DomainError, Phrase
from .extensions import db
from .services import clock
from .services.jobs import lifecycle, queue
from .services.jobs.context import WorkerContext


def run_job(job_id: int) -> None:
    """Run one queued job to its end: running (committed, so its page shows it), the kind's work and the job
    done in one commit; or failed with its refusal, or with an error id logged with the traceback."""
    job = lifecycle.begin(job_id, now=clock.now())
    if job is None:  # already taken, finished, or gone
        db.session.rollback()
        return
    db.session.commit()
    attempt, kind = job.attempts, job.kind
    ctx = WorkerContext(job)
    try:
        summary = lifecycle.perform(job, ctx)
        lifecycle.complete(job, ctx, summary, now=clock.now())
        db.session.commit()
        current_app.logger.info("Job %s (%s, attempt %s) done", job_id, kind, attempt)
    except DomainError as refusal:
        current_app.logger.info("Job %s (%s, attempt %s) refused: %s", job_id, kind, attempt, refusal.message)
        _failed(job_id, attempt, refusal, ctx)
    except Exception:
        error_id = secrets.token_hex(4)
        current_app.logger.exception("Error id %s in job %s (%s, attempt %s)", error_id, job_id, kind, attempt)
        _failed(job_id, attempt, Phrase("job.crashed", error_id=error_id), ctx)


def _failed(job_id: int, attempt: int, reason, ctx: WorkerContext) -> None:
    db.session.rollback()
    ctx.discard()
    lifecycle.fail(job_id, attempt, reason, now=clock.now())
    db.session.commit()


def sweep_jobs() -> None:
    """Queue again the jobs whose worker died; delete the results past JOB_RESULT_TTL."""
    config, now = current_app.config, clock.now()
    lifecycle.requeue_stale(now=now, stale_after=timedelta(seconds=float(config["JOB_STALE_AFTER"])),
                            max_attempts=int(config["JOB_MAX_ATTEMPTS"]))
    lifecycle.expire_results(now=now, ttl=timedelta(seconds=float(config["JOB_RESULT_TTL"])))
    db.session.commit()


queue.serve_with(queue.Edge(run=run_job, sweep=sweep_jobs))
