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
from .services.notify import delivery, sweep as mail_sweep


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


def deliver_mail() -> int:
    """Send every due message of the outbox, one at a time: taken (committed, so that no other worker sends it),
    sent with no transaction open, marked; stop at a server that cannot be reached, and try it again only after
    the first retry delay (not at once with the next message). The next round is scheduled for a refused
    message's retry. Returns how many were sent."""
    app, sent, pause = current_app._get_current_object(), 0, 0.0
    with delivery.Postman(app.config) as postman:
        while (message := delivery.claim_next(now=clock.now())) is not None:
            mail = delivery.prepared(message)
            db.session.commit()
            outcome = mail if isinstance(mail, delivery.Outcome) else postman.send(mail)
            delivery.record(message, outcome, now=clock.now())
            db.session.commit()
            if outcome.sent:
                sent += 1
                app.logger.info("Mail %s (%s) sent to %s", message.id, message.event, message.recipient)
            else:
                app.logger.warning("Mail %s to %s not sent: %s", message.id, message.recipient, outcome.reply)
            if outcome.connection:
                pause = next(iter(delivery.retry_delays()), 0.0)
                break
    wait = delivery.next_due_in(now=clock.now())
    db.session.rollback()
    if wait is not None:
        queue.deliver_later(app, max(wait, pause))
    return sent


def sweep_jobs(deliver: bool = True) -> None:
    """Queue again the jobs whose worker died; delete the results past JOB_RESULT_TTL; take again the mail whose
    worker died while sending, write the reminders and digests that are due, and deliver what is due (unless
    `deliver` is false: a starting worker leaves that to its consumer, which a Ctrl-C stops gracefully)."""
    config, now = current_app.config, clock.now()
    lifecycle.requeue_stale(now=now, stale_after=timedelta(seconds=float(config["JOB_STALE_AFTER"])),
                            max_attempts=int(config["JOB_MAX_ATTEMPTS"]))
    lifecycle.expire_results(now=now, ttl=timedelta(seconds=float(config["JOB_RESULT_TTL"])))
    db.session.commit()
    mail_sweep.sweep(now=now)
    db.session.commit()
    if deliver and queue.mail_delivered(current_app):
        deliver_mail()


queue.serve_with(queue.Edge(run=run_job, sweep=sweep_jobs, deliver=deliver_mail))
