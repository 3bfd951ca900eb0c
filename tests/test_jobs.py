"""Jobs: long work off the request. The score export started as a job answers at once with the job's page and
ends with the same file as the direct download; a rolled-back request queues nothing; a failed job shows why in
the reader's language and is retried to success; progress shows while the job's own transaction is open; a
worker killed mid-run loses nothing; results go after their time; the command line runs the same kind.

Jobs run inside the submitting request here (JOBS_IMMEDIATE, the tests' default), except in the test that
starts real `flask worker` processes.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from contest import create_app
from contest.worker import sweep_jobs
from contest.domain.errors import Conflict, Invalid, InvalidTransition, Phrase, Series
from contest.domain.states import JobStatus, NeedStatus, Role
from contest.extensions import db as _db
from contest.models import Job
from contest.services import clock, jobs
from contest.i18n import refusal_text
from contest.services.jobs import queue, registry
from contest.services.jobs.phrases import phrase, stored

from .gunicorn_server import BIN, ROOT, wait_until
from .test_exports import CSV_URL, XLSX_URL, judged, organizer  # noqa: F401  (fixtures)

EXPORT_URL = "/organizer/editions/CIC8-NB/scores-export"
BROKEN: set[str] = set()  # the test kinds below fail while their name is in here
SEEN: dict[str, object] = {}


@jobs.register("tests.refuses", title="测试：被拒绝")
def refuses(ctx):
    if "refuses" in BROKEN:
        raise Invalid("job.param_invalid", name="fmt", value="pdf")
    return Phrase("job.summary.scores_exported", rows=7)


@jobs.register("tests.crashes", title="测试：出错")
def crashes(ctx):
    if "crashes" in BROKEN:
        raise RuntimeError("the disk is on fire")
    return None


@jobs.register("tests.peeks", title="测试：进度")
def peeks(ctx):
    """Report progress while this job's transaction is open, and on PostgreSQL holds an uncommitted change (SQLite
    has one write lock: there a kind changes rows after it has reported); look from a connection of its own."""
    _db.session.execute(sa.select(Job.id)).all()
    if _db.engine.dialect.name == "postgresql":
        ctx.edition.name = "未提交的改动"
        _db.session.flush()
    ctx.progress(2, 5)
    with _db.engine.connect() as other:
        SEEN["done"], SEEN["total"], SEEN["heartbeat"] = other.execute(
            sa.select(Job.done, Job.total, Job.heartbeat_at).where(Job.id == ctx.job_id)).one()
        SEEN["edition"] = other.scalar(sa.text("SELECT name FROM edition WHERE id = :i"), {"i": ctx.edition.id})
    SEEN["open"] = _db.session().in_transaction()
    ctx.edition.name = "未提交的改动"
    ctx.progress(5, 5)


def job_id_of(response) -> int:
    match = re.fullmatch(r"/organizer/jobs/(\d+)", response.headers["Location"])
    assert response.status_code == 303 and match, (response.status_code, response.headers.get("Location"))
    return int(match.group(1))


# --- the score export as a job --------------------------------------------------------------------------------

def test_the_score_export_answers_with_the_job_page_and_gives_the_same_file(client, judged, organizer):
    job_id = job_id_of(client.post(EXPORT_URL, data={"fmt": "csv", "codes": "0"}))
    page = client.get(f"/organizer/jobs/{job_id}").get_data(as_text=True)
    assert 'data-job-status="done"' in page and "已导出 6 条评分记录" in page and "下载结果" in page
    assert 'src="/static/js/job-progress.js"' in page and 'http-equiv="refresh"' not in page
    state = client.get(f"/organizer/jobs/{job_id}.json").get_json()
    assert state == {"id": job_id, "status": "done", "label": "已完成", "done": 6, "total": 6, "percent": 100,
                     "finished": True, "result_url": f"/organizer/jobs/{job_id}/result"}
    result, direct = client.get(state["result_url"]), client.get(CSV_URL)
    assert result.status_code == 200 and result.get_data() == direct.get_data()
    assert result.headers["Content-Disposition"] == direct.headers["Content-Disposition"]
    assert result.headers["Content-Type"] == direct.headers["Content-Type"]
    assert result.headers["Cache-Control"] == "private, no-store"


def test_the_xlsx_export_by_code_holds_the_same_table(client, judged, organizer):
    job_id = job_id_of(client.post(EXPORT_URL, data={"fmt": "xlsx", "codes": "1"}))
    result, direct = client.get(f"/organizer/jobs/{job_id}/result"), client.get(XLSX_URL + "?codes=1")

    def cells(response):
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells(result) == cells(direct) and len(cells(result)) == 7
    assert result.headers["Content-Disposition"] == direct.headers["Content-Disposition"]


def test_a_job_page_refreshes_itself_while_the_job_runs(client, db, judged, organizer, edition):
    job = Job(kind="scores.export", params={"fmt": "csv"}, status=JobStatus.RUNNING, done=3, total=12,
              started_by_id=organizer.id, edition_id=edition.id, created_at=clock.now(), attempts=1)
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'data-job-status="running"' in page and 'aria-valuenow="25"' in page and "下载结果" not in page
    assert client.get(f"/organizer/jobs/{job.id}.json").get_json()["result_url"] is None
    assert client.get(f"/organizer/jobs/{job.id}/result").status_code == 404
    listing = client.get("/organizer/jobs").get_data(as_text=True)
    assert f'data-job="{job.id}"' in listing and "评分明细导出" in listing and "25%" in listing


def test_a_bad_export_form_is_refused(client, judged, organizer):
    assert client.post(EXPORT_URL, data={"fmt": "pdf", "codes": "0"}).status_code == 400
    assert client.post("/organizer/editions/NOPE/scores-export", data={"fmt": "csv", "codes": "0"}).status_code == 404


# --- queued only once committed -----------------------------------------------------------------------------

class Spy:
    def __init__(self):
        self.queued: list[int] = []

    def run_job(self, job_id: int) -> None:
        self.queued.append(job_id)


def test_a_job_is_queued_only_when_its_transaction_commits(app, db, monkeypatch, make_user):
    spy = Spy()
    monkeypatch.setattr(queue, "queue_of", lambda _app: spy)
    actor = make_user(Role.ORGANIZER)
    db.session.commit()
    rolled_back = jobs.submit("tests.crashes", {}, actor=actor, now=clock.now()).id
    db.session.rollback()
    assert spy.queued == [] and db.session.get(Job, rolled_back) is None
    kept = jobs.submit("tests.crashes", {}, actor=actor, now=clock.now()).id
    assert spy.queued == []
    db.session.commit()
    assert spy.queued == [kept] and db.session.get(Job, kept).status == JobStatus.QUEUED


def test_an_unknown_kind_is_refused_when_submitted(app, db):
    with pytest.raises(Invalid) as refused:
        jobs.submit("tests.no_such_kind", {}, actor=None, now=clock.now())
    assert refused.value.message_id == "job.unknown_kind"


# --- failures, in the reader's language, and retries ---------------------------------------------------------

@pytest.fixture
def broken():
    BROKEN.update({"refuses", "crashes"})
    yield BROKEN
    BROKEN.clear()


def test_a_refused_job_says_why_in_the_readers_language_and_is_retried_to_success(client, db, organizer, broken):
    job = jobs.submit("tests.refuses", {}, actor=organizer, now=clock.now())
    db.session.commit()
    page = client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert 'data-job-status="failed"' in page and "任务失败：任务参数 fmt 的值无效：pdf" in page and ">重试<" in page
    english = client.get(f"/organizer/jobs/{job.id}?lang=en").get_data(as_text=True)
    failure = re.search(r"data-job-failure>(.*?)</div>", english, re.S).group(1)
    assert "Invalid value of the job parameter fmt: pdf" in failure and not re.search(r"[\u4e00-\u9fff]", failure)
    assert client.get(f"/organizer/jobs/{job.id}.json").get_json()["status"] == "failed"
    client.get("/?lang=zh_CN")

    broken.clear()
    assert job_id_of(client.post(f"/organizer/jobs/{job.id}/retry")) == job.id
    page = client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert 'data-job-status="done"' in page and "已导出 7 条评分记录" in page and "任务失败" not in page
    db.session.expire_all()
    assert db.session.get(Job, job.id).attempts == 2


def test_a_crashed_job_shows_an_error_id_the_log_has_with_its_traceback(client, db, organizer, broken, caplog):
    job = jobs.submit("tests.crashes", {}, actor=organizer, now=clock.now())
    with caplog.at_level(logging.ERROR):
        db.session.commit()
    [record] = [r for r in caplog.records if "in job" in r.getMessage()]
    error_id = re.match(r"Error id ([0-9a-f]{8}) in job", record.getMessage()).group(1)
    assert "the disk is on fire" in caplog.text and record.exc_info is not None
    page = client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert f"错误编号：{error_id}" in page and "the disk is on fire" not in page
    assert error_id in client.get(f"/organizer/jobs/{job.id}?lang=en").get_data(as_text=True)
    client.get("/?lang=zh_CN")
    broken.clear()
    assert job_id_of(client.post(f"/organizer/jobs/{job.id}/retry")) == job.id
    assert 'data-job-status="done"' in client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)


def test_only_its_starter_retries_a_failed_job_and_a_done_one_is_not_retried(client, db, organizer, make_user,
                                                                           login, broken):
    job = jobs.submit("tests.refuses", {}, actor=make_user(Role.ORGANIZER), now=clock.now())
    db.session.commit()
    page = client.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert "任务失败" in page and ">重试<" not in page  # another organizer may look, not retry
    response = client.post(f"/organizer/jobs/{job.id}/retry")
    assert response.status_code == 403 and "只有发起该任务的用户可以重试" in response.get_data(as_text=True)
    broken.clear()
    done = jobs.submit("tests.refuses", {}, actor=organizer, now=clock.now())
    db.session.commit()
    response = client.post(f"/organizer/jobs/{done.id}/retry")
    assert response.status_code == 409 and "只有失败的任务可以重试" in response.get_data(as_text=True)


def test_a_stored_failure_reads_as_the_refusal_did(app):
    for error in (InvalidTransition(NeedStatus.PUBLISHED, NeedStatus.DRAFT),
                  Invalid("contract.party.refused", side=Phrase("contract.side.party_a"),
                          refusal=Invalid("org.credit_code_invalid")),
                  Conflict("panel.judges_conflicted", names=Series(["Wang Fang", "Li Lei"]))):
        kept = json.loads(json.dumps(stored(error.params)))  # as the row's JSON column gives it back
        assert refusal_text(phrase(error.message_id, kept)) == refusal_text(error)


# --- progress, beside the job's own transaction ----------------------------------------------------------------

def test_progress_is_seen_from_another_connection_while_the_jobs_transaction_is_open(app, db, edition):
    job = jobs.submit("tests.peeks", {}, actor=None, now=clock.now(), edition=edition)
    db.session.commit()
    assert (SEEN["done"], SEEN["total"], SEEN["heartbeat"], SEEN["open"]) == (2, 5, clock.now(), True)
    assert SEEN["edition"] == "第八届中国创新挑战赛（宁波）"  # the job's own change was not committed yet
    db.session.expire_all()
    finished = db.session.get(Job, job.id)
    assert (finished.status, finished.done, finished.total) == (JobStatus.DONE, 5, 5)
    assert db.session.get(type(edition), edition.id).name == "未提交的改动"  # committed with the job, at its end


# --- a worker that dies ----------------------------------------------------------------------------------------

def test_stale_jobs_are_queued_again_or_given_up(app, db, monkeypatch):
    spy = Spy()
    monkeypatch.setattr(queue, "queue_of", lambda _app: spy)
    old, fresh = clock.now() - timedelta(minutes=5), clock.now() - timedelta(seconds=10)
    rows = [Job(kind="tests.slow", status=status, attempts=attempts, heartbeat_at=beat, created_at=old)
            for status, attempts, beat in [(JobStatus.RUNNING, 1, old), (JobStatus.RUNNING, 1, fresh),
                                           (JobStatus.RUNNING, 3, old), (JobStatus.QUEUED, 0, old),
                                           (JobStatus.DONE, 1, old)]]
    db.session.add_all(rows)
    db.session.commit()
    sweep_jobs()
    db.session.expire_all()
    assert [r.status for r in rows] == [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED,
                                        JobStatus.DONE]
    assert spy.queued == [rows[0].id, rows[3].id]
    assert rows[2].failure_id == "job.abandoned" and rows[2].failure_params == {"attempts": 3}


def _worker(env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([str(BIN / "flask"), "--app", "contest", "worker", "--workers", "2"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_run_loses_nothing_the_next_worker_runs_it_to_the_same_result(tmp_path, databases,
                                                                                        monkeypatch):
    instance, storage = tmp_path / "instance", tmp_path / "storage"
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "worker-test-secret"\n')
    url = databases.fresh(tmp_path / "db")
    env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(storage),
           "CONTEST_EXTRA_JOB_KINDS": "tests.job_kinds"}
    env.pop("SECRET_KEY", None)
    monkeypatch.setenv("CONTEST_INSTANCE", str(instance))
    monkeypatch.setenv("CONTEST_EXTRA_JOB_KINDS", "tests.job_kinds")
    monkeypatch.setattr(registry, "_loaded", False)  # this process learns the test kinds too
    app = create_app({"TESTING": True, "JOBS_IMMEDIATE": False, "SECRET_KEY": "worker-test-secret",
                      "SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(storage),
                      "UPLOAD_FOLDER": str(storage / "uploads")})
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def row(job_id: int):
        with engine.connect() as conn:
            return conn.execute(sa.select(Job.status, Job.done, Job.total, Job.attempts, Job.result_name)
                                .where(Job.id == job_id)).one()

    def submit(label: str) -> int:
        with app.app_context():
            job = jobs.submit("tests.slow", {"label": label, "steps": 8, "delay": 0.3}, actor=None, now=clock.now())
            _db.session.commit()
            return job.id

    first = _worker(env, tmp_path / "worker.log")
    try:
        killed = submit("归档")
        wait_until(lambda: row(killed).done > 0, "the job reporting progress")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    status, done, total, attempts, _name = row(killed)
    assert (status, attempts, total) == (JobStatus.RUNNING, 1, 8) and 0 < done < total

    time.sleep(1.5)  # its heartbeat is now older than the next worker's JOB_STALE_AFTER
    second = _worker({**env, "JOB_STALE_AFTER": "1"}, tmp_path / "worker.log")
    try:
        wait_until(lambda: row(killed).status == JobStatus.DONE, "the killed job run again to its end")
        uninterrupted = submit("归档")
        wait_until(lambda: row(uninterrupted).status == JobStatus.DONE, "an uninterrupted run of the same job")
    finally:
        second.send_signal(signal.SIGINT)  # a graceful stop
        assert second.wait(timeout=30) == 0, (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert row(killed)[:4] == (JobStatus.DONE, 8, 8, 2) and row(uninterrupted)[:4] == (JobStatus.DONE, 8, 8, 1)
    results = storage / "jobs"
    again = (results / row(killed).result_name).read_bytes()
    once = (results / row(uninterrupted).result_name).read_bytes()
    assert again == once == "".join(f"归档: step {n} of 8\n" for n in range(1, 9)).encode()
    engine.dispose()
    with app.app_context():
        _db.engine.dispose()


# --- results are kept a day -------------------------------------------------------------------------------------

def test_results_past_their_time_are_deleted_and_the_page_says_so(client, db, clock, judged, organizer):
    old = job_id_of(client.post(EXPORT_URL, data={"fmt": "csv", "codes": "0"}))
    clock.shift(timedelta(hours=20))
    recent = job_id_of(client.post(EXPORT_URL, data={"fmt": "csv", "codes": "0"}))
    stored = {job_id: jobs.result_path(db.session.get(Job, job_id)) for job_id in (old, recent)}
    assert all(path.is_file() for path in stored.values())
    clock.shift(timedelta(hours=5))  # the first finished 25 hours ago, the second 5
    sweep_jobs()
    assert not stored[old].exists() and stored[recent].is_file()
    page = client.get(f"/organizer/jobs/{old}").get_data(as_text=True)
    assert "data-job-expired" in page and "结果文件已过期删除（完成后保留 24 小时）" in page and "下载结果" not in page
    assert client.get(f"/organizer/jobs/{old}/result").status_code == 404
    assert client.get(f"/organizer/jobs/{old}.json").get_json()["result_url"] is None
    assert client.get(f"/organizer/jobs/{recent}/result").status_code == 200


# --- the command line ------------------------------------------------------------------------------------------

def test_the_command_line_runs_the_kind_with_a_progress_bar(client, runner, tmp_path, judged, organizer):
    out = tmp_path / "out"
    result = runner.invoke(args=["run-job", "scores.export", "--edition", "cic8-nb", "-p", "fmt=csv", "-p", "codes=0",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "评分明细导出" in result.output and "已导出 6 条评分记录" in result.output
    written = out / "CIC8-NB-评分明细.csv"
    assert written.read_bytes() == client.get(CSV_URL).get_data() and [p.name for p in out.iterdir()] == [written.name]
    refused = runner.invoke(args=["run-job", "scores.export", "--edition", "CIC8-NB", "-p", "fmt=pdf",
                                  "--out", str(out)])
    assert refused.exit_code != 0 and "任务参数 fmt 的值无效：pdf" in refused.output
    assert [p.name for p in out.iterdir()] == [written.name]
