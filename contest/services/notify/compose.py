"""A notice and a mail in the recipient's language: the event's subject and body (events.py) filled in, the
mail laid out by templates/mail/ (plain text and HTML), links absolute from PUBLIC_BASE_URL."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from .. import origin
from .events import Event

LOCAL_SITE = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class Composed:
    subject: str  # the notice's text too
    text: str
    html: str


def path(endpoint: str, **values: Any) -> str:
    """A page's path, built without a request (a worker's sweep builds links as a view does)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def site() -> str:
    """The site as its users reach it: PUBLIC_BASE_URL, else the current request's, else the local app."""
    return (current_app.config.get("PUBLIC_BASE_URL") or origin.current().base_url or LOCAL_SITE).rstrip("/")


def _render(template: str, **context: Any) -> str:
    """A mail template, rendered from the app's Jinja environment (no request: a worker writes mail too)."""
    return current_app.jinja_env.get_template(template).render(**context)


def language_of(wanted: str | None) -> str:
    return wanted if wanted in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _filled(msgid: str, params: dict[str, Any]) -> str:
    return gettext(msgid, **params)  # gettext with keywords fills %(name)s in the translated text


def subject_of(event: Event, params: dict[str, Any], language: str) -> str:
    with force_locale(language_of(language)):
        return _filled(event.subject, params)


def body_of(event: Event, params: dict[str, Any], language: str) -> str:
    """The event's text alone (a message held for the digest keeps only this)."""
    with force_locale(language_of(language)):
        return _filled(event.body, params)


def compose(event: Event, params: dict[str, Any], *, name: str, language: str, link: str | None) -> Composed:
    """The mail to one person; `link` is a path of the site (made absolute here)."""
    url = site() + link if link else None
    with force_locale(language_of(language)):
        subject, body = _filled(event.subject, params), _filled(event.body, params)
        context = {"name": name, "subject": subject, "paragraphs": body.split("\n"), "url": url,
                   "settings_url": site() + path("notices.settings"), "event_label": gettext(event.label)}
        return Composed(subject=subject, text=_render("mail/message.txt", **context),
                        html=_render("mail/message.html", **context))


def compose_digest(items: list[dict[str, Any]], *, name: str, language: str, day: str) -> Composed:
    """One mail for a day's events: items are {subject, text, url} as their own mails would have said them."""
    with force_locale(language_of(language)):
        subject = gettext("揭榜挂帅平台每日摘要（%(day)s）：%(count)s 条通知", day=day, count=len(items))
        context = {"name": name, "subject": subject, "items": items,
                   "settings_url": site() + path("notices.settings")}
        return Composed(subject=subject, text=_render("mail/digest.txt", **context),
                        html=_render("mail/digest.html", **context))
