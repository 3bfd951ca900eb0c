"""The contest web application: create_app() builds it."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import DEFAULT_SECRET_KEY, Config, from_environment

ROOT = Path(__file__).resolve().parent.parent


class InsecureSecretKey(RuntimeError):
    """Raised at start-up when a production app would run with the default secret key."""


class MisconfiguredSetting(RuntimeError):
    """Raised at start-up when a setting (DATABASE_URL, STORAGE_DIR, ...) cannot work; the message names it."""


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, error handlers."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CONTEST_INSTANCE", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, overrides or {})
    _init_extensions(app)
    _register_blueprints(app)
    from . import cli, errors, security, web

    errors.register(app)
    web.register(app)
    security.register(app)
    cli.register(app)
    from .services.files.sweep import sweep_at_start

    sweep_at_start(app)  # files left in flight by a killed process: moved into place or deleted
    _wrap(app)
    return app


def _wrap(app: Flask) -> None:
    """The WSGI layers in front of Flask: public pages from memory (inside), the proxy's headers (outside)."""
    from .web.page_cache import SharedPages

    if app.config["PAGE_CACHE_FRESH_SECONDS"] and app.config.get("PAGE_CACHE", True):
        app.wsgi_app = SharedPages(app.wsgi_app, app.config["PAGE_CACHE_FRESH_SECONDS"])  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def _configure(app: Flask, overrides: dict) -> None:
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "contest.sqlite")
    _check_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    storage = app.config.get("STORAGE_DIR") or app.instance_path
    setting = "UPLOAD_FOLDER" if app.config.get("UPLOAD_FOLDER") else "STORAGE_DIR"
    app.config.setdefault("UPLOAD_FOLDER", str(Path(storage) / "uploads"))
    _check_writable(Path(app.config["UPLOAD_FOLDER"]), setting)
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise InsecureSecretKey(
            "SECRET_KEY is the built-in default: set SECRET_KEY in the environment or in "
            "instance/config.py before running outside debug mode (sessions could be forged)."
        )


def _check_database_url(url: str) -> None:
    """Stop at start when DATABASE_URL cannot be parsed or names a database driver that is not installed."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect()
    except (NoSuchModuleError, ImportError) as e:
        raise MisconfiguredSetting(f"DATABASE_URL names a database driver that is not available: {e}") from e
    except (ArgumentError, ValueError) as e:  # the message would repeat the URL and its password
        raise MisconfiguredSetting("DATABASE_URL cannot be parsed as a database URL; expected e.g. "
                                   "postgresql+psycopg://user:password@host:5432/contest") from e


def _check_writable(folder: Path, setting: str) -> None:
    """Stop at start when the storage directory cannot be created or written to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise MisconfiguredSetting(f"{setting} ({folder}) cannot be created or written to: {e}") from e


def _init_extensions(app: Flask) -> None:
    from .extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    from . import auth  # noqa: F401  (registers the user loader)


def _register_blueprints(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .broker import bp as broker_bp
    from .firm import bp as firm_bp
    from .judge import bp as judge_bp
    from .market import bp as market_bp
    from .notices import bp as notices_bp
    from .organizer import bp as organizer_bp
    from .public import bp as public_bp
    from .team import bp as team_bp

    for bp in (public_bp, auth_bp, firm_bp, team_bp, judge_bp, organizer_bp, notices_bp, market_bp, broker_bp):
        app.register_blueprint(bp)
    from .api import register as register_api

    register_api(app)  # /api/v1: the open API (its blueprint, OpenAPI document, JSON errors, CORS)
    from .events import bp as events_bp

    app.register_blueprint(events_bp)
