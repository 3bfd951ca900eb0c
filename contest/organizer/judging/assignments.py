"""The online assignment, for the organizer: who judges which bid, the automatic assignment, and its
adjustments by hand."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.choices import NeedField
from ...domain.errors import DomainError
from ...domain.states import EditionStage
from ...extensions import db
from ...labels import choices
from ...models import Edition
from ...services import clock, jobs, notices
from ...services.judging import assignments, board
from ...web.lookups import edition_or_404, page_number
from ...web.refusals import refuse
from .. import bp, queries
from .forms import AddJudgeForm, AutoAssignForm, BoardFilterForm


def _board_page(edition: Edition, add_form: AddJudgeForm | None = None, auto_form: AutoAssignForm | None = None,
                status: int = 200):
    """A page of the board's index of needs (filtered by the query string) and one need's bids in full (the one
    asked for, else the page's first), with the forms to adjust it: bounded rows whatever the edition's size."""
    filters = BoardFilterForm(request.args)
    field = queries.field_asked(request.args)
    stmt = queries.narrowed(board.reviewed_needs(edition, search=(filters.q.data or "").strip(),
                                                 short_only=bool(filters.short.data)), field)
    pagination = queries.paginate(stmt, page_number())
    page = list(pagination.items)
    chosen = queries.chosen_need(stmt, queries.need_asked(request.args), page)
    shown = board.assignment_board(edition, [chosen] if chosen else [])
    add_form = add_form or AddJudgeForm(formdata=None)
    add_form.fill(shown)
    return render_template("organizer/judging/assignments.html", edition=edition, board=shown, add_form=add_form,
                           auto_form=auto_form or AutoAssignForm(formdata=None), filters=filters, field=field,
                           field_choices=choices(NeedField),
                           pagination=pagination, chosen=chosen,
                           counts=queries.board_counts(page, edition.judges_per_bid),
                           notices=notices.unread(current_user),
                           can_adjust=edition.stage == EditionStage.ONLINE_REVIEW), status


@bp.get("/editions/<code>/assignments")
def assignments_page(code: str):
    """Who judges which bid online, one need at a time from an index of needs; recusals with reasons; bids short
    of judges listed first."""
    return _board_page(edition_or_404(code))


@bp.post("/editions/<code>/assign")
def auto_assign(code: str):
    """Assign judges to every bid of the online round automatically (before any scoring starts), as a job: its
    page shows the progress and then comes back to the board."""
    edition = edition_or_404(code)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        return _board_page(edition, auto_form=form, status=400)
    try:
        assignments.check_auto_assign(edition, current_user)
    except DomainError as e:
        return _board_page(edition, auto_form=form, status=refuse(e))
    job = jobs.submit("assignment.auto", {"seed": form.seed.data or 0}, actor=current_user, now=clock.now(),
                      edition=edition)
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/editions/<code>/judges.json")
def judge_search(code: str):
    """The search-as-you-type picker's suggestions: active judges matching ?q=, with their load in the round."""
    edition = edition_or_404(code)
    found = board.find_judges(edition, request.args.get("q", "")[:60])
    return {"judges": [{"id": j.id, "label": _("%(name)s（%(org)s）· 已分配 %(n)s 份", name=j.display_name,
                                                   org=j.organization.name if j.organization else "—", n=n)}
                       for j, n in found]}


@bp.post("/editions/<code>/assignments/add")
def add_assignment(code: str):
    """Put a judge on a bid by hand (a conflicted pair is refused)."""
    edition = edition_or_404(code)
    form = AddJudgeForm()
    if not form.validate_on_submit():
        return _board_page(edition, add_form=form, status=400)
    judge_id = form.judge_id.data or getattr(board.judge_named(form.judge.data or ""), "id", None)
    if judge_id is None:
        form.judge.errors.append(_("未找到该评审专家，请从候选中选择或输入完整的用户名"))
        return _board_page(edition, add_form=form, status=400)
    try:
        added = assignments.add_judge(edition, current_user, bid_id=form.bid_id.data, judge_id=judge_id)
    except DomainError as e:
        return _board_page(edition, add_form=form, status=refuse(e))
    need_id = added.bid.need_id
    db.session.commit()
    flash(_("已将评审专家分配到挑战报告 #%(id)s", id=form.bid_id.data), "success")
    return redirect(url_for(".assignments_page", code=edition.code, need=need_id))   # back to that need


@bp.post("/editions/<code>/assignments/<int:assignment_id>/remove")
def remove_assignment(code: str, assignment_id: int):
    """Take a judge off a bid, unless the judge already submitted its sheet."""
    edition = edition_or_404(code)
    assignment = queries.assignment_or_404(edition, assignment_id)
    bid_id, need_id = assignment.bid_id, assignment.bid.need_id
    try:
        assignments.remove_judge(assignment, current_user)
    except DomainError as e:
        return _board_page(edition, status=refuse(e))
    db.session.commit()
    flash(_("已从挑战报告 #%(id)s 移除该评审专家", id=bid_id), "success")
    return redirect(url_for(".assignments_page", code=edition.code, need=need_id))
