"""`flask --app contest backup --out DIR` and `restore DIR`: a backup taken while the app keeps
committing bids and sheets, restored into an empty instance, holds everything committed before it started, and
`check` finds the restored instance clean; on SQLite (online backup API) and on PostgreSQL (pg_dump/pg_restore).
A damaged or forged backup (a name leading outside it, a wrong count, a file or dump that does not match or does
not read whole) is refused with a message, and the instance is left empty.
"""
from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.domain.rubric import Round
from contest.domain.states import NeedStatus, Role, SheetStatus
from contest.extensions import db as _db
from contest.models import Bid, Contract, Need, ScoreSheet, Team
from contest.services import clock
from contest.services.bids import create_bid
from contest.services.files.uploads import CheckedPdf
from contest.services.records import backup as backup_service
from tests.conftest import PDF, bid_data, need_data
from tests.databases import PostgresDatabases
from tests.test_check import CLEAN, World, build_world

WAIT = 60  # seconds the test waits for the writer before failing


@pytest.fixture(scope="module")
def postgres_databases():
    """A throwaway PostgreSQL cluster with a database migrated by flask_migrate.upgrade (tests/databases.py)."""
    from tests import postgres

    with postgres.cluster() as cluster:
        yield PostgresDatabases(cluster)


@pytest.fixture
def on_postgresql():
    """Asked for by a test that must run on PostgreSQL whatever CONTEST_TEST_DB says (see `databases`)."""


@pytest.fixture
def databases(request, databases):
    """conftest's test databases, or PostgreSQL for the tests asking for `on_postgresql`."""
    if "on_postgresql" in request.fixturenames and databases.kind != "postgresql":
        return request.getfixturevalue("postgres_databases")
    return databases


class Writer(threading.Thread):
    """The app at work: commits a published need, a team's bid on it (with its PDF) and a judge's submitted
    sheet at a time, through the services, each in its own application context, until stopped."""

    def __init__(self, app, edition_id: int, firm, team: Team, judge_id: int):
        super().__init__(daemon=True)
        self.app, self.judge_id = app, judge_id
        self.need_ids = dict(edition_id=edition_id, firm_org_id=firm.org_id, created_by_id=firm.id)
        self.team_id = team.id
        self.bids: list[int] = []
        self.sheets: list[int] = []
        self.error: BaseException | None = None
        self.stopped = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        try:
            while not self.stopped.is_set() and len(self.bids) < 500:
                with self.app.app_context():
                    bid_id, sheet_id = self._commit_one()
                    _db.session.remove()
                with self.progress:
                    self.bids.append(bid_id)
                    self.sheets.append(sheet_id)
                    self.progress.notify_all()
        except BaseException as e:  # reported by wait_for and stop
            self.error = e
        finally:
            with self.progress:
                self.progress.notify_all()

    def _commit_one(self) -> tuple[int, int]:
        """One need, one bid through the bids service, one sheet; committed as a request would."""
        data = need_data()
        keywords = data.pop("keywords").split(",")
        need = Need(status=NeedStatus.PUBLISHED, published_at=datetime(2026, 3, 1), **self.need_ids, **data)
        need.keyword_list = keywords
        _db.session.add(need)
        _db.session.flush()
        team = _db.session.get(Team, self.team_id)
        bid = create_bid(team, need, bid_data(), CheckedPdf(PDF, "report.pdf"), actor=team.owner,
                         now=clock.now(), submit=True)
        _db.session.flush()
        sheet = ScoreSheet(round=Round.ONLINE, bid_id=bid.id, judge_id=self.judge_id, status=SheetStatus.SUBMITTED)
        _db.session.add(sheet)
        _db.session.commit()
        return bid.id, sheet.id

    def wait_for(self, count: int) -> None:
        """Wait until `count` bids are committed."""
        with self.progress:
            done = self.progress.wait_for(lambda: len(self.bids) >= count or self.error or not self.is_alive(),
                                          timeout=WAIT)
        if self.error:
            raise self.error
        assert done and len(self.bids) >= count, f"the writer committed {len(self.bids)} bids, not {count}"

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=WAIT)
        if self.error:
            raise self.error


@pytest.fixture
def world(db, app, make_need, make_bid, make_user) -> World:
    return build_world(db, app, make_need, make_bid, make_user)


