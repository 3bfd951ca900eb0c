"""Batch printing: every issued contract of an edition, as frozen at issue, in one PDF in number order."""
from __future__ import annotations

import io
from collections.abc import Callable

import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from sqlalchemy.orm import undefer

from ...domain.errors import Invalid, Series
from ...extensions import db
from ...models import Contract, Edition
from .statistics import CONTRACT_LIVE

# progress(done, total, contract number), called after each contract is added.
Progress = Callable[[int, int, str], None]


def printable_contracts(edition: Edition) -> list[Contract]:
    """The edition's live issued or signed contracts, stored PDF bytes loaded, in number order."""
    return list(db.session.scalars(
        sa.select(Contract).where(Contract.edition_id == edition.id, Contract.status.in_(CONTRACT_LIVE))
        .options(undefer(Contract.pdf)).order_by(Contract.sequence, Contract.version, Contract.number)))


def merge_pdfs(documents: list[tuple[str, bytes]], progress: Progress | None = None) -> bytes:
    """Concatenate stored PDFs page for page (never re-rendered: the batch prints exactly what was issued)."""
    writer = PdfWriter()
    for done, (number, content) in enumerate(documents, start=1):
        writer.append(PdfReader(io.BytesIO(content)))
        if progress is not None:
            progress(done, len(documents), number)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def batch_pdf(edition: Edition, progress: Progress | None = None) -> bytes:
    """One PDF with every issued or signed contract of the edition, in number order."""
    contracts = printable_contracts(edition)
    if not contracts:
        raise Invalid("contract.batch.none_issued", code=edition.code)
    missing = [c.number for c in contracts if not c.pdf]
    if missing:
        raise Invalid("contract.batch.pdf_missing", numbers=Series(missing))
    return merge_pdfs([(c.number or "", c.pdf or b"") for c in contracts], progress)
