"""Lookups every blueprint shares: an edition by its code in the URL, the page number of a list."""
from __future__ import annotations

from flask import abort, request

from ..models import Edition
from ..services.editions import edition_by_code


def edition_or_404(code: str) -> Edition:
    """The edition named in the URL; an unknown code is 404."""
    return edition_by_code(code) or abort(404)


def page_number() -> int:
    """The list page asked for (?page=), at least 1."""
    return max(request.args.get("page", 1, type=int), 1)
