"""The judging stages, for the organizer: where the edition stands and its one next step (open the review,
confirm finalists, publish results), and the standings of every judged need."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...forms import ConfirmForm
from ...services import clock
from ...services.judging import stages, standings
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp


def _judging_page(edition, status: int = 200):
    """The stage-control page, also used to answer a refused stage change."""
    return render_template(
        "organizer/results/judging.html", edition=edition, form=ConfirmForm(),
        counts=stages.stage_counts(edition), undecided=stages.undecided_needs(edition),
        objection_deadline=stages.objection_deadline(edition), deadline_passed=clock.now() >= edition.bidding_deadline,
    ), status


@bp.get("/editions/<code>/judging")
def judging(code: str):
    """Where the edition's judging stands, its settings, and the one next step with what it will do."""
    return _judging_page(edition_or_404(code))


def _stage_action(code: str, service, done: str):
    """Run one stage change (a CSRF-checked one-button POST) and come back to the stage page."""
    edition = edition_or_404(code)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _judging_page(edition, 400)
    try:
        service(edition, current_user, clock.now())
    except DomainError as e:
        return _judging_page(edition, refuse(e))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".judging", code=edition.code))


@bp.post("/editions/<code>/judging/open-review")
def open_review(code: str):
    """Close bidding and open the online review: needs without a submitted bid fail (流榜)."""
    return _stage_action(code, stages.open_online_review, _("已开启初评"))


@bp.post("/editions/<code>/judging/finalists")
def confirm_finalists(code: str):
    """Confirm each need's finalists from the online scores and move the edition to the on-site final."""
    return _stage_action(code, stages.confirm_finalists, _("已确认入围名单，进入现场赛"))


@bp.post("/editions/<code>/judging/publish")
def publish_results(code: str):
    """Publish the edition's results to the public and open the objection window."""
    return _stage_action(code, stages.publish_results, _("结果已发布"))


@bp.get("/editions/<code>/standings")
def standings_page(code: str):
    """Every judged need's bids with sheets, online, on-site and final scores, ranks and unresolved ties."""
    edition = edition_or_404(code)
    return render_template("organizer/results/standings.html", edition=edition,
                           needs=standings.edition_standings(edition))
