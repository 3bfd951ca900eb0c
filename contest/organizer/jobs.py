"""Jobs, for the organizer: the page of a job (its progress, then its result or its failure), the JSON its
script polls, the result file, a retry, the list of recent jobs — and the score export started as a job."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..domain.errors import DomainError
from ..domain.states import JobStatus
from ..extensions import db
from ..forms import ConfirmForm
from ..i18n import refusal_text
from ..models import Job
from ..services import clock, jobs
from ..services.jobs.registry import landing_of, title_of
from ..web.downloads import send_download
from ..web.lookups import edition_or_404, page_number
from ..web.refusals import refuse
from . import bp, queries

STATUS_LABELS = {JobStatus.QUEUED: _l("排队中"), JobStatus.RUNNING: _l("运行中"), JobStatus.DONE: _l("已完成"),
                 JobStatus.FAILED: _l("失败")}
STATUS_COLOURS = {JobStatus.QUEUED: "secondary", JobStatus.RUNNING: "primary", JobStatus.DONE: "success",
                  JobStatus.FAILED: "danger"}


class ScoreExportForm(FlaskForm):
    """Which score table to export: the format, and judges by name (organizer) or by code (for firms)."""

    fmt = SelectField(_l("格式"), choices=[SelectChoice("csv", "CSV"), SelectChoice("xlsx", "XLSX")], default="csv")
    codes = SelectField(_l("评审专家"), choices=[SelectChoice("0", _l("显示姓名")), SelectChoice("1", _l("显示专家代码"))],
                        default="0")


def _job_or_404(job_id: int) -> Job:
    return jobs.job_by_id(job_id) or abort(404)


def _job_page(job: Job, status: int = 200):
    """A job's page, also used to answer a refused retry."""
    return render_template(
        "organizer/jobs/job.html", job=job, title=title_of(job.kind), form=ConfirmForm(), **_shown(),
        running=job.status in (JobStatus.QUEUED, JobStatus.RUNNING), summary=_text(jobs.summary(job)),
        failure=_text(jobs.failure(job)), result=jobs.result_path(job) is not None,
    ), status


def _shown() -> dict:
    """What every job template needs: status labels and colours, and how long results are kept."""
    return {"labels": STATUS_LABELS, "colours": STATUS_COLOURS,
            "ttl_hours": f"{float(current_app.config['JOB_RESULT_TTL']) / 3600:g}"}


def _text(phrase) -> str | None:
    return refusal_text(phrase) if phrase is not None else None


@bp.get("/jobs")
def job_list():
    """The recent jobs, newest first or sorted by kind, status or edition: what each is, how far it is, who
    started it."""
    asked = queries.JOBS.read()
    pagination = queries.paginate(queries.JOBS.apply(jobs.recent(), asked), page_number())
    return render_template("organizer/jobs/list.html", pagination=pagination, title_of=title_of, asked=asked,
                           **_shown())


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """A job's progress while it runs; then its result to download, or why it failed and a retry. A done job
    whose work is a change (an assignment) sends the user on to the page that shows it, with its summary."""
    job = _job_or_404(job_id)
    landing = landing_of(job.kind)
    if job.status == JobStatus.DONE and landing and job.edition is not None:
        flash(_text(jobs.summary(job)) or _("任务已完成。"), "success")
        return redirect(url_for(landing, code=job.edition.code))
    return _job_page(job)


@bp.get("/jobs/<int:job_id>.json")
def job_state(job_id: int):
    """How far the job is, for the page's script: status, done, total, percent, and the result's URL once done."""
    job = _job_or_404(job_id)
    result = url_for(".job_result", job_id=job.id) if jobs.result_path(job) is not None else None
    return {"id": job.id, "status": job.status.value, "label": str(STATUS_LABELS[job.status]), "done": job.done,
            "total": job.total, "percent": job.percent,
            "finished": job.status in (JobStatus.DONE, JobStatus.FAILED), "result_url": result}


@bp.get("/jobs/<int:job_id>/result")
def job_result(job_id: int):
    """Download the job's result file (404 once it has expired)."""
    job = _job_or_404(job_id)
    path = jobs.result_path(job) or abort(404)
    return send_download(path, job.result_filename or path.name, job.result_mimetype or "application/octet-stream")


@bp.post("/jobs/<int:job_id>/retry")
def retry_job(job_id: int):
    """Run a failed job again (its starter only): a new attempt with the same parameters."""
    job = _job_or_404(job_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _job_page(job, 400)
    try:
        jobs.retry(job, actor=current_user, now=clock.now())
    except DomainError as e:
        return _job_page(job, refuse(e))
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id), 303)


@bp.post("/editions/<code>/scores-export")
def start_score_export(code: str):
    """Export the edition's score table as a job (fmt csv or xlsx; codes=1 shows judges by code) and show its page."""
    edition = edition_or_404(code)
    form = ScoreExportForm()
    if not form.validate_on_submit():
        abort(400)
    job = jobs.submit("scores.export", {"fmt": form.fmt.data, "codes": form.codes.data == "1"},
                      actor=current_user, now=clock.now(), edition=edition)
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id), 303)
