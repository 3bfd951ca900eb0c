"""Challenge-report PDFs: checked by parsing their content, stored under instance/ with a generated name."""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_request_context

from ..domain.errors import Invalid, TooLarge
from .pdf_check import inspect_pdf


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_pdf(stream, original_name: str) -> CheckedPdf:
    """Read an upload, refusing what is empty, too large or not a plain, readable PDF (parsed, not named).

    The client's file name is kept only to show it to its owner; the file is stored under a generated name.
    """
    limit = current_app.config["BID_PDF_MAX_BYTES"]
    content = stream.read(limit + 1)
    if not content:
        raise Invalid("上传的文件为空")
    if len(content) > limit:
        raise TooLarge(f"文件超过 {limit // (1024 * 1024)} MB 上限")
    inspect_pdf(content)
    return CheckedPdf(content=content, original_name=display_name(original_name))


def display_name(client_name: str | None) -> str:
    """The client's file name as its owner will see it again: the last path segment, no control characters."""
    name = re.split(r"[/\\]", client_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]
    return name if name.strip(".") else "report.pdf"


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "bids"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(pdf: CheckedPdf) -> str:
    """Store a challenge report; see store_in."""
    return store_in(folder(), pdf)


def store_in(directory: Path, pdf: CheckedPdf) -> str:
    """Write the file under a generated name and return that name; removed again if the request fails."""
    name = f"{uuid.uuid4().hex}.pdf"
    target = directory / name
    tmp = target.with_suffix(".part")
    tmp.write_bytes(pdf.content)
    os.replace(tmp, target)
    if has_request_context():
        # Only a request cleans up after itself; a command line run commits or removes its own files
        # (and a request context pushed briefly inside it, e.g. to render a PDF, must not take them).
        g.setdefault("new_files", []).append(target)
    return name


def keep_new_files() -> None:
    """After a commit: the files written in this request now belong to committed rows."""
    if has_request_context():
        g.pop("new_files", None)


def discard_new_files(exc: BaseException | None = None) -> None:
    """Teardown: files written by a request that committed nothing (refused, or failed) are removed."""
    for path in g.pop("new_files", []):
        path.unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    return folder() / stored_name
