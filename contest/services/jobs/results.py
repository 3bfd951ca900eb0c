"""Where result files are kept: the jobs folder (JOBS_FOLDER; by default STORAGE_DIR/jobs, beside uploads/),
shared by every app server and worker.

A kind writes its file to tmp/ under a name of this attempt; the file is moved to <job id><suffix> when the
kind has succeeded, just before the job is marked done. The final name is the job's own, so a worker killed
between the move and the commit leaves nothing behind: the job is run again and its file replaced.
"""
from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app

TMP = "tmp"
SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def folder() -> Path:
    """The jobs folder (created when missing)."""
    config = current_app.config
    if config.get("JOBS_FOLDER"):
        path = Path(config["JOBS_FOLDER"])
    elif config.get("STORAGE_DIR"):
        path = Path(config["STORAGE_DIR"]) / "jobs"
    else:
        path = Path(config["UPLOAD_FOLDER"]).parent / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def temporary(job_id: int, attempt: int) -> Path:
    """A fresh temporary name for an attempt's result file."""
    tmp = folder() / TMP
    tmp.mkdir(exist_ok=True)
    return tmp / f"{job_id}.{attempt}.{os.getpid()}.{secrets.token_hex(4)}.part"


def final_name(job_id: int, filename: str) -> str:
    """The stored name of a job's result: its id and the download name's suffix (.csv, .xlsx, .pdf)."""
    suffix = Path(filename).suffix.lower()
    return f"{job_id}{suffix}" if SUFFIX.fullmatch(suffix) else str(job_id)


def place(temp: Path, name: str) -> Path:
    """Move a finished result file into place (replacing an earlier attempt's) and make the move durable."""
    final = folder() / name
    os.replace(temp, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return final


def path(name: str) -> Path:
    """The stored file of a result name (which may be gone)."""
    return folder() / Path(name).name


def delete(name: str) -> None:
    path(name).unlink(missing_ok=True)


def sweep_temporary(older_than_seconds: float) -> int:
    """Delete temporary files older than this (left by workers killed mid-write); return how many."""
    tmp = folder() / TMP
    if not tmp.is_dir():
        return 0
    cutoff, deleted = time.time() - older_than_seconds, 0
    for entry in tmp.iterdir():
        if entry.is_file() and entry.stat().st_mtime < cutoff:
            entry.unlink(missing_ok=True)
            deleted += 1
    return deleted
