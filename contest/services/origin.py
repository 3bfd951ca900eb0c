"""Where the current action comes from, as the web edge reports it: the client's address (for the audit
trail) and the site's URL (for links printed in documents). Services never read the request: the web edge
registers a source of origins on the app, and outside a request (CLI, jobs) there is none, so there is no
address and links come from the PUBLIC_BASE_URL setting or SERVER_NAME."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "contest.origin"


@dataclass(frozen=True)
class Origin:
    address: str = ""
    base_url: str | None = None


NOWHERE = Origin()


def current() -> Origin:
    source = current_app.extensions.get(EXTENSION)
    return source() if source is not None else NOWHERE


def register_source(app: Flask, source: Callable[[], Origin]) -> None:
    """The web edge tells the app how to learn the current request's origin (NOWHERE outside one)."""
    app.extensions[EXTENSION] = source
