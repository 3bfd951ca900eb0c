"""The app as gunicorn serves it for `make bench-scale`, with each response telling its cost in headers.

With BENCH_COUNT_SQL=1 every response carries X-SQL-Statements (statements sent to the database while the
request was handled, counted by a `before_cursor_execute` listener on the app's engine) and X-Server-Ms
(time from the request's arrival in the worker to its status line). The hook lives here, in the
benchmark's own WSGI entry module, never in the app. Served as `counted_wsgi:app` (--pythonpath
benchmarks/scale).
"""
from __future__ import annotations

import os

import sqlalchemy as sa

from contest import create_app
from contest.extensions import db
from cost_headers import count_statement, instrument

app = create_app()
if os.environ.get("BENCH_COUNT_SQL") == "1":
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count_statement)
    app.wsgi_app = instrument(app.wsgi_app)  # type: ignore[method-assign]
