"""What a backup folder holds, and what restore checks of it before it touches the instance: the manifest
(format 2) names the database copy and every stored file with its SHA-256; every name must stay inside the
backup folder (no path separator in the database file's name, no "..", no absolute path, no link leading
out), the file count and every SHA-256 must match, and the database copy must read whole. A damaged backup is
refused (BackupRefused) with the instance left as it was."""
from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from ...domain.errors import DomainError
from .integrity import file_sha256, stored_files

MANIFEST = "manifest.json"
FORMAT = 2  # the manifest lists every stored file with its SHA-256 (format 1 had only their count)
FILES = "uploads"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.dump"}


class BackupRefused(DomainError):
    """A backup or restore that must not go on: a message id of the refusal texts says why."""


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: the newest of /usr/lib/postgresql/*/bin first (Debian), then PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key) or [shutil.which(name)]
    if not found[-1]:
        raise BackupRefused("backup.pg_tool_missing", tool=name)
    return found[-1]


def _version_key(path: str) -> tuple[int, ...]:
    """/usr/lib/postgresql/15/bin/pg_dump -> (15,): the newest major version sorts last."""
    version = Path(path).parts[-3]
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def inside(folder: Path, name: object, *, nested: bool = False) -> Path:
    """The path a manifest's file name names in `folder`, refused unless it stays inside: a relative name of
    plain parts (split by "/" only when `nested`), no "..", no backslash, and no link leading out."""
    parts = name.split("/") if isinstance(name, str) and nested else [name]
    if not all(isinstance(part, str) and part not in ("", ".", "..") and "/" not in part and "\\" not in part
               and "\0" not in part for part in parts):  # an absolute name has a "/" (or an empty first part)
        raise BackupRefused("restore.outside_backup", name=repr(name))
    path = folder.joinpath(*parts)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise BackupRefused("restore.outside_backup", name=repr(name))
    return path


def read_manifest(source: Path) -> dict:
    """The backup's manifest, after checking that every file it names is inside the backup and whole (its
    SHA-256), and that the backup holds exactly the stored files the manifest lists."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupRefused("restore.manifest_unreadable", source=source, manifest=MANIFEST) from e
    if not isinstance(manifest, dict):
        raise BackupRefused("restore.manifest_unreadable", source=source, manifest=MANIFEST)
    if manifest.get("format") != FORMAT:
        raise BackupRefused("restore.manifest_format", format=repr(manifest.get("format")))
    if not isinstance(manifest.get("file_sha256"), dict):
        raise BackupRefused("restore.manifest_unreadable", source=source, manifest=MANIFEST)
    dump = inside(source, manifest.get("database_file"))
    if manifest.get("database") not in DUMPS or not dump.is_file():
        raise BackupRefused("restore.dump_missing", source=source)
    if file_sha256(dump) != manifest.get("database_sha256"):
        raise BackupRefused("restore.dump_altered", dump=dump)
    verify_files(source / FILES, manifest)
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    """The backed-up stored files are the manifest's: as many, the same names, each with its SHA-256."""
    listed = {name: inside(folder, name, nested=True) for name in manifest["file_sha256"]}
    found = {relative.as_posix() for relative, _ in stored_files(folder)}
    if manifest.get("files") != len(found):
        raise BackupRefused("restore.file_count", expected=manifest.get("files"), found=len(found))
    for name, path in listed.items():
        if name not in found or not path.is_file():
            raise BackupRefused("restore.file_missing", path=path)
        if file_sha256(path) != manifest["file_sha256"][name]:
            raise BackupRefused("restore.file_altered", path=path)
    unlisted = sorted(found - listed.keys())
    if unlisted:
        raise BackupRefused("restore.file_unlisted", path=folder / unlisted[0])


def verify_dump(kind: str, dump: Path) -> None:
    """The database copy reads whole: SQLite's integrity check passes, or pg_restore reads every entry."""
    if kind == "sqlite":
        try:
            with closing(sqlite3.connect(f"file:{quote(str(dump))}?immutable=1&mode=ro", uri=True)) as copy:
                problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as e:
            problems = [str(e)]
        if problems != ["ok"]:
            raise BackupRefused("restore.dump_damaged", dump=dump, output="; ".join(problems)[:2000])
        return
    done = subprocess.run([pg_tool("pg_restore"), "--file", os.devnull, str(dump)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused("restore.dump_damaged", dump=dump, output=(done.stderr or done.stdout).strip()[-2000:])
