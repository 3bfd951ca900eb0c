"""Lookups every blueprint shares: an edition by its code in the URL, ids in the URL, the page number of a list."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination

from ..models import Edition
from ..services.editions import edition_by_code

MAX_ROW_ID = 2**31 - 1  # the largest id the tables' columns hold (INTEGER: 32 bits on PostgreSQL)
# The last page a list may be asked for: its offset stays far inside a 64-bit integer whatever the page size.
MAX_PAGE = 1_000_000

P = TypeVar("P", bound=Pagination)


def edition_or_404(code: str) -> Edition:
    """The edition named in the URL; an unknown code is 404."""
    return edition_by_code(code) or abort(404)


def refuse_impossible_ids(endpoint: str | None, values: dict | None) -> None:
    """An id in the URL that no row can have (0, or beyond MAX_ROW_ID) is a page that does not exist: 404.

    Registered as a URL value preprocessor: the database would otherwise fail on the number (an overflow, a 500)
    before the query could find nothing.
    """
    if values and any(isinstance(v, int) and not 0 < v <= MAX_ROW_ID for v in values.values()):
        abort(404)


def page_number(param: str = "page") -> int:
    """The list page asked for (?page=, or another parameter when a page has two lists), from 1 to MAX_PAGE;
    anything that is not a whole number is page 1."""
    return min(max(request.args.get(param, 1, type=int), 1), MAX_PAGE)


def within_pages(fetch: Callable[[int], P], page: int) -> P:
    """The page of a list asked for, or its last page when the list is shorter (one more query then)."""
    pagination = fetch(page)
    if page > 1 and page > pagination.pages:
        return fetch(max(pagination.pages, 1))
    return pagination
