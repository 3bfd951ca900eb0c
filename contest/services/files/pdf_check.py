"""What a PDF upload must be, found by parsing it with pypdf, and the blind copy a judge downloads.

An upload is refused when it is not really a PDF (HTML or SVG renamed .pdf), when it is a polyglot (a PDF
that is also a web page or a ZIP archive), when it is encrypted, corrupt, has no page or too many, and when
it carries active content: JavaScript, actions that launch a program, open another file, import or send
data, or open a web address by themselves, and embedded files, wherever they sit and however indirectly
they are written.

The judge's copy is rebuilt, not cleaned: a new PDF whose pages carry only what is drawn and where (contents,
resources, boxes, rotation), the resources without the entries that draw nothing.

`inspect_pdf` and `blind_copy` are what the web process calls: they run `check` and `rebuild` in a child
process with time and memory limits (pdf_sandbox), so that a hostile file costs no more than those.
pdf_text reads a challenge report's text in the same child.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

from ...domain.bidding import looks_like_pdf
from ...domain.errors import Invalid
from . import pdf_sandbox

# Markers of a web page. These long ones are searched everywhere: by chance in compressed data they
# practically never occur.
HTML_ANYWHERE = re.compile(rb"<(?:script|iframe|html|!doctype\s+html)[\s/>]", re.IGNORECASE)
# Shorter ones only outside stream data (compressed bytes could hold them by chance).
HTML_OUTSIDE_STREAMS = re.compile(rb"<(?:svg|body|object|embed|meta|img)[\s/>]", re.IGNORECASE)
STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
# Actions that run code.
SCRIPT_ACTIONS = {"/JavaScript", "/RichMediaExecute"}
SCRIPT_KEYS = {"/JS", "/JavaScript", "/XFA"}  # XFA forms carry scripts of their own
# Actions that start a program, open another (possibly remote) file, or import or send data.
EXTERNAL_ACTIONS = {"/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm"}
# Actions allowed when the reader clicks them (a link) but not run by themselves (/OpenAction, /AA).
CLICK_ONLY_ACTIONS = {"/URI"}
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF", "/RichMediaContent"}
EMBEDDED_TYPES = {"/EmbeddedFile"}
EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/3D"}
# A page tree has fewer inner nodes than pages: one far larger than its pages is refused like a long one.
PAGE_TREE_NODES_PER_PAGE = 2
PAGE_TREE_SLACK = 100

# What the judge's copy keeps of a page: what is drawn and where.
PAGE_KEYS = ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate")
# What it keeps of a form or an image XObject: how it is drawn.
XOBJECT_KEYS = {
    "/Form": {"/Type", "/Subtype", "/FormType", "/BBox", "/Matrix", "/Resources", "/Group", "/Filter",
              "/DecodeParms"},
    "/Image": {"/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent", "/Intent",
               "/ImageMask", "/Mask", "/Decode", "/Interpolate", "/SMask", "/SMaskInData", "/Matte", "/Filter",
               "/DecodeParms"},
}
# Entries dropped from every other dictionary the copy takes over (fonts, colour spaces, patterns …): they draw
# nothing, and may name the author, hold applications' private data, run something or point outside the file.
NOT_DRAWN = {"/Metadata", "/PieceInfo", "/LastModified", "/OC", "/OPI", "/Usage", "/StructParent", "/StructParents",
             "/AF", "/EF", "/EmbeddedFiles", "/F", "/FFilter", "/FDecodeParms", "/Ref", "/AA", "/A", "/JS",
             "/JavaScript", "/URI", "/Annots"}

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged upload is refused, not logged at length


def inspect_pdf(content: bytes) -> None:
    """Refuse (Invalid, with the reason in Chinese) anything but a plain, readable, unencrypted PDF of at most
    BID_PDF_MAX_PAGES pages. It is parsed in a child process with time and memory limits."""
    if not looks_like_pdf(content):
        raise Invalid("pdf.not_pdf")  # no process started for what is not even a PDF
    pdf_sandbox.run("check", content, pdf_sandbox.Limits.of_app())


def blind_copy(content: bytes) -> bytes:
    """The same pages, rebuilt with nothing but what is drawn: no document info, XMP, annotations, actions,
    outlines, structure, names, embedded files or applications' private data, on the pages or in their resources.

    For a judge in the blind online round: the stored original is not touched. Made in a child process with
    time and memory limits; raises Invalid when the file cannot be read (then it is not served at all).
    """
    return pdf_sandbox.run("blind", content, pdf_sandbox.Limits.of_app())


# --- in the child process (pdf_worker) --------------------------------------------------------------------

def check(content: bytes, max_pages: int) -> None:
    """The checks of inspect_pdf, in this process."""
    if not looks_like_pdf(content):
        raise Invalid("pdf.not_pdf")
    if _is_polyglot(content):
        raise Invalid("pdf.polyglot")
    with readable():
        reader = open_reader(content)
        _count_pages(reader, max_pages)
        pages = len(reader.pages)
        _refuse_active_content(reader)
    if pages == 0:
        raise Invalid("pdf.no_pages")


def rebuild(content: bytes, max_pages: int) -> bytes:
    """The copy of blind_copy, made in this process."""
    with readable():
        reader = open_reader(content)
        _count_pages(reader, max_pages)
        writer = PdfWriter()
        copies: dict[tuple[int, int], IndirectObject] = {}
        for page in reader.pages:
            new = writer.add_blank_page(float(page.mediabox.width), float(page.mediabox.height))
            for key in PAGE_KEYS:
                if key in page:
                    new[NameObject(key)] = _copy(page.raw_get(key), writer, copies)
        writer.metadata = None  # no /Info at all: not even pypdf's /Producer
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


@contextmanager
def readable() -> Iterator[None]:
    """pypdf's many errors on a damaged file become "pdf.corrupt"; refusals and running out of memory pass."""
    try:
        yield
    except (Invalid, MemoryError):
        raise
    except Exception as e:
        raise Invalid("pdf.corrupt") from e


