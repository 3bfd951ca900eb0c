"""The technology development contract as a PDF: one contract, or several in one file for batch printing.

The context comes from contest.services.contract_document.contract_context() (plain values only). The
QR code of the public verification page is drawn here by segno, from the URL the app built itself: it is
the only markup the template prints unescaped.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar

import segno
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from markupsafe import Markup

from .plain import ensure_plain

# The model text of each contract type (contest.domain.contracts.ContractType values).
TEMPLATES = {"commissioned": "pdf/contract.html", "joint": "pdf/contract_joint.html"}
# Contracts are archival documents: PDF/A-3b (fonts embedded, colours and metadata declared), which a registrar
# or a court can keep and read in decades; it is then signed (contest.pdf.signing) by issue_contract().
PDF_VARIANT = "pdf/a-3b"
# Another way to turn a contract's HTML into its PDF, within one block of code only: seed-demo's cache of
# rendered contracts (contest.demo.contract_pdfs). Unset, WeasyPrint renders every time.
_html_to_pdf: ContextVar[Callable[[str], bytes] | None] = ContextVar("contract_html_to_pdf", default=None)


def qr_svg(url: str | None) -> Markup | None:
    """The verification URL as an inline SVG QR code (medium error correction, survives a crease or a stamp)."""
    if not url:
        return None
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=None)
    return Markup(svg)


def contract_html(context: dict) -> str:
    """The contract's HTML, always in Chinese: it is a legal document, whatever the organizer's language."""
    ensure_plain(context)
    with ExitStack() as stack:
        if not has_request_context():
            # url_for (static files) needs a request outside views (CLI: seed-demo, print-contracts).
            stack.enter_context(current_app.test_request_context("/"))
        stack.enter_context(force_locale("zh_CN"))
        template = TEMPLATES[context.get("contract_type", "commissioned")]
        return render_template(template, c=context, qr_svg=qr_svg(context.get("verify_url")))


def render_contract(context: dict) -> bytes:
    """The PDF of one contract: A4, CJK fonts embedded, only the app's static files fetched."""
    html = contract_html(context)
    convert = _html_to_pdf.get()
    if convert is not None:
        return convert(html)
    return pdf_from_html(html)


def pdf_from_html(html: str) -> bytes:
    """A contract's HTML as its PDF/A document, unsigned (what a render cache keeps)."""
    from .render import render_pdf_string  # WeasyPrint, loaded when a PDF is made

    return render_pdf_string(html, variant=PDF_VARIANT)


@contextmanager
def rendering_with(html_to_pdf: Callable[[str], bytes]) -> Iterator[None]:
    """Within the block, contracts' HTML becomes PDF through `html_to_pdf` (which must give exactly what
    pdf_from_html() gives for that HTML, e.g. from a cache of its earlier results)."""
    token = _html_to_pdf.set(html_to_pdf)
    try:
        yield
    finally:
        _html_to_pdf.reset(token)


def render_contracts(contexts: list[dict], progress: Callable[[int, int], None] | None = None) -> bytes:
    """One PDF of several contracts in the order given, each starting on a new page with its own
    "第 N 页 共 M 页" count (each is rendered alone, then the documents are joined page for page)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    total = len(contexts)
    for done, context in enumerate(contexts, start=1):
        writer.append(PdfReader(io.BytesIO(render_contract(context))))
        if progress is not None:
            progress(done, total)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
