"""Forms that act once: a double click, a replayed POST or ten parallel copies of one rendered form make one
record, and every copy is answered with a 303 to it.

A form that creates a record carries `submission_key = once.key_field()`, a hidden uuid4 drawn afresh each
time the form is rendered (a form re-shown with its errors keeps the key it was posted with). Its view,
once the input is valid and before creating anything, calls

    if (earlier := once.earlier_result(form.submission_key.data)) is not None:
        return earlier                                   # this rendered form was already used
    record = service.create_...(...)
    once.remember(url_for(..., id=record.id))            # before the view's one commit
    db.session.commit()

`earlier_result` claims (user, key) in form_submission with INSERT ... ON CONFLICT DO NOTHING in the
request's own transaction, so the database's unique constraint decides: a parallel copy waits for the
first copy's transaction (PostgreSQL's index, SQLite's write lock), then finds the key taken and answers
with a 303 to the URL `remember` stored. A refused request rolls back its claim with everything else,
so the corrected form can be sent again. A POST without a key (a script, an old page) is not protected.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import flash, g, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.wrappers import Response
from wtforms import HiddenField

from .extensions import db
from .models import FormSubmission
from .services import clock

KEY_LENGTH = 64


def new_key() -> str:
    """A fresh key for one rendering of a form."""
    return uuid.uuid4().hex


def key_field() -> HiddenField:
    """The hidden field that carries a form's per-render key."""
    return HiddenField(default=new_key)


def _claim(user_id: int, key: str) -> bool:
    """Insert (user, key) unless it exists; True when this request claimed it (waits for a parallel claimer)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = FormSubmission.__table__
    statement = (insert(table).values(user_id=user_id, submission_key=key, url="", created_at=clock.now())
                 .on_conflict_do_nothing(index_elements=["user_id", "submission_key"]).returning(table.c.id))
    return db.session.scalar(statement) is not None


def earlier_result(key: str | None) -> Response | None:
    """Claim this rendered form for the current user; when it was used already, the 303 to what it made."""
    key = (key or "").strip()
    if not key or len(key) > KEY_LENGTH or not current_user.is_authenticated:
        return None
    user_id = current_user.id
    if _claim(user_id, key):
        g.submission_key = key
        return None
    url = db.session.scalar(sa.select(FormSubmission.url).where(
        FormSubmission.user_id == user_id, FormSubmission.submission_key == key))
    db.session.rollback()
    flash(_("该表单已经提交过，没有重复保存；以下是第一次提交的结果"), "info")
    # No URL: the first copy committed without remember() (a view's bug); its form page (GET) is safe.
    return redirect(url or request.path, 303)


def remember(url: str) -> str:
    """Store the URL of the record this request created with its claim (commits with it); returns the URL."""
    key = g.pop("submission_key", None)
    if key is not None:
        db.session.execute(sa.update(FormSubmission).where(
            FormSubmission.user_id == current_user.id, FormSubmission.submission_key == key).values(url=url))
    return url
