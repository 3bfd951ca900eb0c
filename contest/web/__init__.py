"""The web edge: what every page shares (template helpers, security headers, where a request comes from,
stored files settled at commit); refusals, downloads, lookups and the input guard in the modules beside it."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from ..domain.embargo import shown_status
from ..labels import badge_colour, label
from ..services import notices, origin
from ..services.files import staging
from . import offers
from .input_guard import refuse_nul_characters
from .lookups import refuse_impossible_ids

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


def page_url(page: int, param: str = "page") -> str:
    """The current page's URL with its query string, at another page number (of the list paged by `param`)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), param: page}
    return url_for(request.endpoint, **args)


def request_origin() -> origin.Origin:
    """The current request's address and URL root (ProxyFix rewrites both when TRUSTED_PROXIES is set)."""
    if not has_request_context():
        return origin.NOWHERE
    return origin.Origin(address=request.remote_addr or "", base_url=request.url_root)


def shown(status, edition):
    """A need's or bid's status as a team, a firm's other users or the public may see it (the results embargo)."""
    return shown_status(status, edition.results_published_at is not None)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(label=label, wan=wan, when=when)
    app.jinja_env.globals.update(badge_colour=badge_colour, get_locale=get_locale, page_url=page_url,
                                 shown=shown)
    offers.register(app)   # may(...) and confirm_attr(...) for the templates
    staging.register(app)  # stored files move into place when their rows commit
    app.url_value_preprocessor(refuse_impossible_ids)  # /bids/10**30 is a 404, not an overflow
    app.before_request(refuse_nul_characters)

    origin.register_source(app, request_origin)

    @app.context_processor
    def unread_notices():
        """The signed-in user's unread notices, counted for the menu's badge (one statement)."""
        if not has_request_context() or not current_user.is_authenticated:
            return {}
        return {"unread_notices": notices.unread_count(current_user)}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
