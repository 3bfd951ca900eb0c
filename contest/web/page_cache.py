"""Public pages served from memory to visitors who are not logged in, while what they show is unchanged.

The catalogue is the page everyone reads, most of them anonymous. Its HTML is kept per worker process, keyed
by the URL with its query, the language, and a version of the data it shows that one cheap statement reads
(see contest.services.catalogue.catalogue_version): a need published, changed or closed, an edition re-dated,
a deadline passing, each gives a new key. What the version does not cover (an organization renamed) shows
after at most TTL seconds. Logged-in users (their name in the bar) and pending messages are never served
from the cache.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

TTL = 60.0        # seconds
ENTRIES = 512     # pages kept per process, the least recently used dropped first

_pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = Lock()


def anonymous_page(version: Hashable, render: Callable[[], str]) -> str:
    """The page's HTML: from memory for an anonymous visitor when the same URL, language and data version were
    rendered less than TTL seconds ago, else rendered (and kept when the visitor is anonymous)."""
    if current_user.is_authenticated or session.get("_flashes") or not current_app.config.get("PAGE_CACHE", True):
        return render()
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
