"""Uploads kept across a failed submission: a checked challenge report waits under a random token, bound to the
account that sent it, until the corrected form is sent (or a day has passed).

A form refused for another field would otherwise drop the chosen PDF; the form carries the token instead, and
the next submission takes the file from here. The files live under the storage's staged/tmp/ folder: a `tmp`
folder, so the integrity check and the backup treat them as in flight (services.records.integrity.in_flight),
and not the row-file tmp/ that the start-up sweep settles (services.files.sweep).
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from .uploads import CheckedPdf

KEPT_FOR = timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class StagedPdf:
    """A kept upload as the form shows it: its token and its owner's file name and size."""

    token: str
    name: str
    size: int


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "staged" / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path]:
    base = folder()
    return base / f"{token}.pdf", base / f"{token}.json"


def keep(pdf: CheckedPdf, owner_id: int, now: datetime) -> StagedPdf:
    """Keep a checked upload for its owner's next submission (old kept uploads are swept on the way)."""
    sweep(now)
    token = secrets.token_urlsafe(24)
    content_path, meta_path = _paths(token)
    content_path.write_bytes(pdf.content)
    meta = {"owner": owner_id, "name": pdf.original_name, "size": len(pdf.content), "kept_at": now.isoformat(),
            "page_texts": list(pdf.page_texts) if pdf.page_texts is not None else None}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedPdf(token, pdf.original_name, len(pdf.content))


def _meta(token: str | None, owner_id: int, now: datetime) -> dict | None:
    if not token or not _TOKEN.match(token):
        return None
    content_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("owner") != owner_id or not content_path.is_file():
        return None  # another account's token is as good as none
    if datetime.fromisoformat(meta["kept_at"]) < now - KEPT_FOR:
        return None
    return meta


def find(token: str | None, owner_id: int, now: datetime) -> StagedPdf | None:
    """The kept upload of this token, if it is the owner's and not expired; None otherwise."""
    meta = _meta(token, owner_id, now)
    return None if meta is None else StagedPdf(token, meta["name"], meta["size"])


def load(staged: StagedPdf, owner_id: int, now: datetime) -> CheckedPdf | None:
    """The kept upload as the checked PDF it was (its pages' text included), or None when it is gone."""
    meta = _meta(staged.token, owner_id, now)
    if meta is None:
        return None
    texts = meta.get("page_texts")
    return CheckedPdf(content=_paths(staged.token)[0].read_bytes(), original_name=meta["name"],
                      page_texts=tuple(texts) if texts is not None else None)


def discard(token: str | None) -> None:
    """Remove a kept upload (it was saved with its row, or replaced by another file)."""
    if token and _TOKEN.match(token):
        for path in _paths(token):
            path.unlink(missing_ok=True)


def sweep(now: datetime) -> int:
    """Remove the kept uploads older than a day (and strays without their description); how many were removed."""
    removed = 0
    for meta_path in folder().glob("*.json"):
        try:
            kept_at = datetime.fromisoformat(json.loads(meta_path.read_text(encoding="utf-8"))["kept_at"])
        except (OSError, ValueError, KeyError, TypeError):
            kept_at = None
        if kept_at is None or kept_at < now - KEPT_FOR:
            discard(meta_path.stem)
            removed += 1
    return removed
