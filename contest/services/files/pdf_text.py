"""A challenge report's text, page by page, for the anonymity check (domain/anonymity): read by pypdf in the
limited child process of pdf_sandbox (task "read"), after the checks of pdf_check, and bounded."""
from __future__ import annotations

import json

from ...domain.bidding import looks_like_pdf
from ...domain.errors import Invalid
from . import pdf_sandbox
from .pdf_check import check, open_reader, readable

# How much of a report's text the child reads and sends back: enough for any honest report, bounded for the rest.
PAGE_TEXT_MAX = 20_000
TEXT_MAX = 1_000_000


def inspect_report(content: bytes) -> list[str]:
    """inspect_pdf, and the text of each page (at most PAGE_TEXT_MAX characters a page, TEXT_MAX in all; "" for a
    page without text or whose text cannot be read), read in the same limited child process."""
    if not looks_like_pdf(content):
        raise Invalid("pdf.not_pdf")
    answer = pdf_sandbox.run("read", content, pdf_sandbox.Limits.of_app())
    try:
        texts = json.loads(answer.decode("utf-8"))
    except ValueError:
        texts = None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise Invalid("pdf.corrupt")   # the child answers a list of strings or nothing at all
    return [t[:PAGE_TEXT_MAX] for t in texts]


# --- in the child process (pdf_worker) --------------------------------------------------------------------

def check_and_read(content: bytes, max_pages: int) -> bytes:
    """The checks of inspect_report, then the pages' text as a JSON list of strings, in this process."""
    check(content, max_pages)
    return json.dumps(read_texts(content), ensure_ascii=False).encode("utf-8")


def read_texts(content: bytes) -> list[str]:
    """The text of each page (bounded as inspect_report says), read in this process: in the checking child, or
    for a file the app made itself (the demo's reports)."""
    texts, left = [], TEXT_MAX
    with readable():
        for page in open_reader(content).pages:
            text = _page_text(page)[:min(PAGE_TEXT_MAX, left)] if left > 0 else ""
            left -= len(text)
            texts.append(text)
    return texts


def _page_text(page) -> str:
    """A page's text as pypdf extracts it; "" when it cannot (a font pypdf does not know is no refusal)."""
    try:
        return page.extract_text() or ""
    except MemoryError:
        raise
    except Exception:
        return ""
