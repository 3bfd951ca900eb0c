"""The judging stages, for the organizer: where the edition stands and its one next step (open the review,
confirm finalists, publish results), and the standings of every judged need."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.choices import NeedField
from ...domain.errors import DomainError
from ...domain.states import EditionStage
from ...extensions import db
from ...forms import ConfirmForm
from ...i18n import refusal_text
from ...labels import choices
from ...services import clock, jobs
from ...services.judging import stages, standings
from ...web import offers
from ...web.lookups import edition_or_404, page_number
from ...web.refusals import refuse
from .. import bp, queries
from .forms import StandingsFilterForm

# The stage change each stage offers next: its action (contest/web/declared_actions.py) and its route.
NEXT_STEP = {
    EditionStage.OPEN: ("edition.open_review", "organizer.open_review"),
    EditionStage.ONLINE_REVIEW: ("edition.finalists", "organizer.confirm_finalists"),
    EditionStage.FINAL: ("edition.publish", "organizer.publish_results"),
}


def _judging_page(edition, status: int = 200):
    """The stage-control page, also used to answer a refused stage change: the next step is offered only when it
    would be accepted now, else the page says why; opening the review lists what it will do to which needs."""
    step = NEXT_STEP.get(edition.stage)
    blocked = offers.refusal(step[0], edition) if step else None
    return render_template(
        "organizer/results/judging.html", edition=edition, form=ConfirmForm(),
        counts=stages.stage_counts(edition), undecided=stages.undecided_needs(edition),
        objection_deadline=stages.objection_deadline(edition), deadline_passed=clock.now() >= edition.bidding_deadline,
        step=step, blocked=blocked and refusal_text(blocked),
        opening=stages.review_opening(edition) if edition.stage == EditionStage.OPEN else None,
    ), status


@bp.get("/editions/<code>/judging")
def judging(code: str):
    """Where the edition's judging stands, its settings, and the one next step with what it will do."""
    return _judging_page(edition_or_404(code))


def _stage_action(code: str, check, kind: str, name: str):
    """Start one stage change (a CSRF-checked one-button POST): refused at once when it cannot be done, asked once
    (it cannot be undone), then run as a job (it moves every need and bid of the edition) whose page comes back
    to the stage page."""
    edition = edition_or_404(code)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _judging_page(edition, 400)
    now = clock.now()
    try:
        check(edition, current_user, now)
    except DomainError as e:
        return _judging_page(edition, refuse(e))
    if (asked := offers.ask_first(name, edition)) is not None:
        return asked
    job = jobs.submit(kind, {"at": now.isoformat()}, actor=current_user, now=now, edition=edition)
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id))


@bp.post("/editions/<code>/judging/open-review")
def open_review(code: str):
    """Close bidding and open the online review: needs without a submitted bid fail (流榜)."""
    return _stage_action(code, stages.check_open_review, "stage.open_review", "edition.open_review")


@bp.post("/editions/<code>/judging/finalists")
def confirm_finalists(code: str):
    """Confirm each need's finalists from the online scores and move the edition to the on-site final."""
    return _stage_action(code, stages.check_finalists, "stage.finalists", "edition.finalists")


@bp.post("/editions/<code>/judging/publish")
def publish_results(code: str):
    """Publish the edition's results to the public and open the objection window."""
    return _stage_action(code, stages.check_publish, "stage.publish", "edition.publish")


@bp.get("/editions/<code>/standings")
def standings_page(code: str):
    """An index of the judged needs, a page at a time, filtered by name, field and status (ties and missing
    sheets flagged), and one need's standings in full: its bids with sheets, online, on-site and final scores,
    ranks and unresolved ties."""
    edition = edition_or_404(code)
    form = StandingsFilterForm(request.args)
    field = queries.field_asked(request.args)
    stmt = queries.narrowed(standings.judged_needs(edition, search=(form.q.data or "").strip(),
                                                   status=form.status.data), field)
    pagination = queries.paginate(stmt, page_number())
    index = standings.standings_of(edition, list(pagination.items))
    chosen = queries.chosen_need(stmt, queries.need_asked(request.args), list(pagination.items))
    shown = [ns for ns in index if chosen is not None and ns.need.id == chosen.id]
    if chosen is not None and not shown:
        shown = standings.standings_of(edition, [chosen])
    return render_template("organizer/results/standings.html", edition=edition, form=form, pagination=pagination,
                           index=index, needs=shown, chosen=chosen, field=field, field_choices=choices(NeedField))
