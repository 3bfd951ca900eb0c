"""The marker of a refusal text: Babel extracts the Chinese source text of `N_("…")` (`-k N_`) as its msgid."""
from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - the usual name of a no-op gettext marker
    """The text itself: it is translated where it is shown, not here."""
    return text
