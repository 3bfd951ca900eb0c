"""Stored files follow their rows (contest/services/staging.py): a file is written under a temporary name in the
storage's tmp/ folder and moved into place only when its row commits; what a killed process leaves in tmp/ is
settled by the start-up sweep: moved into place when a committed row names it, deleted otherwise, and left
alone while its writer still runs."""
from __future__ import annotations

import io
import os
import subprocess
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from contest import create_app
from contest.domain.errors import Conflict
from contest.services import bids as bid_service
from contest.services.files import staging, sweep as staging_sweep, uploads
from tests.conftest import PDF
from tests.test_team import MULTIPART, bid_form, bids_of, need, post_bid, team  # noqa: F401 (fixtures)

OTHER_PDF = PDF.replace(b"595 842", b"842 595")  # another valid one-page PDF (landscape)


def storage(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"])


def final_files(app) -> list[Path]:
    """The stored files as `check` counts them: everything under the storage directory but tmp/."""
    root = storage(app)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp")


def temp_files(app) -> list[Path]:
    folder = storage(app) / "tmp"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def dead_writer():
    """The host, pid and start time of a process that has exited (its pid may be reused: the start time differs)."""
    process = subprocess.Popen(["sleep", "60"])
    start = staging.start_time(process.pid)
    process.kill()
    process.wait()
    return f"{staging.host_name()}_{process.pid}_{start}"


def live_writer() -> str:
    return f"{staging.host_name()}_{os.getpid()}_{staging.start_time(os.getpid())}"


def put_temp(app, folder: str, name: str, op: str, writer: str, content: bytes = PDF) -> Path:
    path = storage(app) / "tmp" / f"{folder}+{name}+{op}+{writer}.part"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# --- through the team's form --------------------------------------------------------------------------------

def test_a_committed_bid_leaves_exactly_its_file_and_nothing_in_flight(team, need, client, db, app):
    assert post_bid(client, need).status_code == 302
    [bid] = bids_of(db, team)
    assert final_files(app) == [storage(app) / "bids" / bid.pdf_stored_name]
    assert final_files(app)[0].read_bytes() == PDF
    assert temp_files(app) == []


def test_a_bid_refused_after_its_file_was_written_leaves_no_file(team, need, client, db, app, monkeypatch):
    def refuse_at_the_end(*args, **kwargs):
        assert temp_files(app), "the upload should be written before the refusal"
        raise Conflict("account.username_taken", username="测试：最后一步被拒绝")
    monkeypatch.setattr(bid_service.audit, "record", refuse_at_the_end)
    response = post_bid(client, need)
    assert response.status_code == 409 and "最后一步被拒绝" in response.get_data(as_text=True)
    assert bids_of(db, team) == [] and final_files(app) == [] and temp_files(app) == []


def test_a_bid_refused_before_storing_leaves_no_file(team, need, client, db, app, clock):
    clock(datetime(2026, 5, 1))  # after the bidding deadline
    response = post_bid(client, need)
    assert response.status_code == 403 and "截止" in response.get_data(as_text=True)
    assert bids_of(db, team) == [] and final_files(app) == [] and temp_files(app) == []


def test_a_request_failing_after_the_write_leaves_no_file(team, need, client, db, app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production
    monkeypatch.setattr(bid_service.audit, "record", lambda *a, **k: 1 / 0)
    assert post_bid(client, need).status_code == 500
    assert final_files(app) == [] and temp_files(app) == []
    db.session.rollback()
    assert bids_of(db, team) == []


def refuse(*args, **kwargs):
    raise Conflict("account.username_taken", username="测试：被拒绝")


def test_a_new_pdf_replaces_the_old_file_only_when_the_edit_commits(team, need, client, db, app, monkeypatch):
    assert post_bid(client, need).status_code == 302
    [bid] = bids_of(db, team)
    old = storage(app) / "bids" / bid.pdf_stored_name
    monkeypatch.setattr(bid_service.audit, "record", refuse)
    edit = client.post(f"/team/bids/{bid.id}/edit", data=bid_form(OTHER_PDF), content_type=MULTIPART)
    assert edit.status_code == 409
    assert final_files(app) == [old] and old.read_bytes() == PDF and temp_files(app) == []
    monkeypatch.undo()
    edit = client.post(f"/team/bids/{bid.id}/edit", data=bid_form(OTHER_PDF), content_type=MULTIPART)
    assert edit.status_code == 302
    [bid] = bids_of(db, team)
    assert final_files(app) == [storage(app) / "bids" / bid.pdf_stored_name] != [old]
    assert final_files(app)[0].read_bytes() == OTHER_PDF and temp_files(app) == []


# --- the service and the session ----------------------------------------------------------------------------

def test_the_file_is_under_its_final_name_only_after_the_commit(team, need, db, app):
    pdf = uploads.check_pdf(io.BytesIO(PDF), "report.pdf")
    data = {k: v for k, v in bid_form().items() if k in bid_service.BID_FIELDS}
    data.update(price_wan=Decimal("280.00"), duration_months=12, declaration_accepted=True)
    bid = bid_service.create_bid(team, need, data, pdf, actor=team.owner, now=datetime(2026, 3, 10), submit=True)
    db.session.flush()
    final = storage(app) / "bids" / bid.pdf_stored_name
    assert not final.exists() and final_files(app) == []
    [temp] = temp_files(app)
    assert temp.read_bytes() == PDF and temp.name.endswith(".part") and bid.pdf_stored_name in temp.name
    db.session.commit()
    assert final_files(app) == [final] and final.read_bytes() == PDF and temp_files(app) == []


def test_a_rollback_after_the_file_was_written_leaves_none(app, db):
    name = uploads.store(uploads.check_pdf(io.BytesIO(PDF), "report.pdf"))
    assert len(temp_files(app)) == 1
    db.session.rollback()
    assert temp_files(app) == [] and final_files(app) == []
    assert not uploads.path_of(name).exists()


def test_a_session_closed_without_commit_leaves_none(app, db):
    uploads.store(uploads.check_pdf(io.BytesIO(PDF), "report.pdf"))
    db.session.close()
    assert temp_files(app) == [] and final_files(app) == []


# --- the sweep of what killed processes left ----------------------------------------------------------------

def test_sweep_promotes_the_file_of_a_committed_row_left_under_its_temporary_name(make_bid, db, app, dead_writer):
    bid = make_bid()
    final = storage(app) / "bids" / bid.pdf_stored_name
    final.unlink()  # killed after the commit, before the rename: the row exists, its file is still in tmp/
    db.session.commit()
    temp = put_temp(app, "bids", bid.pdf_stored_name, "new", dead_writer)
    swept = staging_sweep.sweep()
    assert swept.promoted == [temp.name]
    assert final.read_bytes() == PDF and temp_files(app) == []


def test_sweep_deletes_the_file_of_a_dead_writer_whose_row_never_committed(db, app, dead_writer):
    temp = put_temp(app, "bids", "0123456789abcdef0123456789abcdef.pdf", "new", dead_writer)
    swept = staging_sweep.sweep()
    assert swept.removed == [temp.name] and temp_files(app) == [] and final_files(app) == []


def test_sweep_keeps_what_a_live_writer_is_still_writing(db, app):
    temp = put_temp(app, "bids", "0123456789abcdef0123456789abcdef.pdf", "new", live_writer())
    swept = staging_sweep.sweep()
    assert swept.kept == [temp.name] and temp_files(app) == [temp] and final_files(app) == []


def test_sweep_leaves_another_hosts_entry_until_it_is_stale(db, app):
    temp = put_temp(app, "bids", "0123456789abcdef0123456789abcdef.pdf", "new", "other-host.example_1_1")
    assert staging_sweep.sweep().kept == [temp.name]
    hour_ago = time.time() - 3700
    os.utime(temp, (hour_ago, hour_ago))
    assert staging_sweep.sweep().removed == [temp.name] and temp_files(app) == []


def test_sweep_finishes_or_forgets_the_removal_of_a_replaced_file(make_bid, db, app, dead_writer):
    kept, replaced = make_bid(), make_bid()
    db.session.commit()
    gone = storage(app) / "bids" / "fedcba9876543210fedcba9876543210.pdf"
    gone.write_bytes(PDF)  # a replaced PDF: the edit committed, the process died before deleting it
    put_temp(app, "bids", gone.name, "old", dead_writer, b"")
    put_temp(app, "bids", replaced.pdf_stored_name, "old", dead_writer, b"")  # its edit never committed
    staging_sweep.sweep()
    assert gone not in final_files(app) and temp_files(app) == []
    assert {p.name for p in final_files(app)} == {kept.pdf_stored_name, replaced.pdf_stored_name}


def test_every_app_start_sweeps(make_bid, db, app, dead_writer, monkeypatch):
    bid = make_bid()
    (storage(app) / "bids" / bid.pdf_stored_name).unlink()
    db.session.commit()
    put_temp(app, "bids", bid.pdf_stored_name, "new", dead_writer)
    orphan = put_temp(app, "contracts", "0123456789abcdef0123456789abcdef.pdf", "new", dead_writer)
    live = put_temp(app, "bids", "00000000000000000000000000000000.pdf", "new", live_writer())
    create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "UPLOAD_FOLDER": str(storage(app))})
    assert (storage(app) / "bids" / bid.pdf_stored_name).read_bytes() == PDF
    assert not orphan.exists() and temp_files(app) == [live]


def test_temporary_names_say_where_the_file_goes_and_who_writes_it():
    entry = staging.parse(f"bids+0123abcd.pdf+new+{staging.host_name()}_42_4242.part")
    assert entry == staging.Entry("bids", "0123abcd.pdf", "new", staging.host_name(), 42, 4242)
    assert staging.parse("0123abcd.part") is None and staging.parse("bids+../x+new+h_1_1.part") is None

