"""Challenge-report PDFs: checked by parsing their content, stored under instance/ with a generated name."""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ...domain.errors import Invalid, TooLarge
from . import staging
from .mime import PDF, with_extension
from .pdf_check import inspect_pdf
from .pdf_text import inspect_report


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    original_name: str
    # The text of each page, read in the checking child for the anonymity check of a challenge report; None when
    # it was not read (a contract scan, a file the app wrote itself).
    page_texts: tuple[str, ...] | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_pdf(stream, original_name: str, *, read_text: bool = False) -> CheckedPdf:
    """Read an upload, refusing what is empty, too large or not a plain, readable PDF (parsed, not named); with
    read_text, also read its pages' text (a challenge report: see services.bids).

    The client's file name is kept only to show it to its owner; the file is stored under a generated name.
    """
    limit = current_app.config["BID_PDF_MAX_BYTES"]
    content = stream.read(limit + 1)
    if not content:
        raise Invalid("upload.empty")
    if len(content) > limit:
        raise TooLarge("upload.too_large", mb=limit // (1024 * 1024))
    if read_text:
        texts = tuple(inspect_report(content))
        return CheckedPdf(content=content, original_name=display_name(original_name), page_texts=texts)
    inspect_pdf(content)
    return CheckedPdf(content=content, original_name=display_name(original_name))


def display_name(client_name: str | None) -> str:
    """The client's file name as its owner will see it again: the last path segment, no control characters
    (nor direction overrides), ending in .pdf, the type it was checked to be."""
    name = re.split(r"[/\\]", client_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:196]
    return with_extension(name, PDF) if name.strip(".") else "report.pdf"


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "bids"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(pdf: CheckedPdf) -> str:
    """Store a challenge report; see store_in."""
    return store_in(folder(), pdf)


def store_in(directory: Path, pdf: CheckedPdf) -> str:
    """Stage the file under a generated name and return that name: it is moved into place when the session
    commits, deleted if it does not (contest/services/staging.py)."""
    name = f"{uuid.uuid4().hex}.pdf"
    store_as(directory, name, pdf.content)
    return name


def store_as(directory: Path, name: str, content: bytes) -> Path:
    """Stage content to become directory/name when the session commits (e.g. a demo file written again)."""
    return staging.stage(directory, name, content)


def path_of(stored_name: str) -> Path:
    return folder() / stored_name
