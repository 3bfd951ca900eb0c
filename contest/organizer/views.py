"""The organizer's workspace (组织方): dashboard and audit log here; editions, screening and users in
sibling modules registered on the same blueprint."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..auth.guards import require_role
from ..domain.states import NeedStatus, Role
from ..services import notices
from . import queries
from .forms import AuditFilterForm

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
bp.before_request(require_role(Role.ORGANIZER))


def page_number() -> int:
    return max(request.args.get("page", 1, type=int), 1)


@bp.get("/")
def dashboard():
    """Each edition's needs by status, bids turned in and teams bidding, with links to the lists."""
    return render_template("organizer/dashboard.html", summaries=queries.edition_summaries(),
                           statuses=list(NeedStatus), submitted=NeedStatus.SUBMITTED,
                           notices=notices.unread(current_user))


@bp.get("/audit")
def audit_log():
    """The audit trail, newest first, filtered by action, actor, object and Beijing date range."""
    form = AuditFilterForm(request.args)
    pagination = queries.paginate(queries.audit_select(form.filters()), page_number())
    actions, object_types = queries.audit_vocabulary()
    return render_template("organizer/audit.html", form=form, pagination=pagination,
                           actions=actions, object_types=object_types)


# The other pages of the blueprint; imported last so that they find `bp` defined.
from . import contracts, editions, exports, judging, results, rubrics, screening, sheets, statistics, users, accounts  # noqa: E402,F401,E501
