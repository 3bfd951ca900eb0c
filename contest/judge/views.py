"""Judges' pages: the workbench, blind online scoring of assigned bids, and on-site panel scoring."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.guards import require_role
from ..domain.errors import DomainError
from ..domain.rubric import Round
from ..domain.states import Role
from ..extensions import db
from ..i18n import refusal_text
from ..models import Bid
from ..services import clock, notices
from ..services.editions import all_editions
from ..services.files import pdf_check, uploads
from ..services.judging import scoring
from ..services.judging.rubrics import rubric_for
from ..services.todo import judge as todo_judge
from ..web.downloads import PDF, send_recorded
from ..web.refusals import refuse
from . import bp, queries
from .forms import SheetForm

_judges_only = require_role(Role.JUDGE)
_panel_members = require_role(Role.JUDGE, Role.FIRM)
# The firm's representative sits on its own need's on-site panel; every other page is for judges only.
PANEL_ENDPOINTS = frozenset({"judge.panel", "judge.score_panel"})


@bp.before_request
def guard():
    return (_panel_members if request.endpoint in PANEL_ENDPOINTS else _judges_only)()


@bp.get("/")
def dashboard():
    """The judge's workbench: the sheets due soonest first, then assigned bids and on-site panels (those of finished
    rounds folded away), notices, the calendar."""
    assigned, panels = queries.assigned_bids(current_user), queries.panels(current_user)
    (assigned, assigned_done), (panels, panels_done) = todo_judge.by_round(assigned, panels)
    return render_template("judge/dashboard.html", editions=all_editions(),
                           todos=todo_judge.sheets_due(assigned, panels), assigned=assigned,
                           assigned_done=assigned_done, panels=panels, panels_done=panels_done,
                           notices=notices.unread(current_user))


def _refusal(bid, round_: Round) -> str | None:
    """Why the user cannot score this bid now (shown instead of the form), or None."""
    try:
        scoring.check_round_open(bid, round_)
        scoring.check_may_score(current_user, bid, round_)
    except scoring.NotOnSheet:
        return _("该挑战报告当前不接受评分")
    except DomainError as e:
        return refusal_text(e)
    return None


def _sheet_values(sheet) -> dict:
    return {item.criterion_id: item.points for item in sheet.items} if sheet else {}


def _saved(form: SheetForm) -> None:
    flash(_("评分已提交，评分表已锁定") if form.submitting else _("草稿已保存"), "success")


def _save(bid, round_: Round, form: SheetForm) -> None:
    scoring.save_sheet(judge=current_user, bid=bid, round_=round_, points=form.points(),
                       comment=form.comment.data or "", version=form.version_number(),
                       submit=form.submitting, now=clock.now())


def _online_page(bid, form: SheetForm, values: dict | None = None, status: int = 200):
    sheet = scoring.sheet_of(current_user.id, bid.id, Round.ONLINE)
    if values is None:
        form.prefill(sheet)
        values = _sheet_values(sheet)
    return render_template("judge/online.html", bid=bid, need=bid.need, sheet=sheet, form=form, values=values,
                           rubric=rubric_for(bid.need.edition_id, Round.ONLINE),
                           refusal=_refusal(bid, Round.ONLINE)), status


@bp.route("/online/<int:bid_id>", methods=["GET", "POST"])
def online_bid(bid_id: int):
    """Read an assigned bid without the team's identity, and save a draft of its sheet or submit it."""
    bid = queries.assigned_bid_or_404(current_user, bid_id)
    form = SheetForm()
    if not form.is_submitted():
        return _online_page(bid, form)
    if not form.validate_sheet(rubric_for(bid.need.edition_id, Round.ONLINE).criteria):
        return _online_page(bid, form, form.points(), 400)
    try:
        _save(bid, Round.ONLINE, form)
    except DomainError as e:
        status = refuse(e)
        return _online_page(bid, form, form.points(), status)
    db.session.commit()
    _saved(form)
    return redirect(url_for(".online_bid", bid_id=bid.id))


@bp.get("/online/<int:bid_id>/file")
def online_file(bid_id: int):
    """Download an assigned bid's report, blind: a neutral name, and no author or title in its metadata."""
    bid = queries.assigned_bid_or_404(current_user, bid_id)
    path = uploads.path_of(bid.pdf_stored_name) if bid.pdf_stored_name else None
    if path is None or not path.is_file():
        abort(404)
    try:
        content = pdf_check.blind_copy(path.read_bytes())
    except DomainError:
        # Never the original instead: its metadata may name the team.
        flash(_("该挑战报告的文件无法去除作者信息，暂不能下载，请联系组织方"), "danger")
        return _online_page(bid, SheetForm(), status=409)
    return send_recorded("download.bid", bid, content, _("挑战报告-%(id)s.pdf", id=bid.id), PDF)


def _panel_page(member, index: int, form: SheetForm, values: dict | None = None, status: int = 200):
    finalists = queries.finalists(current_user, member.need_id)
    index = min(max(index, 1), len(finalists)) if finalists else 0
    current = finalists[index - 1].bid if finalists else None
    sheet = scoring.sheet_of(current_user.id, current.id, Round.ONSITE) if current else None
    if values is None:
        form.prefill(sheet)
        values = _sheet_values(sheet)
    return render_template("judge/panel.html", member=member, need=member.need, finalists=finalists,
                           index=index, bid=current, sheet=sheet, form=form, values=values,
                           rubric=rubric_for(member.need.edition_id, Round.ONSITE),
                           refusal=_refusal(current, Round.ONSITE) if current else None), status


@bp.get("/panels/<int:need_id>")
def panel(need_id: int):
    """The on-site panel's scoring page: one finalist at a time (?finalist=N), large inputs for a tablet."""
    member = queries.panel_or_404(current_user, need_id)
    return _panel_page(member, request.args.get("finalist", 1, type=int), SheetForm())


@bp.post("/panels/<int:need_id>/<int:bid_id>")
def score_panel(need_id: int, bid_id: int):
    """Save a draft of, or submit, the user's on-site sheet for one finalist of the panel's need."""
    member = queries.panel_or_404(current_user, need_id)
    finalists = [f.bid.id for f in queries.finalists(current_user, need_id)]
    if bid_id not in finalists:
        abort(404)
    index = finalists.index(bid_id) + 1
    form = SheetForm()
    if not form.validate_sheet(rubric_for(member.need.edition_id, Round.ONSITE).criteria):
        return _panel_page(member, index, form, form.points(), 400)
    try:
        _save(db.session.get(Bid, bid_id), Round.ONSITE, form)
    except DomainError as e:
        status = refuse(e)
        return _panel_page(member, index, form, form.points(), status)
    db.session.commit()
    _saved(form)
    if form.submitting and index < len(finalists):
        index += 1  # on to the next team's pitch
    return redirect(url_for(".panel", need_id=need_id, finalist=index))
