"""What no request may carry, refused with a 400 before any view: a NUL character in the query, the form, an
uploaded file's name or the URL. PostgreSQL's text cannot hold one (the statement would fail: a 500), and
SQLite would store a string other programs cut short at it."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from ..errors import render_error

NUL = "\x00"


def _texts() -> list[str]:
    """Every name and value the request carries as text."""
    texts = [*(request.view_args or {}).values()]
    for source in (request.args, request.form):
        for key, values in source.lists():
            texts += [key, *values]
    texts += [f.filename or "" for f in request.files.values()]
    return [t for t in texts if isinstance(t, str)]


def refuse_nul_characters():
    """A before_request hook: a request carrying a NUL character is answered 400 with the reason."""
    if any(NUL in text for text in _texts()):
        return render_error(400, _("提交的内容含有不允许的空字符（NUL），请删除后重试。"))
    return None
