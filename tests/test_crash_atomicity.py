"""A real gunicorn worker killed with SIGKILL in the middle of an upload or of a winner confirmation leaves neither
an orphan file nor a half-written row, and the respawned worker carries on.

One gunicorn server (gunicorn.conf.py, one worker) on a throwaway PostgreSQL cluster, whatever CONTEST_TEST_DB
says. The worker is stopped at a chosen point without any test hook in the product: mid-upload by sending only
part of the request body; between the file write and the commit by a table lock a test connection holds, so
the worker's INSERT waits until it is killed.
"""
from __future__ import annotations

import os
import re
import subprocess
import urllib.parse
from contextlib import ExitStack

import pytest

from contest.domain.states import BidStatus, NeedStatus
from contest.services.files import staging
from tests import crash_world
from tests.conftest import PDF
from tests.crash_server import Browser, Server, backend_gone, hidden_fields, holding, locked, multipart, waiting_on
from tests.gunicorn_server import BIN, ROOT, gunicorn, wait_until
from tests.postgres import _free_port, cluster

BIG_PDF_BYTES = 8 * 1024 * 1024


def confirmed(fields: dict) -> dict:
    """A form's fields as static/js/confirm.js sends them once the user agreed to an irreversible action."""
    return {**fields, "confirmed": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crash")
    instance, storage = tmp / "instance", tmp / "storage"
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "crash-test-secret"\nRATELIMIT_ENABLED = False\n')
    with ExitStack() as stack:
        url = stack.enter_context(cluster())("crash")
        env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(storage)}
        env.pop("SECRET_KEY", None)
        done = subprocess.run([str(BIN / "flask"), "--app", "contest", "init-db"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("CONTEST_INSTANCE", str(instance))
            world = crash_world.build(url, storage / "uploads")
        port = _free_port()
        process, _ = stack.enter_context(gunicorn(env, tmp / "gunicorn.log", port=port))
        server = Server(process, port, storage, url, world, tmp / "gunicorn.log")
        server.env = env
        stack.callback(server.engine.dispose)
        server.worker()
        yield server


def assert_check_is_clean(server: Server) -> None:
    """`flask --app contest check` on the server's instance after the crash: exit 0, no violation."""
    done = subprocess.run([str(BIN / "flask"), "--app", "contest", "check"], cwd=ROOT, env=server.env,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("检查完成：未发现问题"), done.stdout + done.stderr[-2000:]


def bid_request(browser: Browser, need_id: int, pdf: bytes) -> tuple[str, str, bytes]:
    status, form = browser.get(f"/team/needs/{need_id}/bid")
    assert status == 200 and 'name="approach"' in form
    fields = {**hidden_fields(form), "approach": "崩溃测试：多光谱成像检测路线。", "innovation": "小样本缺陷学习。",
              "indicators": "漏检率 < 0.1%。", "plan": "第 1-3 月样机。", "price_wan": "95.00", "duration_months": "10",
              "declaration_accepted": "y", "submit_report": "提交挑战报告"}
    return (f"/team/needs/{need_id}/bid", *multipart(fields, pdf))


def bids_of(server: Server, username: str) -> int:
    return server.scalar("SELECT count(*) FROM bid JOIN team ON team.id = bid.team_id "
                         "JOIN user_account u ON u.id = team.owner_id WHERE u.username = :u", u=username)


def big_pdf() -> bytes:
    """A well-formed PDF of several MB (a long comment before its trailer)."""
    return PDF.replace(b"xref", b"%" + b"x" * BIG_PDF_BYTES + b"\nxref", 1)


def test_a_worker_killed_while_receiving_an_upload_leaves_no_bid_and_no_file(server):
    w = server.world
    browser = Browser(server, w.uploading_team)
    before = server.stored_files()
    path, content_type, body = bid_request(browser, w.open_need, big_pdf())
    worker = server.worker()
    conn = browser.raw_post(path, content_type, body, send=len(body) // 3)
    try:
        wait_until(lambda: holding(server, worker, conn), "the worker reading the upload")
        server.kill_worker(worker)
    finally:
        conn.close()
    assert bids_of(server, w.uploading_team) == 0
    assert server.stored_files() == before and server.temp_files() == []
    assert_check_is_clean(server)


def test_a_worker_killed_between_writing_the_file_and_the_commit_leaves_no_bid_and_no_file(server):
    w = server.world
    browser = Browser(server, w.blocked_team)
    before = server.stored_files()
    path, content_type, body = bid_request(browser, w.open_need, PDF)
    worker = server.worker()
    with locked(server, "bid"):
        conn = browser.raw_post(path, content_type, body)
        try:
            backend = wait_until(lambda: waiting_on(server, "bid"), "the worker's INSERT waiting for the lock")
            # The file is written (the INSERT comes at the commit, after it), but not in place: under a
            # temporary name that says where it goes and that this worker writes it.
            assert server.stored_files() == before
            [temp] = server.temp_files()
            entry = staging.parse(temp)
            assert entry is not None and (entry.folder, entry.op, entry.pid) == ("bids", "new", worker)
            server.kill_worker(worker)
        finally:
            conn.close()
    wait_until(lambda: backend_gone(server, backend), "the killed worker's database session ending")
    assert bids_of(server, w.blocked_team) == 0
    assert server.stored_files() == before and server.temp_files() == []
    # The very same request (same form, same submission key), sent again, is stored on the new worker.
    status, page = browser.post_body(path, content_type, body)
    assert status == 200 and re.search(r"/team/bids/\d+$", browser.url), page[-2000:]
    assert bids_of(server, w.blocked_team) == 1 and len(server.stored_files()) == len(before) + 1
    assert server.temp_files() == []
    assert_check_is_clean(server)


def need_state(server: Server, need_id: int) -> tuple:
    return (server.scalar("SELECT status FROM need WHERE id = :n", n=need_id),
            server.scalar("SELECT count(*) FROM bid WHERE need_id = :n AND status = :s", n=need_id,
                          s=BidStatus.WINNER.value),
            server.scalar("SELECT count(*) FROM firm_confirmation WHERE need_id = :n", n=need_id),
            server.scalar("SELECT count(*) FROM contract WHERE need_id = :n", n=need_id))


def test_a_worker_killed_in_the_middle_of_a_winner_confirmation_leaves_it_undone(server):
    w = server.world
    final = NeedStatus.FINAL.value
    assert need_state(server, w.final_need) == (final, 0, 0, 0)
    browser = Browser(server, w.firm)
    status, ranking = browser.get(f"/firm/needs/{w.final_need}/ranking")
    assert status == 200
    worker = server.worker()
    with locked(server, "firm_confirmation"):
        conn = browser.raw_post(f"/firm/needs/{w.final_need}/confirm", "application/x-www-form-urlencoded",
                                urllib.parse.urlencode(confirmed(hidden_fields(ranking))).encode())
        try:
            backend = wait_until(lambda: waiting_on(server, "firm_confirmation"), "the confirmation waiting")
            # Mid-way: the worker's transaction has already written the bids' new statuses.
            assert server.scalar("SELECT count(*) FROM pg_locks WHERE pid = :p AND granted AND mode = "
                                 "'RowExclusiveLock' AND relation = CAST('bid' AS regclass)", p=backend) == 1
            server.kill_worker(worker)
        finally:
            conn.close()
    wait_until(lambda: backend_gone(server, backend), "the killed worker's database session ending")
    assert need_state(server, w.final_need) == (final, 0, 0, 0)
    # The very same confirmation (same form), sent again, goes through on the new worker.
    status, page = browser.post(f"/firm/needs/{w.final_need}/confirm", confirmed(hidden_fields(ranking)))
    assert status == 200 and "已确认挑战第一名为优胜团队" in page
    assert need_state(server, w.final_need)[:3] == (NeedStatus.AWARDED.value, 1, 1)
    assert_check_is_clean(server)