def instance(app, database_url: str, uploads: Path):
    """Another instance of the app (same settings) on its own database and storage folder."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                       "UPLOAD_FOLDER": str(uploads), "FROZEN_NOW": app.config["FROZEN_NOW"]})


def restored(target, source: Path) -> tuple[list[str], dict]:
    """Run `restore source` on the target instance: its output and what its database and storage then hold."""
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(source)])
        assert result.exit_code == 0, result.output
        held = {
            "bids": dict(_db.session.execute(sa.select(Bid.id, Bid.pdf_stored_name)).all()),
            "sheets": set(_db.session.scalars(sa.select(ScoreSheet.id))),
            "contracts": dict(_db.session.execute(sa.select(Contract.id, Contract.pdf)).all()),
            "files": sorted(p.relative_to(target.config["UPLOAD_FOLDER"]).as_posix()
                            for p in Path(target.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()),
        }
        _db.session.remove()
        _db.engine.dispose()
    return result.output.splitlines(), held


def backup_during_writes(app, db, world: World, make_team, make_user, monkeypatch, out: Path, target_url: str,
                         tmp_path: Path) -> None:
    """Back up while a writer commits; restore into an empty instance; everything committed before the backup
    started is there, nothing committed after the database copy is, and `check` is clean."""
    firm, team, judge = make_user(Role.FIRM), make_team(), make_user(Role.JUDGE)
    db.session.commit()
    writer = Writer(app, world.need.edition_id, firm, team, judge.id)
    late: list[int] = []
    copy_tree = backup_service.copy_tree

    def copy_tree_after_more_writes(root: Path, target: Path) -> None:
        # The database is copied: let the app commit more bids, with their files, before the files are copied.
        first = len(writer.bids) + 1  # one commit may have been under way during the copy: not counted as late
        writer.wait_for(first + 3)
        late.extend(writer.bids[first:first + 3])
        return copy_tree(root, target)

    monkeypatch.setattr(backup_service, "copy_tree", copy_tree_after_more_writes)
    writer.start()
    try:
        writer.wait_for(3)
        bids_before, sheets_before = list(writer.bids), list(writer.sheets)
        result = app.test_cli_runner().invoke(args=["backup", "--out", str(out)])
    finally:
        writer.stop()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"备份完成：{out}"
    assert len(late) == 3 and len(writer.bids) > len(bids_before) + 3
    backed_up = {p.name for p in (out / "uploads" / "bids").iterdir()}

    lines, held = restored(instance(app, target_url, tmp_path / "restored-uploads"), out)
    assert lines[-1] == CLEAN, lines
    assert any(line.startswith("未恢复 ") for line in lines)  # the late bids' files, which no restored row names
    committed_before = {world.winner.id, world.runner_up.id, *bids_before}
    assert committed_before <= held["bids"].keys()
    assert not set(late) & held["bids"].keys()
    assert {world.sheet.id, *sheets_before} <= held["sheets"]
    assert held["contracts"] == {world.contract.id: world.contract.pdf}
    bid_files = sorted(f"bids/{name}" for name in held["bids"].values())
    assert held["files"] == sorted([*bid_files, "contracts/scan1.pdf"])
    late_files = {name for bid_id, name in db.session.execute(
        sa.select(Bid.id, Bid.pdf_stored_name).where(Bid.id.in_(late)))}
    assert late_files <= backed_up  # their files were copied, and left out by the restore


def test_backup_during_writes_restores_everything_committed_before(app, db, world, make_team, make_user,
                                                                   monkeypatch, tmp_path, databases):
    backup_during_writes(app, db, world, make_team, make_user, monkeypatch, tmp_path / "backup",
                         databases.fresh(tmp_path / "target"), tmp_path)


def test_on_postgresql_backup_during_writes_restores_into_a_blank_database(
        on_postgresql, app, db, world, make_team, make_user, monkeypatch, tmp_path, databases):
    assert db.engine.dialect.name == "postgresql"
    blank = databases.cluster.create(f"restored_{uuid.uuid4().hex[:8]}")  # no schema at all: pg_restore makes it
    backup_during_writes(app, db, world, make_team, make_user, monkeypatch, tmp_path / "backup", blank, tmp_path)
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["database"] == "postgresql"


def test_backup_writes_the_database_the_files_and_a_manifest(app, db, world, runner, tmp_path):
    out = tmp_path / "backup"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    dump = out / manifest["database_file"]
    revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert manifest["database"] == db.engine.dialect.name and manifest["alembic_revision"] == revision
    assert manifest["database_sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()
    assert manifest["created_at"].endswith("Z") and manifest["files"] == 3 and manifest["format"] == 2
    copied = sorted(p.relative_to(out / "uploads").as_posix() for p in (out / "uploads").rglob("*") if p.is_file())
    assert copied == sorted([f"bids/{world.winner.pdf_stored_name}", f"bids/{world.runner_up.pdf_stored_name}",
                             "contracts/scan1.pdf"])
    assert manifest["file_sha256"] == {name: hashlib.sha256((out / "uploads" / name).read_bytes()).hexdigest()
                                       for name in copied}


def test_backup_skips_uploads_in_flight(app, world, runner, tmp_path):
    (world.uploads / "tmp").mkdir()
    (world.uploads / "tmp" / "bids+89ab.pdf+new+host_1_2.part").write_bytes(PDF)
    (world.uploads / "bids" / "4567ef.part").write_bytes(PDF[:10])
    out = tmp_path / "backup"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    assert not list((out / "uploads").rglob("*.part")) and not (out / "uploads" / "tmp").exists()


def test_backup_refuses_a_directory_that_is_not_empty(world, runner, tmp_path):
    out = tmp_path / "backup"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier backup")
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 1
    assert f"备份目录 {out} 已存在且不为空" in result.output
    assert [p.name for p in out.iterdir()] == ["earlier.txt"]


def test_restore_refuses_an_instance_that_holds_data(app, db, world, runner, tmp_path):
    out = tmp_path / "backup"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    extra = world.uploads / "bids" / world.winner.pdf_stored_name
    result = runner.invoke(args=["restore", str(out)])
    assert result.exit_code == 1
    assert "目标数据库不是空的" in result.output and "只能恢复到空的实例中" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 2 and extra.exists()


def test_restore_refuses_an_instance_whose_markets_were_edited(app, world, runner, tmp_path, databases):
    """The 26 markets every new database holds do not make it "not empty"; one the organizer renamed does."""
    out = tmp_path / "backup"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    target = instance(app, databases.fresh(tmp_path / "target"), tmp_path / "target-uploads")
    with target.app_context():
        _db.session.execute(sa.text("UPDATE market SET area = '海曙区（改）' WHERE id = 2"))
        _db.session.commit()
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        _db.session.remove()
        _db.engine.dispose()
    assert result.exit_code == 1 and "表 market 中已有数据" in result.output


def test_restore_refuses_a_storage_folder_that_holds_files(app, world, runner, tmp_path, databases):
    out = tmp_path / "backup"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    uploads = tmp_path / "target-uploads"
    (uploads / "bids").mkdir(parents=True)
    (uploads / "bids" / "left-over.pdf").write_bytes(PDF)
    target = instance(app, databases.fresh(tmp_path / "target"), uploads)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        bids = _db.session.scalar(sa.select(sa.func.count(Bid.id)))
        _db.session.remove()
        _db.engine.dispose()
    assert result.exit_code == 1
    assert f"存储目录 {uploads} 中已有文件" in result.output and bids == 0


def test_restore_refuses_a_damaged_backup(app, world, runner, tmp_path, databases):
    out = tmp_path / "backup"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with open(out / manifest["database_file"], "ab") as dump:
        dump.write(b"\0")
    target = instance(app, databases.fresh(tmp_path / "target"), tmp_path / "target-uploads")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        _db.engine.dispose()
    assert result.exit_code == 1 and "与清单记录的 SHA-256 不符" in result.output


# --- a damaged or forged backup is refused, and the instance stays empty ---------------------------------


def backed_up(runner, tmp_path: Path) -> tuple[Path, dict]:
    """A backup of the world, and its manifest."""
    out = tmp_path / "backup"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def rewrite_manifest(out: Path, manifest: dict) -> None:
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def refused_restore(app, databases, tmp_path: Path, out: Path) -> str:
    """Run `restore out` on a new, empty instance: refused (exit status 1, a message, no traceback), and the
    instance left empty (no row in any table but the 26 markets every database is born with, no file in its
    storage folder). The command's output."""
    uploads = tmp_path / "target-uploads"
    target = instance(app, databases.fresh(tmp_path / "target"), uploads)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        rows = {table.name: _db.session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in _db.metadata.sorted_tables}
        _db.session.remove()
        _db.engine.dispose()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert rows.pop("market") == 26 and set(rows.values()) == {0}, rows
    assert [p for p in uploads.rglob("*") if p.is_file()] == []
    return result.output


