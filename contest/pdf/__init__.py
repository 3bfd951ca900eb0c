"""PDF documents (score sheets, later contracts), rendered by WeasyPrint from templates/pdf/."""
from .render import RefusedURL, StaticFetcher, render_pdf, render_pdf_string

__all__ = ["RefusedURL", "StaticFetcher", "render_pdf", "render_pdf_string"]