def open_reader(content: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        raise Invalid("pdf.encrypted")
    return reader


def _is_polyglot(content: bytes) -> bool:
    if HTML_ANYWHERE.search(content):
        return True
    if HTML_OUTSIDE_STREAMS.search(STREAM_DATA.sub(b"", content)):
        return True
    try:
        return zipfile.is_zipfile(io.BytesIO(content))
    except Exception:  # an unreadable end-of-archive record: not a ZIP
        return False


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _name(obj: DictionaryObject, key: str) -> str | None:
    """The name under `key`, written directly or as an indirect object; None for anything else."""
    value = _resolved(obj.get(key))
    return value if isinstance(value, NameObject) else None


def _count_pages(reader: PdfReader, limit: int) -> None:
    """Refuse a page tree of more than `limit` pages, counted as readers count them (a page listed twice in /Kids
    is two pages) and as soon as there are too many: pypdf would first build a page object for each."""
    pages, nodes, most_nodes = 0, 0, PAGE_TREE_NODES_PER_PAGE * limit + PAGE_TREE_SLACK
    stack = [reader.trailer["/Root"]["/Pages"]]
    while stack:
        node = _resolved(stack.pop())
        nodes += 1
        if not isinstance(node, DictionaryObject):
            continue
        kind = _name(node, "/Type")
        if kind == "/Pages" or (kind is None and "/Kids" in node):
            kids = _resolved(node.get("/Kids"))
            stack.extend(kids if isinstance(kids, ArrayObject) else ())
        elif kind == "/Page" or (kind is None and node):
            pages += 1
        if pages > limit or nodes > most_nodes:
            raise Invalid("pdf.too_many_pages", limit=limit)


def _objects(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer, each indirect object visited once."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [reader.trailer]
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
        action = _name(obj, "/S")
        if keys & SCRIPT_KEYS or action in SCRIPT_ACTIONS:
            raise Invalid("pdf.active")
        if action in EXTERNAL_ACTIONS:
            raise Invalid("pdf.external_action")
        if (keys & EMBEDDED_KEYS or _name(obj, "/Type") in EMBEDDED_TYPES
                or _name(obj, "/Subtype") in EMBEDDED_SUBTYPES):
            raise Invalid("pdf.embedded")
        if any(_name(automatic, "/S") in CLICK_ONLY_ACTIONS for automatic in _automatic_actions(obj)):
            raise Invalid("pdf.active")


def _automatic_actions(obj: DictionaryObject) -> Iterator[DictionaryObject]:
    """The actions `obj` runs by itself: the document's /OpenAction and the additional actions (/AA) of the
    document, a page, an annotation or a field (on opening, focus …), each with the actions of its /Next."""
    triggers = _resolved(obj.get("/AA"))
    starts = [obj.get("/OpenAction"), *(triggers.values() if isinstance(triggers, DictionaryObject) else ())]
    seen: set[int] = set()
    stack = list(starts)
    while stack:
        action = _resolved(stack.pop())
        if isinstance(action, DictionaryObject) and id(action) not in seen:
            seen.add(id(action))
            yield action
            following = _resolved(action.get("/Next"))
            stack.extend(following if isinstance(following, ArrayObject) else [following])


def _copy(obj: PdfObject, writer: PdfWriter, copies: dict[tuple[int, int], IndirectObject]) -> PdfObject:
    """`obj` for the judge's copy: dictionaries, streams and arrays without the entries that draw nothing, each
    indirect object copied once (shared fonts stay shared, cycles end), numbers, names and strings as they are."""
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        if key not in copies:
            target = obj.get_object()
            if not isinstance(target, (DictionaryObject, ArrayObject)):
                return target
            shell = _shell(target)
            copies[key] = writer._add_object(shell)
            _fill(shell, target, writer, copies)
        return copies[key]
    if isinstance(obj, (DictionaryObject, ArrayObject)):
        shell = _shell(obj)
        _fill(shell, obj, writer, copies)
        return shell
    return obj


def _shell(source: DictionaryObject | ArrayObject) -> DictionaryObject | ArrayObject:
    """An empty container of source's kind; a stream's (still encoded) data is taken over as it is."""
    if isinstance(source, StreamObject):
        shell = StreamObject()
        shell._data = source._data
        return shell
    return DictionaryObject() if isinstance(source, DictionaryObject) else ArrayObject()


def _fill(shell: DictionaryObject | ArrayObject, source: DictionaryObject | ArrayObject, writer: PdfWriter,
          copies: dict[tuple[int, int], IndirectObject]) -> None:
    if isinstance(source, ArrayObject):
        shell.extend(_copy(item, writer, copies) for item in source)
        return
    kept = XOBJECT_KEYS.get(_name(source, "/Subtype") or "") if isinstance(source, StreamObject) else None
    for key, value in source.items():
        if (key in kept) if kept is not None else (key not in NOT_DRAWN):
            shell[key] = _copy(value, writer, copies)
