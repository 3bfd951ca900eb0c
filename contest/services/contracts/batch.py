"""Batch printing: every issued contract of an edition, as frozen at issue (never re-rendered), in number
order: as a ZIP of the stored PDFs, streamed one contract at a time (any size), or merged into one PDF (small
editions: the merge holds every document in memory)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import BinaryIO

import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from sqlalchemy.orm import undefer

from ...domain.errors import Invalid, Series
from ...extensions import db
from ...models import Contract, Edition
from .. import clock
from .statistics import CONTRACT_LIVE

# progress(done, total, contract number), called after each contract is added.
Progress = Callable[[int, int, str], None]
# progress(done, total), for the ZIP (the job runner's signature).
ZipProgress = Callable[[int, int], None]
# Stored PDFs read per round trip while writing the ZIP: a few at a time, never the edition's all at once.
FETCH_PDFS = 4
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry


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


def _live(edition: Edition):
    table = Contract.__table__
    return sa.and_(table.c.edition_id == edition.id, table.c.status.in_(CONTRACT_LIVE))


def _number_order():
    table = Contract.__table__
    return table.c.sequence, table.c.version, table.c.number


def write_contracts_zip(edition: Edition, out: BinaryIO, progress: ZipProgress | None = None) -> int:
    """Write a ZIP of every issued or signed contract's stored PDF into `out`, one entry per contract in number
    order (0001-CIC8-NB-2024-001.pdf …, so that a folder sorted by name prints in that order); the count.

    Checked before anything is written: refused when the edition has no such contract or one lacks its PDF.
    The PDFs are read a few at a time through an open cursor: `progress` must not commit the session.
    """
    table = Contract.__table__
    listed = db.session.execute(
        sa.select(table.c.number, table.c.pdf.is_(None)).where(_live(edition)).order_by(*_number_order())).all()
    if not listed:
        raise Invalid("contract.batch.none_issued", code=edition.code)
    missing = [number for number, absent in listed if absent]
    if missing:
        raise Invalid("contract.batch.pdf_missing", numbers=Series(missing))
    total, width = len(listed), max(4, len(str(len(listed))))
    documents = db.session.execute(
        sa.select(table.c.number, table.c.issued_at, table.c.pdf).where(_live(edition))
        .order_by(*_number_order()).execution_options(yield_per=FETCH_PDFS))
    done = 0
    try:
        # Stored, not deflated: a PDF's streams are compressed already, and printing offices open any ZIP.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for number, issued_at, content in documents:
                if content is None:  # issued meanwhile without a PDF: the check above missed it
                    raise Invalid("contract.batch.pdf_missing", numbers=Series([number]))
                done += 1
                entry = zipfile.ZipInfo(f"{done:0{width}d}-{number}.pdf", date_time=_zip_time(issued_at))
                entry.compress_type = zipfile.ZIP_STORED
                archive.writestr(entry, content)
                if progress is not None:
                    progress(done, max(total, done))
    finally:
        documents.close()
    return done


def _zip_time(moment) -> tuple[int, int, int, int, int, int]:
    """The entry's time: when the contract was issued, in Beijing time (a ZIP holds local times)."""
    if moment is None:
        return ZIP_EPOCH
    local = clock.to_beijing(moment)
    return max(ZIP_EPOCH, (local.year, local.month, local.day, local.hour, local.minute, local.second))
