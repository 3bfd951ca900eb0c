"""Public pages served from memory to visitors who are not logged in, while what they show is unchanged.

The catalogue is the page everyone reads, most of them anonymous. Its HTML is kept per worker process, keyed
by the URL with its query, the language, and a version of the data it shows that one cheap statement reads
(see contest.services.catalogue.catalogue_version): a need published, changed or closed, an edition re-dated,
a deadline passing, each gives a new key. What the version does not cover (an organization renamed) shows
after at most TTL seconds. Logged-in users (their name in the bar) and pending messages are never served
from the cache.

In front of Flask, SharedPages answers a visitor who sends no cookie at all with the very response (status,
headers, body) such a page got less than PAGE_CACHE_FRESH_SECONDS (1 s) ago, without loading a session, a
user or the data's version: a need published shows in the catalogue at most that second later. Only a
response the view marked as shareable (anonymous_page, for an anonymous visitor) and that sets no cookie
is kept; the key is the host, scheme, path and query.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from threading import Lock

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

TTL = 60.0        # seconds
ENTRIES = 512     # pages kept per process, the least recently used dropped first

SHAREABLE = "contest.page_cache.shareable"   # set in the WSGI environment by anonymous_page

_pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = Lock()


def anonymous_page(version: Hashable, render: Callable[[], str]) -> str:
    """The page's HTML: from memory for an anonymous visitor when the same URL, language and data version were
    rendered less than TTL seconds ago, else rendered (and kept when the visitor is anonymous)."""
    if current_user.is_authenticated or session.get("_flashes") or not current_app.config.get("PAGE_CACHE", True):
        return render()
    request.environ[SHAREABLE] = True
    key = (request.full_path, str(get_locale()), version)
    now = time.monotonic()
    with _lock:
        found = _pages.get(key)
        if found is not None and now - found[0] < TTL:
            _pages.move_to_end(key)
            return found[1]
    html = render()
    with _lock:
        _pages[key] = (now, html)
        _pages.move_to_end(key)
        while len(_pages) > ENTRIES:
            _pages.popitem(last=False)
    return html


class SharedPages:
    """WSGI middleware: the responses anonymous_page marked shareable, answered again from memory for
    `fresh` seconds to visitors without cookies (see the module's text)."""

    def __init__(self, wsgi_app: Callable, fresh: float, entries: int = ENTRIES) -> None:
        self.wsgi_app, self.fresh, self.entries = wsgi_app, fresh, entries
        self._kept: OrderedDict[tuple, tuple[float, str, list[tuple[str, str]], bytes]] = OrderedDict()
        self._lock = Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_COOKIE"):
            return self.wsgi_app(environ, start_response)
        key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""),
               environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        now = time.monotonic()
        with self._lock:
            found = self._kept.get(key)
        if found is not None and now - found[0] < self.fresh:
            start_response(found[1], list(found[2]))
            return [found[3]]
        answered: list = []

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.wsgi_app(environ, start)
        if not environ.get(SHAREABLE):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = answered
        if status.startswith("200") and not any(name.lower() == "set-cookie" for name, _ in headers):
            with self._lock:
                self._kept[key] = (now, status, list(headers), content)
                self._kept.move_to_end(key)
                while len(self._kept) > self.entries:
                    self._kept.popitem(last=False)
        return [content]
