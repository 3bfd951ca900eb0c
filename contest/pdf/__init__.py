"""PDF documents (score sheets, contracts), rendered by WeasyPrint from templates/pdf/.

WeasyPrint takes about two seconds to import, so nothing here loads it until a PDF is made: the names
below are resolved on first use (PEP 562), and the app starts without it.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and readers; never at run time
    from .render import RefusedURL, StaticFetcher, render_pdf, render_pdf_string

__all__ = ["RefusedURL", "StaticFetcher", "render_pdf", "render_pdf_string"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(import_module(".render", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
