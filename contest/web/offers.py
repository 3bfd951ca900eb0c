"""What a page offers is what the server accepts, and what cannot be undone is asked once.

Each action has one entry here: its check (the service function that raises the refusal, called by the view's
service before acting) and, for an irreversible action, the warning that says what will happen. Templates ask
`may("bid.withdraw", bid)` before they show a button, so a button is shown only when its action would be
accepted now; `confirm_attr("bid.withdraw", bid)` gives the form the warning that static/js/confirm.js asks
about; the view calls `ask_first("bid.withdraw", bid)`, which answers a form posted without confirmation (no
script) with a page that states the warning and posts the same form again, confirmed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from ..domain.errors import DomainError
from ..services import clock

# The form field static/js/confirm.js (or the no-script page) adds once the user has confirmed.
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Action:
    check: Callable[[Any, Any, datetime], None] | None   # (target, actor, now) → raises the refusal
    warn: Callable[[Any], str] | None = None             # (target) → what will happen, translated


ACTIONS: dict[str, Action] = {}


def action(name: str, check: Callable | None = None, warn: Callable | None = None) -> None:
    """Declare an action: its check, and for an irreversible one, its warning."""
    if name in ACTIONS:
        raise ValueError(f"action {name!r} declared twice")
    ACTIONS[name] = Action(check, warn)


def refusal(name: str, target: Any, actor: Any = None, now: datetime | None = None) -> DomainError | None:
    """The refusal the action would meet now, or None when it would be accepted."""
    check = ACTIONS[name].check
    if check is None:
        return None
    try:
        check(target, current_user if actor is None else actor, clock.now() if now is None else now)
    except DomainError as e:
        return e
    return None


def may(name: str, target: Any, actor: Any = None, now: datetime | None = None) -> bool:
    """Whether the action would be accepted now: the page shows its button only then."""
    return refusal(name, target, actor, now) is None


def why_not(name: str, target: Any) -> str:
    """Why the action would be refused now, in the reader's language; "" when it would be accepted."""
    from ..i18n import refusal_text

    error = refusal(name, target)
    return "" if error is None else refusal_text(error)


def warning(name: str, target: Any) -> str:
    warn = ACTIONS[name].warn
    return warn(target) if warn is not None else ""


def confirm_attr(name: str, target: Any) -> Markup:
    """The attribute that makes static/js/confirm.js ask before the form is sent."""
    return Markup(f' data-confirm="{escape(warning(name, target))}"')


def ask_first(name: str, target: Any):
    """None when the posted form says it was confirmed; else the page that asks (200), for the view to return."""
    if request.form.get(CONFIRMED) == "1":
        return None
    fields = [(key, value) for key, values in request.form.lists() for value in values if key != CONFIRMED]
    referrer = request.referrer or ""
    back = referrer if referrer.startswith(request.host_url) else ""   # a way back, never to another site
    return render_template("confirm.html", message=warning(name, target), fields=fields, action=request.path,
                           back=back)


def register(app) -> None:
    from . import declared_actions  # noqa: F401  (fills ACTIONS)

    app.jinja_env.globals.update(may=may, why_not=why_not, confirm_attr=confirm_attr)
