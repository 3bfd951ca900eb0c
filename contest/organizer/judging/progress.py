"""Review progress, for the organizer: sheets expected and submitted in the online round, and reminders."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...domain.states import EditionStage
from ...extensions import db
from ...models import Edition
from ...services import clock
from ...services.judging import board, progress
from ...web.lookups import edition_or_404, page_number
from ...web.refusals import refuse
from .. import bp, queries


@bp.get("/editions/<code>/progress")
def review_progress(code: str):
    """Sheets expected and submitted per need and per judge in the online round."""
    edition = edition_or_404(code)
    return _progress_page(edition)


def _progress_page(edition: Edition, status: int = 200):
    """A page of needs and a page of judges (each list has its own page number), with their sheets."""
    needs = queries.paginate(board.reviewed_needs(edition, search=(request.args.get("q") or "").strip()[:60]),
                             page_number())
    judges = queries.paginate(progress.reviewed_judges(edition), page_number("jpage"))
    return render_template("organizer/judging/progress.html", edition=edition, needs=needs, judges=judges,
                           need_rows=progress.needs_progress(edition, list(needs.items)),
                           judge_rows=progress.judges_progress(edition, list(judges.items)),
                           can_remind=edition.stage == EditionStage.ONLINE_REVIEW), status


@bp.post("/editions/<code>/progress/remind")
def remind_late(code: str):
    """Leave an in-app reminder for every judge with sheets still to submit."""
    edition = edition_or_404(code)
    try:
        count = progress.remind_late_judges(edition, current_user, clock.now())
    except DomainError as e:
        return _progress_page(edition, refuse(e))
    db.session.commit()
    flash(_("已提醒 %(n)s 位评审专家", n=count) if count else _("没有未完成评分的评审专家"), "success")
    return redirect(url_for(".review_progress", code=edition.code))
