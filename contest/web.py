"""What every page shares: template helpers, security headers, upload clean-up."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, flash, request, url_for
from flask_babel import format_date, format_datetime, get_locale

from .extensions import db
from .labels import badge_colour, label
from .services import staging

# No inline script anywhere (templates carry no <script> blocks or on…= handlers; a test checks).
CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'"
)


def wan(amount: Decimal | None) -> str:
    """An amount in 万元 with two decimals and thousands separators."""
    return "—" if amount is None else f"{amount:,.2f}"


def when(moment: datetime | date | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return format_datetime(moment, fmt)
    return format_date(moment, "yyyy-MM-dd")


def page_url(page: int) -> str:
    """The current page's URL with its query string, at another page number."""
    args = {**(request.view_args or {}), **request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **args)


def refuse(error) -> int:
    """A service refused the request: undo everything it did, tell the user why, return the 4xx to answer.

    Call it before rendering the page that answers, so the message shows on that page.
    """
    db.session.rollback()
    flash(error.message, "danger")
    return error.status


def register(app: Flask) -> None:
    app.jinja_env.filters.update(label=label, wan=wan, when=when)
    app.jinja_env.globals.update(badge_colour=badge_colour, get_locale=get_locale, page_url=page_url)
    staging.register(app)  # stored files move into place when their rows commit

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
