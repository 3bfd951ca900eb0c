"""What a kind is given: `ctx.params`, `ctx.actor`, `ctx.edition`, `ctx.progress(done, total)` and
`ctx.result_file(filename, mimetype)`. A worker's context writes progress to the job's row; the terminal's
draws a progress bar and writes the result file to a folder.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import OperationalError

from ...domain.states import JobStatus
from ...extensions import SQLITE_BUSY_TIMEOUT_MS, db
from ...models import Edition, Job, User
from .. import clock
from . import results

logger = logging.getLogger(__name__)
# How long a progress write waits for a lock before it is skipped (the next one will try again): on SQLite a
# kind that has written rows holds the database's one write lock until its transaction ends.
SIDE_WRITE_WAIT_MS = 250
# At most this many progress writes a second.
PROGRESS_EVERY = 0.25


@dataclass
class PendingResult:
    """A result file written under a temporary name, waiting for the kind to succeed."""

    temp: Path
    filename: str
    mimetype: str


class JobContext:
    """The kind's view of its job."""

    def __init__(self, params: dict[str, Any], actor: User | None, edition: Edition | None) -> None:
        self.params, self.actor, self.edition = dict(params), actor, edition
        self.done = self.total = 0
        self.result: PendingResult | None = None

    def progress(self, done: int, total: int) -> None:
        """Say how far the work is: `done` of `total` steps (rows, contracts, bids...)."""
        self.done, self.total = max(int(done), 0), max(int(total), 0)
        self._report()

    def _report(self) -> None:
        raise NotImplementedError

    def _temporary(self, filename: str) -> Path:
        raise NotImplementedError

    @contextmanager
    def result_file(self, filename: str, mimetype: str) -> Iterator[IO[bytes]]:
        """A binary file to write the result into, downloaded as `filename`: it is kept only if the kind succeeds."""
        if self.result is not None:
            raise RuntimeError("a job has one result file")
        temp = self._temporary(filename)
        try:
            with open(temp, "xb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self.result = PendingResult(temp, filename, mimetype)

    def discard(self) -> None:
        """The kind failed: its result file goes."""
        if self.result is not None:
            self.result.temp.unlink(missing_ok=True)
            self.result = None


def side_write(stmt: sa.Update) -> bool:
    """Run an UPDATE on a connection of its own and commit it at once, beside the job's open transaction;
    False (and nothing written) when it would have to wait for a lock."""
    try:
        with db.engine.begin() as conn:
            dialect = conn.dialect.name
            if dialect == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{SIDE_WRITE_WAIT_MS}ms'")
            elif dialect == "sqlite":
                conn.exec_driver_sql(f"PRAGMA busy_timeout={SIDE_WRITE_WAIT_MS}")
            try:
                conn.execute(stmt)
            finally:
                if dialect == "sqlite":
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return True
    except OperationalError as e:
        logger.info("Job progress not written (the database is busy): %s", e.__class__.__name__)
        return False


def _this_attempt(job_id: int, attempt: int) -> sa.Update:
    """An update of the job while this attempt is the one running it (not after it was queued again)."""
    return sa.update(Job).where(Job.id == job_id, Job.attempts == attempt, Job.status == JobStatus.RUNNING)


class WorkerContext(JobContext):
    """A job run by a worker: progress and heartbeat go to its row, its result file to the jobs folder."""

    def __init__(self, job: Job) -> None:
        super().__init__(job.params or {}, job.started_by, job.edition)
        self.job_id, self.attempt = job.id, job.attempts
        self._written = float("-inf")

    def _report(self) -> None:
        final = self.total > 0 and self.done >= self.total
        moment = time.monotonic()
        if not final and moment - self._written < PROGRESS_EVERY:
            return
        stmt = _this_attempt(self.job_id, self.attempt).values(done=self.done, total=self.total,
                                                               heartbeat_at=clock.now())
        if side_write(stmt):
            self._written = moment

    def _temporary(self, filename: str) -> Path:
        return results.temporary(self.job_id, self.attempt)


class Heartbeat:
    """While a kind runs, its job's heartbeat (and its latest progress, which the throttle may have held back) is
    written every few seconds from a thread of its own, so a kind that reports nothing for a while (one long
    query, one big file) is not taken for a dead worker's."""

    def __init__(self, app: Flask, ctx: WorkerContext, every: float) -> None:
        self.app, self.ctx, self.every = app, ctx, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{ctx.job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self._stop.wait(self.every):
                ctx = self.ctx
                side_write(_this_attempt(ctx.job_id, ctx.attempt).values(done=ctx.done, total=ctx.total,
                                                                         heartbeat_at=clock.now()))

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class TerminalContext(JobContext):
    """A kind run from the command line: a click progress bar, the result file written to `out`."""

    def __init__(self, params: dict[str, Any], actor: User | None, edition: Edition | None, *, out: Path,
                 label: str, bar: bool = True) -> None:
        super().__init__(params, actor, edition)
        self.out, self.label, self.show_bar = out, label, bar
        self._bar: Any = None

    def _report(self) -> None:
        if not self.show_bar:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=max(self.total, 1), label=self.label)
            self._bar.__enter__()
        self._bar.length = max(self.total, 1)
        self._bar.update(max(self.done - self._bar.pos, 0))

    def close_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def _temporary(self, filename: str) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        return self.out / f".{Path(filename).name}.{os.getpid()}.part"

    def place(self) -> Path | None:
        """The kind succeeded: its file takes its name in `out`."""
        if self.result is None:
            return None
        final = self.out / Path(self.result.filename).name
        os.replace(self.result.temp, final)
        self.result = None
        return final
