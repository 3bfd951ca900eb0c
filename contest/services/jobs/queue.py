"""The queue between the app and its workers: Huey, one instance per app.

- On one machine, a SQLite file in the instance folder (instance/jobs.sqlite): no server to run.
- With JOBS_URL=redis://host:6379/1, a Redis server that every app server and worker shares.
- With JOBS_IMMEDIATE (the tests' default), no queue at all: a job runs in the process that submits it, as
  soon as the transaction that created it commits.

A job is put on the queue only once the transaction that created (or retried, or re-queued) it commits: a
request that rolls back leaves nothing queued, and a worker never looks for a row that is not there yet.
The queue carries only job ids; the job's state lives in its row. What the worker does with an id (run the
job, commit, record its end) is the edge's (contest/worker.py), which hands it over with `serve_with()`.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db

NAME = "contest"
_STATE = "contest.jobs"
_PENDING = "contest.jobs.pending"
_MAIL = "contest.jobs.mail"
_NEXT_ROUND = "contest.mail.next_round"  # in the queue's storage: when the next planned delivery round runs
_ROUND_SLACK = 1.0  # seconds: a round planned this much later serves too (the queue's scheduler looks every second)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Edge:
    """What a worker does: run one job to its end, deliver the outbox's due mail, and sweep every minute (stale
    jobs queued again, old results deleted, mail retried, reminders and digests written)."""

    run: Callable[[int], None]
    sweep: Callable[[], None]
    deliver: Callable[[], None]


@dataclass(frozen=True)
class Queue:
    huey: Huey
    run_job: TaskWrapper
    deliver_mail: TaskWrapper


_edge: Edge | None = None
_lock = threading.Lock()


def serve_with(edge: Edge) -> None:
    """Name what the worker does with a job (called once, by the edge, when it is imported)."""
    global _edge
    _edge = edge


def _the_edge() -> Edge:
    if _edge is None:
        raise RuntimeError("no job runner: contest.cli_jobs is not imported (create_app imports it)")
    return _edge


def immediate(app: Flask) -> bool:
    """Whether jobs run in the submitting process (JOBS_IMMEDIATE; by default when testing)."""
    setting = app.config.get("JOBS_IMMEDIATE")
    return app.testing if setting is None else bool(setting)


def _huey(app: Flask) -> Huey:
    if immediate(app):
        return MemoryHuey(NAME, immediate=True, results=False)
    url = app.config.get("JOBS_URL") or ""
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(NAME, url=url, results=False)
    if url.startswith("sqlite:///"):
        return SqliteHuey(NAME, filename=url.removeprefix("sqlite:///"), results=False)
    if url:
        raise RuntimeError("JOBS_URL must be redis://host:port/db (or sqlite:///path/to/jobs.sqlite)")
    return SqliteHuey(NAME, filename=str(Path(app.instance_path) / "jobs.sqlite"), results=False)


def _build(app: Flask) -> Queue:
    huey = _huey(app)

    def run_job(job_id: int) -> None:
        with app.app_context():  # a context (and a database session) of its own, even inside a request
            _the_edge().run(job_id)

    def sweep_jobs() -> None:
        with app.app_context():
            _the_edge().sweep()

    def deliver_mail() -> None:
        with app.app_context():
            _the_edge().deliver()

    task = huey.task(name="run_job")(run_job)
    mail = huey.task(name="deliver_mail")(deliver_mail)
    huey.periodic_task(crontab(minute="*"), name="sweep_jobs")(sweep_jobs)
    return Queue(huey, task, mail)


def queue_of(app: Flask) -> Queue:
    """The app's queue (built on first use)."""
    with _lock:
        found = app.extensions.get(_STATE)
        if found is None:
            found = app.extensions[_STATE] = _build(app)
    return found


def enqueue_after_commit(job_id: int) -> None:
    """Put the job on the queue once the current transaction commits (never, if it does not)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_PENDING, []).append((current_app._get_current_object(), job_id))


def mail_delivered(app: Flask) -> bool:
    """Whether this app hands its outbox to the workers: always, but in tests only when they name an SMTP server
    (MAIL_DELIVER overrides)."""
    setting = app.config.get("MAIL_DELIVER")
    return bool(app.config.get("SMTP_HOST")) or not app.testing if setting is None else bool(setting)


def deliver_after_commit() -> None:
    """Have the outbox's due mail delivered once the current transaction commits (never, if it does not)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()
    session.info[_MAIL] = current_app._get_current_object()


def deliver_later(app: Flask, delay: float) -> None:
    """Deliver the outbox's due mail again in `delay` seconds (a refused message's next attempt), unless a round
    is already planned by then: every round ends by planning the next, and each would otherwise add its own (a
    day of a relay's outage, thousands of rounds at the same second). The queue keeps when the next planned
    round runs; should that round be lost, the worker's sweep still delivers every minute."""
    if not mail_delivered(app) or immediate(app):
        return
    jobs, now = queue_of(app), time.time()
    at = now + max(delay, 0.0)
    planned = jobs.huey.get(_NEXT_ROUND, peek=True)
    if planned is not None and now <= planned <= at + _ROUND_SLACK:
        return
    jobs.huey.put(_NEXT_ROUND, at)
    jobs.deliver_mail.schedule(delay=max(delay, 0.0))


def _after_commit(session: Session) -> None:
    for app, job_id in session.info.pop(_PENDING, ()):
        try:
            queue_of(app).run_job(job_id)
        except Exception:  # the row is committed: the sweep queues it again within JOB_STALE_AFTER
            app.logger.exception("Job %s could not be put on the queue", job_id)
    app = session.info.pop(_MAIL, None)
    if app is not None and mail_delivered(app):
        try:
            queue_of(app).deliver_mail()
        except Exception:  # the messages are committed: the worker's sweep delivers them within a minute
            app.logger.exception("Mail delivery could not be put on the queue")


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_MAIL, None)


if not event.contains(Session, "after_commit", _after_commit):
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
