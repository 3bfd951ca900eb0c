"""Backup and restore of an instance: the database, copied consistently while the app keeps writing, then the
stored files, with a manifest (`flask --app contest backup --out DIR` / `restore DIR`).

The database is copied FIRST (SQLite's online backup API; `pg_dump -Fc`, one snapshot) and the files AFTER,
so every row of the copy finds its file. Files written after the database copy (uploads committed later) are
in the backup too, without a row: restore leaves them out, so the restored instance holds exactly the files
its rows name and `check` finds it clean.

The manifest names the database copy and every stored file with its SHA-256; restore checks all of it before
it touches the instance (backup_format.py).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import URL, make_url

from ...domain.markets import seed_markets
from ...extensions import db
from .backup_format import (  # noqa: F401  (BackupRefused: the commands take it from here)
    DUMPS, FILES, FORMAT, MANIFEST, BackupRefused, pg_tool, read_manifest, verify_dump,
)
from .integrity import file_sha256, referenced_files, storage_root, stored_files

@dataclass(frozen=True)
class Restored:
    """What a restore brought back: the manifest, files restored, and files left out (no row names them)."""

    manifest: dict
    files: int
    left_out: int


def _url() -> URL:
    """The configured database URL."""
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def database_kind(url: URL) -> str:
    """sqlite or postgresql; another database has no backup here."""
    kind = url.get_backend_name()
    if kind not in DUMPS:
        raise BackupRefused("backup.database_unsupported", kind=kind)
    return kind


def sqlite_path(url: URL) -> Path:
    """The SQLite database file (an in-memory database cannot be backed up)."""
    if not url.database or url.database == ":memory:":
        raise BackupRefused("backup.sqlite_in_memory")
    return Path(url.database)


def libpq(url: URL) -> tuple[str, dict]:
    """The libpq connection URI (driver part stripped) and the environment carrying the password
    (PGPASSWORD: a password on the command line would show in the process list)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


# The refusal when a PostgreSQL tool fails, by tool.
TOOL_FAILED = {"pg_dump": "backup.pg_dump_failed", "pg_restore": "restore.pg_restore_failed"}


def _run(args: list[str], env: dict | None, tool: str) -> None:
    """Run a PostgreSQL tool; its error output becomes the refusal's message."""
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused(TOOL_FAILED[tool], output=(done.stderr or done.stdout).strip()[-2000:])


def alembic_revision() -> str:
    """The schema revision of the configured database (alembic_version)."""
    try:
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.DatabaseError as e:
        db.session.rollback()
        raise BackupRefused("backup.not_initialised") from e


def _copy_sqlite(source: Path | str, target: Path, source_uri: bool = False) -> None:
    """Copy one SQLite database into another through the online backup API: one consistent snapshot while
    other connections keep writing (in one step, so a concurrent write cannot make it start over)."""
    src = sqlite3.connect(source, timeout=60, uri=source_uri)
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def dump_database(url: URL, kind: str, target: Path) -> None:
    """Write the database's consistent copy to `target`."""
    if kind == "sqlite":
        _copy_sqlite(sqlite_path(url), target)
        return
    uri, env = libpq(url)
    _run([pg_tool("pg_dump"), "-Fc", "-f", str(target), "-d", uri], env, "pg_dump")


def copy_tree(root: Path, target: Path) -> None:
    """Copy the stored files, skipping in-flight uploads and files removed meanwhile."""
    for relative, path in stored_files(root):
        destination = target.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(path, destination)
        except FileNotFoundError:
            continue  # a refused upload removed at its request's teardown: no row names it


def catch_up(root: Path, target: Path) -> None:
    """Copy the files rows name that the tree copy missed: a row committed just before the database copy whose
    file was moved into place (after its commit) only once the tree copy had passed."""
    for relative in referenced_files():
        source, destination = root.joinpath(*relative.parts), target.joinpath(*relative.parts)
        if destination.exists() or not source.is_file():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(source, destination)
        except FileNotFoundError:
            continue
    db.session.rollback()


