"""Challenge-report PDFs: checked by content, stored under instance/ with a generated name."""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_request_context

from ..domain.bidding import looks_like_pdf
from ..domain.errors import Invalid, TooLarge


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_pdf(stream, original_name: str) -> CheckedPdf:
    """Read an upload, refusing what is empty, too large or not a PDF (by its bytes, not its name)."""
    limit = current_app.config["BID_PDF_MAX_BYTES"]
    content = stream.read(limit + 1)
    if not content:
        raise Invalid("上传的文件为空")
    if len(content) > limit:
        raise TooLarge(f"文件超过 {limit // (1024 * 1024)} MB 上限")
    if not looks_like_pdf(content):
        raise Invalid("只接受 PDF 文件（按文件内容检查）")
    return CheckedPdf(content=content, original_name=os.path.basename(original_name or "report.pdf")[:200])


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "bids"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(pdf: CheckedPdf) -> str:
    """Write the file under a generated name and return that name; removed again if the request fails."""
    name = f"{uuid.uuid4().hex}.pdf"
    target = folder() / name
    tmp = target.with_suffix(".part")
    tmp.write_bytes(pdf.content)
    os.replace(tmp, target)
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
