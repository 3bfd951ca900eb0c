"""The objection (异议) pages a team and a firm share: filing an objection to a need's published result, and the
list of the objections the account follows (filed by it, or against its need or its award) with their rulings.
Each blueprint registers its own routes (contest/team/objections.py, contest/firm/objections.py) on these."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField

from .. import once
from ..domain.errors import DomainError
from ..extensions import db
from ..forms import max_len, required
from ..i18n import refusal_text
from ..models import Need, Objection
from ..services import catalogue, clock, notices
from ..services.files import uploads
from ..services.judging import objections
from ..services.judging.stages import objection_deadline
from . import offers
from .listing import Listing
from .lookups import page_number, within_pages
from .refusals import refuse


OBJECTED_NEED = sa.select(Need.name).where(Need.id == Objection.need_id).scalar_subquery()
# An edition's or an account's objections are a handful: every column sorts cheaply. By default each list keeps
# its own order (the organizer's: pending first).
OBJECTION_SORTS = {"id": Objection.id, "need": OBJECTED_NEED, "filed": Objection.filed_at, "status": Objection.status}
OBJECTIONS = Listing("objections", sorts=OBJECTION_SORTS, default=None, tiebreak=Objection.id,
                     first_dir={"filed": "desc", "id": "desc"}, texts=(OBJECTED_NEED, Objection.reason))
# A team or firm searches its list by the need's name only: the reason of an objection against it is not shown to
# it, and a search in it would tell it.
OWN_OBJECTIONS = Listing("own-objections", sorts=OBJECTION_SORTS, default=None, tiebreak=Objection.id,
                         first_dir={"filed": "desc", "id": "desc"}, texts=(OBJECTED_NEED,))


class ObjectionForm(FlaskForm):
    """An objection: the reason (required) and, optionally, a PDF as evidence."""

    reason = TextAreaField(_l("异议理由"), validators=[required(), max_len(objections.REASON_LIMIT)],
                           render_kw={"rows": 8})
    evidence = FileField(_l("证明材料（PDF，可选，不超过 20 MB）"), render_kw={"accept": "application/pdf,.pdf"})
    submission_key = once.key_field()  # a double click files one objection

    def upload(self):
        """The uploaded evidence (a FileStorage), or None when no file was chosen."""
        return self.evidence.data if self.evidence.data and getattr(self.evidence.data, "filename", None) else None


def _public_need_or_404(need_id: int) -> Need:
    return catalogue.public_need(need_id) or abort(404)


def _filing_page(need: Need, form: ObjectionForm, status: int = 200):
    """The need's result and the objection form, or why no objection can be filed now."""
    refusal = offers.refusal("objection.file", need)
    return render_template("objections/file.html", need=need, form=form, winner=objections.winner_of(need),
                           deadline=objection_deadline(need.edition),
                           refused=refusal_text(refusal) if refusal is not None else None,
                           mine=url_for(f"{current_user.role.value}.objections")), status


def file_objection(need_id: int):
    """GET: the filing page; POST: file the objection (its evidence checked like a challenge report)."""
    need = _public_need_or_404(need_id)
    form = ObjectionForm()
    if not form.is_submitted():
        return _filing_page(need, form)
    if not form.validate():
        return _filing_page(need, form, 400)
    now = clock.now()
    try:
        objections.check_file(need, current_user, now)  # before the PDF is read: nothing to check when refused
        upload = form.upload()
        evidence = uploads.check_pdf(upload.stream, upload.filename) if upload is not None else None
        if (earlier := once.earlier_result(form.submission_key.data)) is not None:
            return earlier
        objections.file_objection(need, current_user, form.reason.data, evidence, now)
    except DomainError as e:
        return _filing_page(need, form, refuse(e))
    target = once.remember(url_for(f"{current_user.role.value}.objections"))
    db.session.commit()
    flash(_("异议已提交，组织方裁定后将通知您"), "success")
    return redirect(target)


def objections_page():
    """The objections the account follows, newest first (or searched and sorted), with their rulings; and its
    unread notices."""
    asked = OWN_OBJECTIONS.read()
    stmt = OWN_OBJECTIONS.apply(objections.objections_for(current_user), asked)
    pagination = within_pages(lambda p: db.paginate(stmt, page=p, per_page=current_app.config["PAGE_SIZE"],
                                                    error_out=False), page_number())
    return render_template("objections/mine.html", pagination=pagination, asked=asked,
                           notices=notices.unread(current_user))
