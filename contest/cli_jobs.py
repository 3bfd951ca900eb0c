"""Jobs on the command line: `flask worker` (runs queued jobs, see contest/worker.py) and `flask run-job`, which
runs a kind in the terminal with a progress bar."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .domain.errors import DomainError
from .extensions import db
from .i18n import refusal_text
from .services.editions import edition_by_code
from .services.jobs import queue, run_in_terminal
from .worker import sweep_jobs  # importing it hands the runner and the sweep to the queue




def _log_to_terminal() -> None:
    """Huey's and the app's messages (a job started, finished, failed) on stderr, as a service log expects."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
    for name in ("huey", current_app.logger.name):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@click.command("worker")
@click.option("--workers", "-w", "threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="同时运行的任务数（线程）")
@with_appcontext
def worker(threads: int) -> None:
    """Run the queued jobs (several workers, on one machine or many, may share one queue: JOBS_URL). Ctrl-C waits
    for the running jobs; a worker killed outright loses nothing: its jobs are run again."""
    jobs = queue.queue_of(current_app._get_current_object())
    if jobs.huey.immediate:
        raise click.ClickException(_("JOBS_IMMEDIATE 已开启：任务在提交它的进程中直接运行，无需 worker"))
    _log_to_terminal()
    try:
        sweep_jobs(deliver=False)  # jobs and mail left running by a worker that died are queued again at once
        if queue.mail_delivered(current_app):
            jobs.deliver_mail()  # the due mail, delivered by the consumer as soon as it starts
    except KeyboardInterrupt:  # Ctrl-C before the consumer runs: nothing was taken, stop quietly
        db.session.rollback()
        return
    click.echo(_("任务 worker 已启动：%(n)s 个线程。按 Ctrl-C 停止。", n=threads))
    # max_delay: an idle worker still looks at the queue every second (Huey backs off to 10 s by default)
    jobs.huey.create_consumer(workers=threads, worker_type="thread", periodic=True, max_delay=1.0).run()


def _params(pairs: tuple[str, ...]) -> dict:
    """NAME=VALUE pairs; a value that reads as JSON (1, true, "x") is taken as such, anything else as text."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(_("参数应写作 名称=值：%(pair)s", pair=pair))
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


@click.command("run-job")
@click.argument("kind")
@click.option("--edition", "code", help="届次代码，如 CIC8-NB")
@click.option("--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE", help="任务参数，可多次给出")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="结果文件写入的目录")
@with_appcontext
def run_job_here(kind: str, code: str | None, pairs: tuple[str, ...], out: Path) -> None:
    """Run a job kind here and now with a progress bar, e.g. run-job scores.export --edition CIC8-NB -p fmt=xlsx."""
    edition = None
    if code:
        edition = edition_by_code(code.strip().upper())
        if edition is None:
            raise click.ClickException(_("未找到届次 %(code)s", code=code))
    try:
        summary, path = run_in_terminal(kind, _params(pairs), edition=edition, out=out)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(refusal_text(e)) from e
    db.session.commit()
    if summary is not None:
        click.echo(refusal_text(summary))
    if path is not None:
        click.echo(_("已写入 %(path)s", path=path))


COMMANDS = (worker, run_job_here)
