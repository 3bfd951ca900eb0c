"""Render templates to PDF with WeasyPrint, fetching nothing but the app's own static files.

A PDF may carry text typed by users (need names, team names, comments). Jinja escapes it, and the
URL fetcher below is the second wall: whatever URL ends up in the document, only files under
static/ are read; file://, http(s)://, data: and every other URL are refused.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .plain import ensure_plain as _ensure_plain

# The documents' base URL. `/static/...` resolves against it; the reserved .invalid domain
# (RFC 2606) can never reach a network even if a URL slipped past the fetcher.
STATIC_ORIGIN = "https://static.contest.invalid"


class RefusedURL(ValueError):
    """A URL the PDF may not load. WeasyPrint treats it as a failed fetch and leaves the resource out."""


class StaticFetcher(URLFetcher):
    """Serves files under the static folder, refuses everything else; records what it did."""

    def __init__(self, static_folder: str | Path, static_url_path: str = "/static"):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.root = Path(static_folder).resolve()
        self.prefix = static_url_path.rstrip("/") + "/"
        self.served: list[str] = []
        self.refused: list[str] = []

    def static_file(self, url: str) -> Path | None:
        """The file a URL names under the static folder, or None when it names anything else."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN:
            return None
        path = unquote(parts.path)
        if not path.startswith(self.prefix) or "\x00" in path or "\\" in path:
            return None
        candidate = (self.root / path[len(self.prefix):]).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        found = self.static_file(url)
        if found is None:
            self.refused.append(url)
            raise RefusedURL(f"PDF may only load the site's static files, refused: {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})


def static_fetcher() -> StaticFetcher:
    """A fresh fetcher for the current app's static folder."""
    return StaticFetcher(current_app.static_folder, current_app.static_url_path)


def render_pdf_string(html: str, *, url_fetcher: StaticFetcher | None = None, variant: str | None = None) -> bytes:
    """The PDF of an HTML document; relative and /static/ URLs resolve to the app's static files.
    `variant` is WeasyPrint's pdf_variant (e.g. "pdf/a-3b" for an archival document), plain PDF when None."""
    document = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=url_fetcher or static_fetcher())
    return document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()


def render_pdf(template: str, **context) -> bytes:
    """The PDF of a template under templates/pdf/, rendered from plain values only."""
    _ensure_plain(context)
    return render_pdf_string(render_template(template, **context))
