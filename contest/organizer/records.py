"""Records for the organizer: the audit trail, filtered."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, StringField
from wtforms.validators import Optional

from ..forms import max_len
from ..web.lookups import MAX_ROW_ID, page_number
from . import bp, queries

# A day's Beijing bounds in UTC stay inside the calendar from the second day to the last but one.
EARLIEST_DAY, LATEST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)
NO_ROW = 0  # ids start at 1: an object number no row can have matches nothing as 0


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string (no CSRF: they change nothing)."""

    action = StringField(_l("操作"), description=_l("可填前缀，如 need."), validators=[Optional(), max_len(60)])
    actor = StringField(_l("操作人用户名"), validators=[Optional(), max_len(40)])
    object_type = StringField(_l("对象类型"), validators=[Optional(), max_len(40)])
    object_id = IntegerField(_l("对象编号"), validators=[Optional()])
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])

    def filters(self) -> dict:
        """The filters the user filled in and typed correctly; a malformed one is ignored. A number or date
        the database cannot compare (an id beyond MAX_ROW_ID, the calendar's first or last day) is brought in
        range without changing what matches."""
        found = {}
        for name in ("action", "actor", "object_type", "object_id", "date_from", "date_to"):
            field = getattr(self, name)
            value = field.data.strip() if isinstance(field.data, str) else field.data
            if value not in (None, "") and not field.process_errors:
                found[name] = value
        if not 0 <= found.get("object_id", NO_ROW) <= MAX_ROW_ID:
            found["object_id"] = NO_ROW
        for name in ("date_from", "date_to"):
            if name in found:
                found[name] = min(max(found[name], EARLIEST_DAY), LATEST_DAY)
        return found


@bp.get("/audit")
def audit_log():
    """The audit trail, newest first, filtered by action, actor, object and Beijing date range, searched in its
    details and sorted by time or action."""
    form = AuditFilterForm(request.args)
    asked = queries.AUDIT.read()
    pagination = queries.paginate(queries.audit_select(form.filters(), asked), page_number())
    actions, object_types = queries.audit_vocabulary()
    return render_template("organizer/audit.html", form=form, pagination=pagination, asked=asked,
                           actions=actions, object_types=object_types)
