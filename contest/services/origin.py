"""Where the current action comes from, as the web edge reports it: the client's address (for the audit
trail) and the site's URL (for links printed in documents). Services never read the request; outside one
(CLI, jobs) there is no address and links come from the PUBLIC_BASE_URL setting or SERVER_NAME."""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    address: str = ""
    base_url: str | None = None


NOWHERE = Origin()
_current: ContextVar[Origin] = ContextVar("contest_origin", default=NOWHERE)


def current() -> Origin:
    return _current.get()


def set_current(origin: Origin) -> None:
    """Called by the web edge at the start of a request, and with NOWHERE when it ends."""
    _current.set(origin)
