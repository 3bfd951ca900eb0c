"""The start-up sweep: what killed processes left in the storage's tmp/ folder is moved into place or deleted.

Each app process (every gunicorn worker, every command) runs it when created; it lists only tmp/ and asks the
database only about the entries whose writer is gone. A writer is gone when no process of its pid and start
time runs on this host (a reused pid has another start time); an entry written on another host sharing the
storage directory is left to that host's own sweep until it is older than STAGING_STALE_AFTER seconds (by
then no request can still be writing it: gunicorn's worker timeout is 60 s). A dead writer's entry:

- new, and a committed row names the file: killed after the commit, before the rename → moved into place;
- new, and no committed row names it: killed before the commit (the database rolled the row back) → deleted;
- old (a replaced file's marker), and no committed row names the file any more → the file is deleted;
- old, and a row still names it: the change that replaced it never committed → only the marker goes.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db
from .staging import TMP, Entry, host_name, parse, root, start_time, tmp_folder

STALE_AFTER = 3600  # seconds; the STAGING_STALE_AFTER setting overrides it


@dataclass
class Swept:
    """What sweep() did: temporary entries moved into place, deleted, or left to a live writer."""

    promoted: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _writer_gone(entry: Entry, age: float, stale_after: float) -> bool:
    """Whether the process that wrote an entry is gone (another host's entries: whether it is stale)."""
    if entry.host != host_name():
        return age > stale_after
    start = start_time(entry.pid)
    if start is None:
        return True
    if start and entry.start:
        return start != entry.start  # the pid now belongs to another process
    return age > stale_after  # no start time to compare: only age tells a reused pid


def _named_by_rows(entries: list[Entry]) -> set[tuple[str, str]]:
    """The (folder, name) pairs among entries that a committed row names."""
    from ...models import Bid, Contract, Objection

    columns = {"bids": Bid.pdf_stored_name, "contracts": Contract.signed_scan_name,
               "objections": Objection.evidence_stored_name}
    found: set[tuple[str, str]] = set()
    for folder, column in columns.items():
        names = sorted({e.name for e in entries if e.folder == folder})
        if names:
            found |= {(folder, n) for n in db.session.scalars(sa.select(column).where(column.in_(names)))}
    return found


def _settle(path: Path, entry: Entry, named: bool) -> bool:
    """Move a dead writer's entry into place (True) or delete it (False)."""
    final = root() / entry.folder / entry.name
    if entry.op == "new" and named and not final.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, final)
        return True
    if entry.op == "old" and not named:
        final.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    return False


def sweep() -> Swept:
    """Settle the temporary entries of writers that are gone (see the module's docstring); lists only tmp/."""
    swept, dead = Swept(), []
    stale_after = current_app.config.get("STAGING_STALE_AFTER", STALE_AFTER)
    for path in sorted(tmp_folder().iterdir()):
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            continue  # settled meanwhile by its writer or another sweep
        entry = parse(path.name)
        if entry is None and age > stale_after:
            path.unlink(missing_ok=True)  # not ours, and old: nothing commits it
            swept.removed.append(path.name)
        elif entry is None or not _writer_gone(entry, age, stale_after):
            swept.kept.append(path.name)
        else:
            dead.append((path, entry))
    named = _named_by_rows([e for _, e in dead]) if dead else set()
    for path, entry in dead:
        try:
            promoted = _settle(path, entry, (entry.folder, entry.name) in named)
        except FileNotFoundError:
            continue  # settled meanwhile by another process's sweep
        (swept.promoted if promoted else swept.removed).append(path.name)
    return swept


def sweep_at_start(app: Flask) -> None:
    """At each process start: settle what killed processes left in tmp/ (nothing to do when it is empty)."""
    folder = Path(app.config["UPLOAD_FOLDER"]) / TMP
    if not folder.is_dir() or not any(folder.iterdir()):
        return
    with app.app_context():
        try:
            swept = sweep()
        except (SQLAlchemyError, OSError) as e:  # e.g. no tables yet: the files wait for the next start
            app.logger.warning("Start-up sweep of %s skipped: %s", folder, e)
            return
        finally:
            db.session.remove()
            db.engine.dispose()  # connections are per process (a preloading server forks after this)
        if swept.promoted or swept.removed:
            app.logger.warning("Start-up sweep of %s: %d file(s) moved into place, %d deleted",
                               folder, len(swept.promoted), len(swept.removed))
