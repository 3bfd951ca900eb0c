"""Language choice: Chinese first, English on request (?lang=en, remembered in the session); on the command
line, the language of the environment (LANG). Refusals are shown in the chosen language."""
from __future__ import annotations

import os
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import gettext

from .domain.refusals import TEXTS, Phrase, Series, Words
from .labels import label

# The POSIX order: the first of these set (and not empty) names the language of messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def environment_locale() -> str | None:
    """The language the environment asks for: "en" for en_US.UTF-8 and the like, "zh_CN" for zh_*, else None
    (C.UTF-8, POSIX, unset, or a language the app does not speak)."""
    value = next((os.environ[name] for name in LOCALE_VARIABLES if os.environ.get(name)), "")
    if value.startswith("en"):
        return "en"
    if value.startswith("zh"):
        return "zh_CN"
    return None


def select_locale() -> Locale:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # the command line (and background work) speaks the environment's language
        return parsed_locale(environment_locale() or default)
    wanted = request.args.get("lang")
    if wanted in current_app.config["LANGUAGES"]:
        session["lang"] = wanted
    return parsed_locale(session.get("lang") or default)


@cache
def parsed_locale(code: str) -> Locale:
    """The Locale for a code, parsed once per process: Babel's parse looks the code up among all the locales
    it knows, which cost half a millisecond on every request."""
    return Locale.parse(code)


def refusal_text(error: Any) -> str:
    """A refusal (a DomainError, a check's Violation, a Phrase) in the reader's language, parameters filled in."""
    params = {key: _rendered(value) for key, value in error.params.items()}
    return gettext(TEXTS[error.message_id], **params)


def _rendered(value: Any) -> Any:
    """A parameter in the reader's language: words translated, numbers, codes and names as they are."""
    if hasattr(value, "message_id"):  # a Phrase, or a refusal inside a refusal
        return refusal_text(value)
    if isinstance(value, Words):
        return gettext(value)
    if isinstance(value, Series):
        return refusal_text(Phrase(value.separator)).join(str(_rendered(item)) for item in value.items)
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (int, float)) or value is None:
        return value
    return str(value)  # a lazy string, a path, a Decimal: its text
