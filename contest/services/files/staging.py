"""Stored files follow their rows: written under a temporary name, moved into place when the row commits.

A file for a row (a bid's PDF, a contract's signed scan) is first written, fsync'd, to the storage's tmp/
folder under a name that says where it goes and who wrote it:

    tmp/<folder>+<name>+new+<host>_<pid>_<process start>.part

and is renamed to <folder>/<name> by the session's after_commit event, or deleted when the transaction
ends without a commit. A file a committed change stops naming (a bid's replaced PDF) is marked the same
way (`+old+`, an empty marker) and deleted after the commit. A process killed at any point leaves only
entries in tmp/ (which `check` does not count as stored files); the start-up sweep settles those whose
writer is gone:
a committed row names the file → it is moved into place (new) or kept (old); no committed row names it →
it is deleted (new) or the final file is deleted (old). See staging_sweep.py.
"""
from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db

TMP = "tmp"
_KEY = "contest.staged_files"
_ENTRY = re.compile(r"^(?P<folder>[a-z]+)\+(?P<name>[A-Za-z0-9._-]+)\+(?P<op>new|old)\+"
                    r"(?P<host>[A-Za-z0-9.-]+)_(?P<pid>\d+)_(?P<start>\d+)\.part$")


@dataclass(frozen=True)
class Entry:
    """A staged file as its temporary name describes it."""

    folder: str
    name: str
    op: str
    host: str
    pid: int
    start: int


@dataclass
class Staged:
    """A file this process staged in a session's transaction."""

    temp: Path
    final: Path
    op: str


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def tmp_folder() -> Path:
    path = root() / TMP
    path.mkdir(parents=True, exist_ok=True)
    return path


def host_name() -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:64] or "host"


def start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot); None when it does not run (or is a zombie);
    0 when it runs but the system has no /proc to tell its start time."""
    if not Path("/proc/self/stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else int(fields[19])


def _writer() -> str:
    pid = os.getpid()
    return f"{host_name()}_{pid}_{start_time(pid) or 0}"


def parse(name: str) -> Entry | None:
    """The entry a temporary name describes, or None for a name this module did not write."""
    m = _ENTRY.match(name)
    if m is None:
        return None
    return Entry(m["folder"], m["name"], m["op"], m["host"], int(m["pid"]), int(m["start"]))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _folder_name(directory: Path) -> str:
    """The storage sub-folder (bids, contracts) a final directory is; anything else is refused."""
    if directory.resolve().parent != root().resolve() or not re.fullmatch(r"[a-z]+", directory.name):
        raise ValueError(f"{directory} is not a folder of the storage directory")
    return directory.name


def _pending(session: Session) -> list[Staged]:
    if not session.in_transaction():
        session.begin()  # so that the transaction's end (commit or not) is always seen
    return session.info.setdefault(_KEY, [])


def stage(directory: Path, name: str, content: bytes) -> Path:
    """Write content, fsync'd, to the temporary name of directory/name; it moves there when the session commits."""
    folder = _folder_name(directory)
    directory.mkdir(parents=True, exist_ok=True)
    temp = tmp_folder() / f"{folder}+{name}+new+{_writer()}.part"
    pending = _pending(db.session())
    with open(temp, "xb") as out:
        pending.append(Staged(temp, directory / name, "new"))
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    _fsync_dir(temp.parent)
    return directory / name


def retire(directory: Path, name: str) -> None:
    """Delete directory/name once the session commits (a row stopped naming it); kept if it rolls back."""
    temp = tmp_folder() / f"{_folder_name(directory)}+{name}+old+{_writer()}.part"
    pending = _pending(db.session())
    temp.touch(exist_ok=False)
    pending.append(Staged(temp, directory / name, "old"))
    _fsync_dir(temp.parent)


def _promote(staged: Staged) -> None:
    if staged.op == "new":
        os.replace(staged.temp, staged.final)
    else:
        staged.final.unlink(missing_ok=True)
        staged.temp.unlink(missing_ok=True)


def _after_commit(session: Session) -> None:
    """The rows are committed: move their files into place, delete the files they no longer name."""
    folders = set()
    for staged in session.info.pop(_KEY, []):
        try:
            _promote(staged)
            folders.add(staged.final.parent)
        except OSError:  # the row is committed: the next start-up sweep moves the file into place
            current_app.logger.exception("Could not move %s into place", staged.temp)
    for folder in folders:
        _fsync_dir(folder)


def _discard(staged: list[Staged]) -> None:
    for item in staged:
        item.temp.unlink(missing_ok=True)


def _after_transaction_end(session: Session, transaction) -> None:
    """The outermost transaction ended without a commit (rollback, close): its new files are deleted."""
    if transaction.parent is None and _KEY in session.info:
        _discard(session.info.pop(_KEY))


def _retire_replaced(folder: str, value, oldvalue) -> None:
    if isinstance(oldvalue, str) and oldvalue and oldvalue != value:
        retire(root() / folder, oldvalue)


def _bid_pdf_replaced(target, value, oldvalue, initiator) -> None:
    """A bid's new PDF replaces its old one: the old file goes when the change commits."""
    _retire_replaced("bids", value, oldvalue)


def _scan_replaced(target, value, oldvalue, initiator) -> None:
    """A contract's new signed scan replaces the old one: the old file goes when the change commits."""
    _retire_replaced("contracts", value, oldvalue)


def register(app: Flask) -> None:
    """Install the commit, transaction-end and replaced-file hooks (once per process).

    A request's session ends with the request (Flask-SQLAlchemy removes it at teardown), so what a request
    staged and did not commit is deleted then, and a command's files wait for the command's commit.
    """
    from ...models import Bid, Contract

    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
        event.listen(Bid.pdf_stored_name, "set", _bid_pdf_replaced, active_history=True)
        event.listen(Contract.signed_scan_name, "set", _scan_replaced, active_history=True)
