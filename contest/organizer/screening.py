"""Screening (需求甄别): the queue of submitted needs, a need's page with the decision, all needs, their bids."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..domain.choices import TEXT_LIMIT
from ..domain.errors import DomainError, InvalidTransition
from ..domain.states import NeedStatus, ReviewDecision
from ..extensions import db
from ..forms import ALL, max_len, optional_enum, required
from ..i18n import refusal_text
from ..labels import choices, label
from ..models import Bid
from ..services import clock, needs as need_service
from ..services.editions import all_editions
from ..services.files import uploads
from ..web import offers
from ..web.downloads import PDF, send_recorded
from ..web.lookups import page_number
from ..web.refusals import refuse, status_of
from . import bp, queries


class ReviewForm(FlaskForm):
    """The screening decision on a submitted need."""

    decision = RadioField(_l("甄别结论"), choices=choices(ReviewDecision), coerce=optional_enum(ReviewDecision),
                          validators=[required()])
    comment = TextAreaField(_l("甄别意见"), description=_l("退回修改或不予通过时必填，企业可以看到"),
                            validators=[max_len(TEXT_LIMIT)], render_kw={"rows": 4})

    def validate_comment(self, field):
        if self.decision.data in (ReviewDecision.RETURN, ReviewDecision.REJECT) and not (field.data or "").strip():
            raise ValidationError(_l("退回修改或不予通过时必须填写意见"))


class NeedFilterForm(Form):
    """The needs lists' filters, read from the query string."""

    edition = SelectField(_l("届次"), default="")
    status = SelectField(_l("状态"), choices=[ALL, *choices(NeedStatus)], coerce=optional_enum(NeedStatus))

    def __init__(self, formdata, editions=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.edition.choices = [ALL] + [SelectChoice(e.code, e.name) for e in editions]


def _decision_done(decision: ReviewDecision, name: str) -> str:
    if decision == ReviewDecision.APPROVE:
        return _("已通过并发布：%(name)s", name=name)
    if decision == ReviewDecision.RETURN:
        return _("已退回企业修改：%(name)s", name=name)
    return _("已标记为不予通过：%(name)s", name=name)


@bp.get("/queue")
def queue():
    """Submitted needs waiting for screening, oldest first, optionally of one edition."""
    form = NeedFilterForm(request.args, editions=all_editions())
    pagination = queries.paginate(queries.queue_select(form.edition.data), page_number())
    return render_template("organizer/queue.html", form=form, pagination=pagination)


@bp.get("/needs")
def needs():
    """All needs, filtered by edition and status."""
    form = NeedFilterForm(request.args, editions=all_editions())
    pagination = queries.paginate(queries.needs_select(form.edition.data, form.status.data), page_number())
    return render_template("organizer/needs.html", form=form, pagination=pagination)


def _need_page(need, form: ReviewForm, status: int = 200):
    """The need and, while it may be screened, the decision form offering only the decisions allowed now (no
    publication once bidding has closed: the page says why)."""
    publish_refused = offers.refusal("need.publish", need)
    if publish_refused is not None:
        form.decision.choices = [c for c in form.decision.choices if c.value != ReviewDecision.APPROVE.value]
    return render_template("organizer/need.html", need=need, form=form, can_review=offers.may("need.review", need),
                           publish_refused=publish_refused and refusal_text(publish_refused)), status


@bp.get("/needs/<int:need_id>")
def need(need_id: int):
    """A need in full, its firm, its screening history, and the decision form."""
    return _need_page(queries.need_or_404(need_id), ReviewForm())


@bp.post("/needs/<int:need_id>/review")
def review(need_id: int):
    """Approve and publish a submitted need, return it with a comment, or reject it with a comment."""
    need = queries.need_or_404(need_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _need_page(need, form, 400)
    decision = form.decision.data
    try:
        (need_service.check_publish if decision == ReviewDecision.APPROVE else need_service.check_review)(
            need, current_user, clock.now())
        if decision != ReviewDecision.RETURN and (asked := offers.ask_first("need.review", need)) is not None:
            return asked
        need_service.review_need(need, current_user, decision, form.comment.data, now=clock.now())
    except InvalidTransition as e:
        db.session.rollback()
        flash(_("该需求当前状态为“%(status)s”，只有待甄别的需求可以甄别", status=label(need.status)), "danger")
        return _need_page(need, form, status_of(e))
    except DomainError as e:
        return _need_page(need, form, refuse(e))
    db.session.commit()
    flash(_decision_done(decision, need.name), "success")
    return redirect(url_for(".queue"))


@bp.get("/needs/<int:need_id>/bids")
def need_bids(need_id: int):
    """The bids turned in for a need, with team, lead organization, price and the report to download."""
    need = queries.need_or_404(need_id)
    return render_template("organizer/bids.html", need=need, bids=queries.bids_of_need(need.id))


@bp.get("/bids/<int:bid_id>/file")
def bid_file(bid_id: int):
    """Download a bid's challenge report (PDF) exactly as the team uploaded it."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or not bid.pdf_stored_name:
        abort(404)
    return send_recorded("download.bid", bid, uploads.path_of(bid.pdf_stored_name),
                         bid.pdf_original_name or f"bid-{bid.id}.pdf", PDF)
