"""Response headers telling a request's cost: X-SQL-Statements and X-Server-Ms (see counted_wsgi.py)."""
from __future__ import annotations

import threading
import time

_request = threading.local()


def count_statement(*_args) -> None:
    """The engine's before_cursor_execute listener: one more statement for the request being handled."""
    _request.statements = getattr(_request, "statements", 0) + 1


def instrument(wsgi_app):
    """Wrap a WSGI app so that its responses carry X-SQL-Statements and X-Server-Ms."""

    def counted(environ, start_response):
        _request.statements, started = 0, time.perf_counter()

        def start(status, headers, exc_info=None):
            spent = (time.perf_counter() - started) * 1000
            headers = [*headers, ("X-SQL-Statements", str(_request.statements)), ("X-Server-Ms", f"{spent:.2f}")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return wsgi_app(environ, start)

    return counted
