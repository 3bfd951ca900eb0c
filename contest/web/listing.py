"""Lists that scale: a list page's text search, its sort order and direction, read from the query string.

A page declares its list once (`Listing("name", sorts={...}, texts=(...))`): the columns it sorts by (each with an
index or cheap at national scale) and the text columns its search box looks in. `read()` turns ?q=&sort=&dir= into
what the user asked for (anything unknown falls back to the default: a bad value is never an error), and
`apply()` adds the search and the order to the page's select, with a stable tiebreak so pagination never repeats
or skips a row. The search is a case-insensitive "contains" (ILIKE on PostgreSQL, lower() LIKE on SQLite) with
% and _ taken literally.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import request, url_for
from markupsafe import Markup, escape

MAX_QUERY = 100   # characters of a search kept; the rest is dropped
ASC, DESC = "asc", "desc"


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching(text: str, columns) -> sa.ColumnElement[bool]:
    """Any of the columns contains the text, whatever its case (portable to SQLite and PostgreSQL)."""
    pattern = f"%{_escaped(text)}%"
    return sa.or_(*(c.ilike(pattern, escape="\\") for c in columns))


@dataclass(frozen=True)
class Asked:
    """What the user asked of one list: the search text, the sort key (from the page's whitelist) and direction."""

    spec: Listing
    q: str
    sort: str
    dir: str
    endpoint: str = ""          # the list's own page (a refused POST may render it at another address)
    view_args: dict = field(default_factory=dict)

    @property
    def descending(self) -> bool:
        return self.dir == DESC

    def aria_sort(self, key: str) -> str:
        """The column header's aria-sort: how the list is sorted by that column, or "none"."""
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def sort_url(self, key: str) -> str:
        """This page sorted by the column (the other direction when it is already sorted by it), first page,
        the search and filters kept."""
        if key == self.sort:
            direction = ASC if self.descending else DESC
        else:
            direction = self.spec.first_dir.get(key, ASC)
        return self._url_with(sort=key, dir=direction, page=None)

    def clear_url(self) -> str:
        """This page without the search (filters and sort kept), first page."""
        return self._url_with(q=None, page=None)

    def kept_fields(self, *dropped: str) -> Markup:
        """Hidden inputs keeping the query string's other arguments (filters, sort) in a GET form that sets the
        given ones; the page number is dropped (a new search starts on the first page)."""
        skip = {"page", *dropped}
        return Markup("").join(Markup('<input type="hidden" name="{}" value="{}">').format(escape(k), escape(v))
                               for k, v in request.args.items(multi=True) if k not in skip)

    def action(self) -> str:
        """Where the list's search form is sent: the list's own page."""
        return url_for(self.endpoint, **self.view_args)

    def _url_with(self, **changes) -> str:
        args = {k: v for k, v in request.args.items() if not k.startswith("_")}   # url_for's own (_external…)
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = value
        return url_for(self.endpoint, **self.view_args, **{k: v for k, v in args.items() if k not in self.view_args})


@dataclass(frozen=True)
class Listing:
    """A list page's declaration: its sortable columns by key, the default sort, its searched text columns."""

    name: str
    sorts: Mapping[str, Any]
    default: str | None        # None: the select's own order until the user sorts by a column
    default_dir: str = ASC
    texts: tuple = ()
    tiebreak: Any = None
    first_dir: Mapping[str, str] = field(default_factory=dict)   # a column first sorted descending (dates)

    def read(self, endpoint: str | None = None, **view_args) -> Asked:
        """The search, sort and direction asked for in the query string; anything unknown is the default. The
        list's page is the current one unless named (a refused POST rendering the list names it)."""
        args = request.args
        q = args.get("q", "", type=str)
        q = q.strip()[:MAX_QUERY].strip() if isinstance(q, str) else ""
        sort = args.get("sort", "", type=str)
        if sort not in self.sorts:
            sort, direction = self.default or "", self.default_dir
        else:
            direction = args.get("dir", "", type=str)
            if direction not in (ASC, DESC):
                direction = self.first_dir.get(sort, ASC)
        if endpoint is None:
            endpoint, view_args = request.endpoint, dict(request.view_args or {})
        return Asked(self, q, sort, direction, endpoint, view_args)

    def apply(self, stmt: sa.Select, asked: Asked) -> sa.Select:
        """The select searched and ordered as asked (any order it had is replaced)."""
        if asked.q and self.texts:
            stmt = stmt.where(matching(asked.q, self.texts))
        if asked.sort not in self.sorts:
            return stmt
        column = self.sorts[asked.sort]
        order = [column.desc() if asked.descending else column.asc()]
        if self.tiebreak is not None:
            order.append(self.tiebreak.desc() if asked.descending else self.tiebreak.asc())
        return stmt.order_by(None).order_by(*order)