def _outside(out: Path, manifest: dict) -> Path:
    """A whole copy of the backup's database next to the backup folder, outside it."""
    outside = out.parent / f"outside{Path(manifest['database_file']).suffix}"
    outside.write_bytes((out / manifest["database_file"]).read_bytes())
    return outside


@pytest.mark.parametrize("leads_out", ["parent", "absolute", "subfolder", "link", "stored file"])
def test_restore_refuses_a_manifest_naming_a_file_outside_the_backup(app, world, runner, tmp_path, databases,
                                                                    leads_out):
    out, manifest = backed_up(runner, tmp_path)
    outside = _outside(out, manifest)
    name = {"parent": f"../{outside.name}", "absolute": str(outside), "subfolder": f"uploads/../{outside.name}",
            "link": manifest["database_file"], "stored file": f"bids/../../../{outside.name}"}[leads_out]
    if leads_out == "link":  # the manifest's name is plain, but the file is a link to the one outside
        (out / name).unlink()
        (out / name).symlink_to(outside)
    elif leads_out == "stored file":
        manifest["file_sha256"][name] = hashlib.sha256(outside.read_bytes()).hexdigest()
    else:
        manifest["database_file"] = name
    rewrite_manifest(out, manifest)
    output = refused_restore(app, databases, tmp_path, out)
    assert f"备份清单中的文件名 {name!r} 不合法：只能指向备份目录之内" in output


