"""Screening (需求甄别): the queue of submitted needs, a need's page with the decision, all needs, their bids."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..domain.choices import TEXT_LIMIT
from ..domain.errors import DomainError, InvalidTransition
from ..domain.states import NeedStatus, ReviewDecision
from ..extensions import db
from ..forms import ALL, int_or_none, max_len, optional_enum, required
from ..i18n import refusal_text
from ..labels import choices, label
from ..models import Bid
from ..services import clock, needs as need_service
from ..services.editions import all_editions
from ..services.files import uploads
from ..web import offers
from ..web.downloads import PDF, send_recorded
from ..web.lookups import page_number
from ..web.offers import CONFIRMED
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


# The decisions the queue takes for several needs at once (rejecting ends a need: one at a time, on its page).
BULK_DECISIONS = (ReviewDecision.APPROVE, ReviewDecision.RETURN)
BULK_MAX = 100
QUEUE_ARGS = ("edition", "q", "sort", "dir", "page")   # the queue's own arguments, kept across a bulk decision


class BulkReviewForm(FlaskForm):
    """One screening decision for the needs ticked in the queue; returning them takes one comment for all."""

    need = SelectMultipleField(_l("所选需求"), coerce=int_or_none, validate_choice=False)
    decision = RadioField(_l("批量甄别结论"), choices=choices(ReviewDecision), coerce=optional_enum(ReviewDecision),
                          validators=[required()])
    comment = TextAreaField(_l("退回意见"), description=_l("退回修改时必填，所选需求的企业都能看到"),
                            validators=[max_len(TEXT_LIMIT)], render_kw={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [c for c in self.decision.choices if c.value in {d.value for d in BULK_DECISIONS}]

    def validate_need(self, field):
        ids = self.need_ids()
        if not ids:
            raise ValidationError(_l("请至少勾选一项需求"))
        if len(ids) > BULK_MAX:
            raise ValidationError(_l("一次最多处理 %(n)s 项需求", n=BULK_MAX))

    def validate_comment(self, field):
        if self.decision.data == ReviewDecision.RETURN and not (field.data or "").strip():
            raise ValidationError(_l("退回修改时必须填写意见"))

    def need_ids(self) -> list[int]:
        return sorted({i for i in (self.need.data or []) if i})


def _decision_done(decision: ReviewDecision, name: str) -> str:
    if decision == ReviewDecision.APPROVE:
        return _("已通过并发布：%(name)s", name=name)
    if decision == ReviewDecision.RETURN:
        return _("已退回企业修改：%(name)s", name=name)
    return _("已标记为不予通过：%(name)s", name=name)


def _queue_page(bulk: BulkReviewForm | None = None, status: int = 200):
    form = NeedFilterForm(request.args, editions=all_editions())
    asked = queries.QUEUE.read("organizer.queue")
    pagination = queries.paginate(queries.queue_select(form.edition.data, asked), page_number())
    return render_template("organizer/queue.html", form=form, pagination=pagination, asked=asked,
                           bulk=bulk or BulkReviewForm(formdata=None),
                           bulk_action=url_for(".bulk_review", **_queue_args())), status


@bp.get("/queue")
def queue():
    """Submitted needs waiting for screening, oldest first, optionally of one edition, searched and sorted."""
    return _queue_page()


@bp.post("/queue/review")
def bulk_review():
    """Approve and publish, or return with one comment, several needs at once: each need is screened as on its
    own page (its own audit event and notice); a need that cannot take the decision is named and left as it was."""
    form = BulkReviewForm()
    if not form.validate_on_submit():
        flash(_("批量甄别未执行，请检查所选需求和意见"), "danger")
        return _queue_page(form, 400)
    decision, picked = form.decision.data, queries.needs_by_ids(form.need_ids())
    if not picked:
        flash(_("所选需求不存在"), "danger")
        return _queue_page(form, 404)
    check = "need.publish" if decision == ReviewDecision.APPROVE else "need.review"
    refused = [(n, why) for n in picked if (why := offers.refusal(check, n)) is not None]
    allowed = [n for n in picked if n not in {r for r, _why in refused}]
    if allowed and request.form.get(CONFIRMED) != "1":
        return _ask_bulk(decision, allowed)
    try:
        for need in allowed:
            need_service.review_need(need, current_user, decision, form.comment.data, now=clock.now())
    except DomainError as e:
        return _queue_page(form, refuse(e))
    db.session.commit()
    if allowed:
        flash(_bulk_done(decision, [n.name for n in allowed]), "success")
    for need, why in refused:
        flash(_("未处理：%(name)s（%(why)s）", name=need.name, why=refusal_text(why)), "warning")
    if not allowed:   # nothing could be done: the queue answers with the reasons
        return _queue_page(form, 409)
    return redirect(url_for(".queue", **_queue_args()))


def _queue_args() -> dict:
    return {k: v for k, v in request.args.items() if k in QUEUE_ARGS}


def _bulk_done(decision: ReviewDecision, names: list[str]) -> str:
    if decision == ReviewDecision.APPROVE:
        return _("已通过并发布 %(n)s 项需求：%(names)s", n=len(names), names="、".join(names))
    return _("已退回企业修改 %(n)s 项需求：%(names)s", n=len(names), names="、".join(names))


def _ask_bulk(decision: ReviewDecision, needs: list):
    """Without the page's script, the bulk decision is asked on a page of its own, naming the needs."""
    fields = [(key, value) for key, values in request.form.lists() for value in values if key != CONFIRMED]
    return render_template("confirm.html", message=_bulk_warning(decision, [n.name for n in needs]),
                           fields=fields, action=request.full_path.rstrip("?"), back=url_for(".queue"))


def _bulk_warning(decision: ReviewDecision, names: list[str]) -> str:
    if decision == ReviewDecision.APPROVE:
        return _("以下 %(n)s 项需求将通过甄别并在需求榜单公开发布，不能撤回：%(names)s。确定提交吗？",
                 n=len(names), names="、".join(names))
    return _("以下 %(n)s 项需求将退回企业修改，企业都会收到同一条意见：%(names)s。确定提交吗？",
             n=len(names), names="、".join(names))


@bp.get("/needs")
def needs():
    """All needs, filtered by edition and status, searched and sorted by their columns."""
    form = NeedFilterForm(request.args, editions=all_editions())
    asked = queries.NEEDS.read()
    pagination = queries.paginate(queries.needs_select(form.edition.data, form.status.data, asked), page_number())
    return render_template("organizer/needs.html", form=form, pagination=pagination, asked=asked)


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
    """The bids turned in for a need, with team, lead organization, price and the report to download; searched,
    sorted and paginated."""
    need = queries.need_or_404(need_id)
    asked = queries.NEED_BIDS.read()
    pagination = queries.paginate(queries.bids_of_need(need.id, asked), page_number())
    return render_template("organizer/bids.html", need=need, bids=pagination.items, pagination=pagination,
                           asked=asked)


@bp.get("/bids/<int:bid_id>/file")
def bid_file(bid_id: int):
    """Download a bid's challenge report (PDF) exactly as the team uploaded it."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or not bid.pdf_stored_name:
        abort(404)
    return send_recorded("download.bid", bid, uploads.path_of(bid.pdf_stored_name),
                         bid.pdf_original_name or f"bid-{bid.id}.pdf", PDF)
