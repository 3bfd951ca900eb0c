"""A real HTTP server around the app (and a worker beside it), for the browser tests and `make screenshots`."""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from contest import create_app
from contest.extensions import db
from contest.models import Edition
from contest.services.jobs.queue import queue_of

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = {"executable_path": CHROMIUM,
               "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]}
DEMO_PASSWORD = "demo-pass-2024"


def make_app(folder: Path, database_url: str | None = None, **config):
    """An app on a database migrated to head (by default a fresh SQLite file in `folder`); CSRF stays on."""
    from flask_migrate import upgrade

    folder.mkdir(parents=True, exist_ok=True)
    saved = os.environ.get("CONTEST_INSTANCE")
    os.environ["CONTEST_INSTANCE"] = str(folder / "instance")  # not the developer's instance/config.py
    try:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "e2e-secret", "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'contest.sqlite'}",
            "UPLOAD_FOLDER": str(folder / "uploads"), **config,
        })
    finally:
        if saved is None:
            os.environ.pop("CONTEST_INSTANCE", None)
        else:
            os.environ["CONTEST_INSTANCE"] = saved
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def cic8_edition(**overrides) -> Edition:
    """The browser tests' edition: collecting needs Feb–Mar 2026, bidding until 30 Apr 2026 17:00 Beijing."""
    values = dict(code="CIC8-NB", name="第八届中国创新挑战赛（宁波）", year=2026, collection_start=date(2026, 2, 1),
                  collection_end=date(2026, 3, 31), bidding_deadline=datetime(2026, 4, 30, 9, 0),
                  review_start=date(2026, 5, 6), review_end=date(2026, 5, 20), final_date=date(2026, 6, 10),
                  results_date=date(2026, 6, 20))
    return Edition(**{**values, **overrides})


@contextmanager
def served_demo(tmp_path_factory, databases, name: str):
    """The demo data (`flask seed-demo`) in a database of its own, served on a free port: (app, base URL)."""
    folder = tmp_path_factory.mktemp(name)
    app = make_app(folder, databases.fresh(folder))
    seed_demo(app)
    with serving(app) as url:
        yield app, url


def seed_demo(app) -> None:
    """Load the demo data (`flask seed-demo`)."""
    from contest.demo import seed

    with app.app_context():
        seed()
        db.session.commit()
        db.session.remove()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no access log in the test output
        pass


@contextmanager
def serving(app):
    """Serve `app` on 127.0.0.1 on a free port in a background thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form (starting from a clean cookie jar)."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/auth/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert "/auth/login" not in page.url, f"login as {username} failed"


@contextmanager
def working(app, threads: int = 1):
    """A real worker beside the server: a Huey consumer on the app's queue (its SQLite file in the app's instance
    folder, unless JOBS_URL says otherwise) in threads of this process, as `flask --app contest worker` runs one.
    The app must have JOBS_IMMEDIATE off. Stopped gracefully at the end (a running job is let finish)."""
    huey = queue_of(app).huey
    assert not huey.immediate, "serve the app with JOBS_IMMEDIATE=False to run its jobs in a worker"
    # Polls the queue often (a test waits for it), no minute sweep, and a stop that cannot hang the run.
    consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=False, initial_delay=0.05,
                                    max_delay=0.25, check_worker_health=False, shutdown_timeout=30)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    for number, handler in handlers.items():  # the consumer takes the signals over: they stay the test run's
        signal.signal(number, handler)
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        huey.storage.close()