@pytest.mark.parametrize("damage, message", [
    ("count too low", "备份清单记录了 2 个存储文件，备份中却有 3 个：备份不完整或被改动"),
    ("file removed", "备份清单记录了 3 个存储文件，备份中却有 2 个：备份不完整或被改动"),
    ("file added", "备份清单记录了 3 个存储文件，备份中却有 4 个：备份不完整或被改动"),
    ("file renamed", "备份中缺少清单记录的存储文件 {backup}/uploads/contracts/scan1.pdf"),
    ("file altered", "备份的存储文件 {backup}/uploads/contracts/scan1.pdf 与清单记录的 SHA-256 不符"),
    ("format 1", "备份清单的格式 1 不受支持"),
])
def test_restore_refuses_stored_files_that_are_not_the_manifests(app, world, runner, tmp_path, databases, damage,
                                                                message):
    out, manifest = backed_up(runner, tmp_path)
    scan = out / "uploads" / "contracts" / "scan1.pdf"
    if damage == "count too low":
        manifest["files"] = 2
    elif damage == "file removed":
        scan.unlink()
    elif damage == "file added":
        (scan.parent / "scan2.pdf").write_bytes(scan.read_bytes())
    elif damage == "file renamed":
        scan.rename(scan.parent / "scan2.pdf")
    elif damage == "file altered":
        scan.write_bytes(scan.read_bytes().replace(b"%%EOF", b"%%EOF "))
    else:  # a backup of the earlier format, without the files' SHA-256
        manifest = {k: v for k, v in manifest.items() if k != "file_sha256"} | {"format": 1}
    rewrite_manifest(out, manifest)
    assert message.format(backup=out) in refused_restore(app, databases, tmp_path, out)


def truncated_dump_refused(app, runner, tmp_path: Path, databases) -> None:
    """A dump cut in half whose SHA-256 in the manifest was recomputed: refused as damaged, not loaded."""
    out, manifest = backed_up(runner, tmp_path)
    dump = out / manifest["database_file"]
    whole = dump.read_bytes()
    dump.write_bytes(whole[:len(whole) // 2])
    manifest["database_sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    rewrite_manifest(out, manifest)
    assert f"备份的数据库文件 {dump} 已损坏，无法读取" in refused_restore(app, databases, tmp_path, out)


def test_restore_refuses_a_truncated_dump_whose_hash_was_recomputed(app, world, runner, tmp_path, databases):
    truncated_dump_refused(app, runner, tmp_path, databases)


def test_on_postgresql_restore_refuses_a_truncated_dump_whose_hash_was_recomputed(
        on_postgresql, app, db, world, runner, tmp_path, databases):
    assert db.engine.dialect.name == "postgresql"
    truncated_dump_refused(app, runner, tmp_path, databases)
