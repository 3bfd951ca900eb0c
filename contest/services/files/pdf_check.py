"""What a PDF upload must be, found by parsing it with pypdf, and the blind copy a judge downloads.

An upload is refused when it is not really a PDF (HTML or SVG renamed .pdf), when it is a polyglot (a PDF
that is also a web page or a ZIP archive), when it is encrypted, corrupt or has no page, and when it
carries active content: JavaScript, actions that launch or import something, or embedded files.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from ...domain.bidding import looks_like_pdf
from ...domain.errors import Invalid

# Markers of a web page. These long ones are searched everywhere: by chance in compressed data they
# practically never occur.
HTML_ANYWHERE = re.compile(rb"<(?:script|iframe|html|!doctype\s+html)[\s/>]", re.IGNORECASE)
# Shorter ones only outside stream data (compressed bytes could hold them by chance).
HTML_OUTSIDE_STREAMS = re.compile(rb"<(?:svg|body|object|embed|meta|img)[\s/>]", re.IGNORECASE)
STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
# Actions that run code, start a program, load data or embedded documents, or post the form somewhere.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE", "/SubmitForm"}
ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA"}  # XFA forms carry scripts of their own
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF", "/RichMediaContent"}
EMBEDDED_TYPES = {"/EmbeddedFile"}
EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/3D"}
# Identity a report's own file may carry beside its text: the document info, XMP, per-page metadata,
# applications' private data and the authors of annotations (comments).
PAGE_IDENTITY_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
ANNOTATION_IDENTITY_KEYS = ("/T", "/RC", "/M", "/NM")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged upload is refused, not logged at length


def _parse(content: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(content))
    except Exception as e:  # pypdf raises many kinds of errors on damaged input
        raise Invalid("pdf.corrupt") from e


def _is_polyglot(content: bytes) -> bool:
    if HTML_ANYWHERE.search(content):
        return True
    if HTML_OUTSIDE_STREAMS.search(STREAM_DATA.sub(b"", content)):
        return True
    try:
        return zipfile.is_zipfile(io.BytesIO(content))
    except Exception:  # an unreadable end-of-archive record: not a ZIP
        return False


def _objects(reader: PdfReader):
    """Every dictionary reachable from the trailer, each indirect object visited once."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            yield node
            stack.extend(value for value in node.values() if isinstance(value, (IndirectObject, DictionaryObject,
                                                                                  ArrayObject)))
        elif isinstance(node, ArrayObject):
            stack.extend(item for item in node if isinstance(item, (IndirectObject, DictionaryObject, ArrayObject)))


def _refuse_active_content(reader: PdfReader) -> None:
    for obj in _objects(reader):
        keys = set(obj.keys())
        if keys & ACTIVE_KEYS or obj.get("/S") in ACTIVE_ACTIONS:
            raise Invalid("pdf.active")
        if keys & EMBEDDED_KEYS or obj.get("/Type") in EMBEDDED_TYPES or obj.get("/Subtype") in EMBEDDED_SUBTYPES:
            raise Invalid("pdf.embedded")


def inspect_pdf(content: bytes) -> None:
    """Refuse (Invalid, with the reason in Chinese) anything but a plain, readable, unencrypted PDF."""
    if not looks_like_pdf(content):
        raise Invalid("pdf.not_pdf")
    if _is_polyglot(content):
        raise Invalid("pdf.polyglot")
    reader = _parse(content)
    if reader.is_encrypted:
        raise Invalid("pdf.encrypted")
    try:
        pages = len(reader.pages)
        _refuse_active_content(reader)
    except Invalid:
        raise
    except Exception as e:  # a broken object deep in the file
        raise Invalid("pdf.corrupt") from e
    if pages == 0:
        raise Invalid("pdf.no_pages")


def blind_copy(content: bytes) -> bytes:
    """The same pages without the document info, XMP metadata, page metadata or annotation authors.

    For a judge in the blind online round: the stored original is not touched. Raises Invalid when the
    file cannot be read (then it is not served at all).
    """
    reader = _parse(content)
    if reader.is_encrypted:
        raise Invalid("pdf.encrypted")
    try:
        writer = PdfWriter()
        for page in reader.pages:
            # Cleaned in the reader's copy before the page is cloned: what is dropped is never written.
            for key in PAGE_IDENTITY_KEYS:
                page.pop(key, None)
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                for key in ANNOTATION_IDENTITY_KEYS:
                    annotation.pop(key, None)
            writer.add_page(page)
        writer.metadata = None  # no /Info at all: not even pypdf's /Producer
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except Exception as e:
        raise Invalid("pdf.corrupt") from e
    return out.getvalue()