def _refuse_unless_empty_dir(out: Path) -> None:
    """A backup goes into a new or empty folder only: never over an earlier backup."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupRefused("backup.out_not_empty", out=out)


def backup(out: Path) -> dict:
    """Back the instance up into `out` (new or empty): database first, files after, the manifest last."""
    _refuse_unless_empty_dir(out)
    url = _url()
    kind = database_kind(url)
    revision = alembic_revision()
    db.session.rollback()  # end the read: hold nothing while the database is copied
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        return _write_backup(out, url, kind, revision)
    except BaseException:
        if created:  # leave no half backup behind (a kept one would have no manifest: restore refuses it)
            shutil.rmtree(out, ignore_errors=True)
        raise


def _write_backup(out: Path, url: URL, kind: str, revision: str) -> dict:
    """The database copy, then the files, then the manifest naming them."""
    # The operator's wall-clock time, not the app's clock (which tests freeze): when the copy was made.
    created_at = datetime.now(timezone.utc).replace(microsecond=0)
    dump = out / DUMPS[kind]
    dump_database(url, kind, dump)
    copy_tree(storage_root(), out / FILES)
    catch_up(storage_root(), out / FILES)
    files = {relative.as_posix(): file_sha256(path) for relative, path in stored_files(out / FILES)}
    manifest = {"format": FORMAT, "created_at": created_at.isoformat().replace("+00:00", "Z"), "database": kind,
                "database_file": dump.name, "database_sha256": file_sha256(dump), "alembic_revision": revision,
                "files": len(files), "file_sha256": files}
    partial = out / f"{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, out / MANIFEST)  # a backup without its manifest is incomplete: restore refuses it
    return manifest


def _revisions() -> tuple[set[str], set[str]]:
    """Every schema revision this code knows, and its heads."""
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return {r.revision for r in script.walk_revisions()}, set(script.get_heads())


def _markets_as_seeded() -> bool:
    """Whether the market table holds just the network the migration seeds, untouched (an empty instance's)."""
    rows = db.session.execute(sa.select(sa.column("name"), sa.column("level"), sa.column("area"))
                              .select_from(sa.table("market"))).all()
    return sorted(tuple(r) for r in rows) == sorted((m["name"], m["level"].value, m["area"]) for m in seed_markets())


def _table_with_rows() -> str | None:
    """The first table (other than alembic_version, and the markets as the migration seeds them) holding a row."""
    for name in sorted(sa.inspect(db.engine).get_table_names()):
        if name == "alembic_version" or (name == "market" and _markets_as_seeded()):
            continue
        if db.session.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first():
            return name
    return None


def _refuse_unless_empty_instance() -> None:
    """A restore goes into an empty instance only: no row in the database, no file in the storage folder."""
    table = _table_with_rows()
    db.session.rollback()
    if table:
        raise BackupRefused("restore.database_not_empty", table=table)
    root = storage_root()
    if any(names for _, _, names in os.walk(root)):
        raise BackupRefused("restore.storage_not_empty", root=root)


def load_database(url: URL, kind: str, dump: Path) -> None:
    """Bring the copy into the configured (empty) database."""
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(f"file:{quote(str(dump))}?immutable=1", target, source_uri=True)
    else:
        uri, env = libpq(url)
        # Fail rather than wait forever when another connection (an app server left running) holds a table.
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=30s".strip()
        _run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error",
              "--single-transaction", "-d", uri, str(dump)], env, "pg_restore")
    db.engine.dispose()


def restore_files(source: Path, root: Path) -> tuple[int, int]:
    """Copy back the backed-up files a restored row names; the others (committed after the database copy, or
    never committed) are left out. Returns (restored, left out)."""
    named = referenced_files()
    restored = left_out = 0
    for relative, path in (stored_files(source) if source.is_dir() else ()):
        if relative not in named:
            left_out += 1
            continue
        destination = root.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        restored += 1
    return restored, left_out


def restore(source: Path) -> Restored:
    """Restore a backup into this EMPTY instance: the database, migrated to this code's schema, then the files.
    Everything is checked before the instance is touched: a refused restore leaves it as empty as it was."""
    manifest = read_manifest(source)
    url = _url()
    kind = database_kind(url)
    if manifest["database"] != kind:
        raise BackupRefused("restore.database_kind", backup=manifest["database"], kind=kind)
    known, heads = _revisions()
    if manifest.get("alembic_revision") not in known:
        raise BackupRefused("restore.revision_unknown", revision=manifest.get("alembic_revision"))
    verify_dump(kind, source / manifest["database_file"])
    _refuse_unless_empty_instance()
    load_database(url, kind, source / manifest["database_file"])
    if manifest["alembic_revision"] not in heads:
        from flask_migrate import upgrade

        upgrade()  # a backup from an older version: bring its schema to this code's
    restored, left_out = restore_files(source / FILES, storage_root())
    return Restored(manifest, restored, left_out)
