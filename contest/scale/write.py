"""Bulk writing of a generated edition: Core INSERTs in batches, the stored files, PostgreSQL's sequences.

The services are far too slow for ~900,000 rows (one ORM object, one audit event, several queries each);
here each table goes in with `session.execute(insert(Model), rows)` a few thousand rows at a time, with
the primary keys the generator chose from the database's highest ones.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import (
    Assignment, Bid, Contract, Edition, FirmConfirmation, Instalment, MilestoneAcceptance, Need, NeedReview, Notice,
    Organization, Payment, ScoreItem, ScoreSheet, Team, TeamMember, User,
)
from .plan import Table

BATCH = 5000
# The tables whose integer primary key the generator hands out (and PostgreSQL's sequences follow).
NUMBERED = (Edition, Organization, User, Team, TeamMember, Need, NeedReview, Bid, Assignment, ScoreSheet,
            ScoreItem, FirmConfirmation, Notice, Contract, Instalment, MilestoneAcceptance, Payment)
CHUNK = 500   # names looked up at a time when checking for collisions


def edition_exists(code: str) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Edition.id)).where(Edition.code == code)) > 0


def highest_ids() -> dict[str, int]:
    """Each numbered table's highest id (0 when empty): the generator numbers its rows from there."""
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.max(model.id))) or 0 for model in NUMBERED}


def _taken(column, values: list[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(values), CHUNK):
        found += db.session.scalars(sa.select(column).where(column.in_(values[start:start + CHUNK])))
    return found


def collisions(tables: Iterable[Table]) -> list[str]:
    """Usernames, organization names and credit codes of the generated rows that the database already has."""
    by_model = {t.model: t for t in tables}
    found = _taken(User.username, by_model[User].column("username"))
    found += _taken(Organization.name, by_model[Organization].column("name"))
    found += _taken(Organization.credit_code, by_model[Organization].column("credit_code"))
    return found


def insert(table: Table) -> None:
    """The table's rows, BATCH at a time, through SQLAlchemy's bulk INSERT (executemany, no RETURNING)."""
    statement = sa.insert(table.model)
    for start in range(0, len(table.rows), BATCH):
        db.session.execute(statement, table.dicts(start, start + BATCH))


def follow_sequences() -> None:
    """On PostgreSQL, move each table's id sequence past the ids written here (SQLite needs nothing)."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in NUMBERED:   # table names from the models, never from input
        name = model.__tablename__
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            f"FROM {name}"))


def write_files(files: list[tuple[str, str, bytes]], written: list[Path],
                progress: Callable[[int], None] | None = None) -> None:
    """Store the files under UPLOAD_FOLDER/<folder>/<name> (4 threads: the writes wait on the disk); every
    path written is appended to `written` so that the caller can remove them if the transaction fails."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    for folder in {folder for folder, _, _ in files}:
        (root / folder).mkdir(parents=True, exist_ok=True)

    def store(item: tuple[str, str, bytes]) -> Path:
        folder, name, content = item
        path = root / folder / name
        with open(path, "xb") as out:   # never over an existing file
            written.append(path)
            out.write(content)
        return path

    with ThreadPoolExecutor(max_workers=4) as pool:  # leaving the block waits for every write
        for n, _path in enumerate(pool.map(store, files), start=1):
            if progress is not None and n % 5000 == 0:
                progress(n)
    os.sync()  # once for all: the rows are committed right after


def remove_files(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
