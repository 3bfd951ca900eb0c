"""Lookups every blueprint shares: an edition by its code in the URL, the page number of a list."""
from __future__ import annotations

from flask import abort, request

from ..models import Edition
from ..services.editions import edition_by_code


def edition_or_404(code: str) -> Edition:
    """The edition named in the URL; an unknown code is 404."""
    return edition_by_code(code) or abort(404)


def page_number(param: str = "page") -> int:
    """The list page asked for (?page=, or another parameter when a page has two lists), at least 1."""
    return max(request.args.get(param, 1, type=int), 1)
