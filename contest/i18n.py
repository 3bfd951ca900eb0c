"""Language choice: Chinese first, English on request (?lang=en, remembered in the session)."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI and background work speak the default language
        return default
    wanted = request.args.get("lang")
    if wanted in current_app.config["LANGUAGES"]:
        session["lang"] = wanted
    return session.get("lang") or default
