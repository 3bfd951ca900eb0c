"""After the load: is every bid and sheet the clients were told was saved in the database, intact on disk?

Run inside an app context on the benchmark's database. A bid is lost when its row is missing, not
submitted, or not the team's; damaged when the stored PDF is missing or its size or SHA-256 differs
from what the client sent. Bids saved although the client saw no confirmation, stored files without a
row and half-written (.part) files are counted too.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa

from contest.domain.rubric import Round
from contest.domain.states import BidStatus, SheetStatus
from contest.extensions import db
from contest.models import Bid, Edition, Need, ScoreSheet, Team, User
from contest.services.files import uploads


def _file_sha256(path: Path) -> str | None:
    """The hex SHA-256 of a stored file, or None when it is missing."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _bid_problem(sent: dict, row: tuple | None) -> str | None:
    """What is wrong with one confirmed bid (None: all is well)."""
    if row is None:
        return "lost: no row"
    bid, owner = row
    if owner != sent["team"] or bid.need_id != sent["need_id"]:
        return f"lost: row {bid.id} belongs to {owner} / need {bid.need_id}"
    if bid.status != BidStatus.SUBMITTED:
        return f"lost: status {bid.status.value}"
    if bid.pdf_size != sent["size"] or bid.pdf_sha256 != sent["sha256"]:
        return "damaged: the row's size or SHA-256 differs from the file sent"
    on_disk = _file_sha256(uploads.path_of(bid.pdf_stored_name)) if bid.pdf_stored_name else None
    if on_disk is None:
        return "damaged: the stored file is missing"
    if on_disk != sent["sha256"]:
        return "damaged: the stored file differs from the file sent"
    return None


def check_bids(confirmed: list[dict], edition_code: str) -> dict:
    """Confirmed bids against the rows and files; the edition's bids nobody was told about."""
    ids = [b["bid_id"] for b in confirmed]
    rows = {bid.id: (bid, username) for bid, username in db.session.execute(
        sa.select(Bid, User.username).join(Team, Team.id == Bid.team_id).join(User, User.id == Team.owner_id)
        .where(Bid.id.in_(ids)))} if ids else {}
    problems = {}
    for sent in confirmed:
        problem = _bid_problem(sent, rows.get(sent["bid_id"]))
        if problem:
            problems[sent["bid_id"]] = f"{sent['team']}: {problem}"
    in_edition = set(db.session.scalars(sa.select(Bid.id).join(Need, Need.id == Bid.need_id)
                                        .join(Edition, Edition.id == Need.edition_id)
                                        .where(Edition.code == edition_code)))
    return {"confirmed": len(confirmed), "intact": len(confirmed) - len(problems),
            "lost": sum(p.split(": ")[1].startswith("lost") for p in problems.values()),
            "damaged": sum(p.split(": ")[1].startswith("damaged") for p in problems.values()),
            "problems": problems, "rows_in_edition": len(in_edition),
            "saved_unconfirmed": sorted(in_edition - set(ids))}


def check_sheets(confirmed: list[dict]) -> dict:
    """Sheets the judges were told were submitted, against the submitted online sheets in the database."""
    submitted = set(db.session.execute(
        sa.select(User.username, ScoreSheet.bid_id).join(User, User.id == ScoreSheet.judge_id)
        .where(ScoreSheet.round == Round.ONLINE, ScoreSheet.status == SheetStatus.SUBMITTED)).all())
    told = {(s["judge"], s["bid_id"]) for s in confirmed}
    return {"confirmed": len(confirmed), "lost": sorted(f"{j} #{b}" for j, b in told - submitted),
            "submitted_in_db": len(submitted), "submitted_unconfirmed": len(submitted - told)}


def check_storage() -> dict:
    """Stored bid files without a row, rows without a file, and half-written files left behind."""
    folder = uploads.folder()
    names = set(db.session.scalars(sa.select(Bid.pdf_stored_name).where(Bid.pdf_stored_name.is_not(None))))
    files = {p.name for p in folder.iterdir() if p.is_file()}
    return {"orphan_files": sorted(f for f in files - names if f.endswith(".pdf")),
            "partial_files": sorted(f for f in files if not f.endswith(".pdf")),
            "rows_without_file": sorted(names - files)}


def verify(outcome: dict, edition_code: str) -> dict:
    """Every check, in one dict for the report."""
    return {"bids": check_bids(outcome["bids"], edition_code), "sheets": check_sheets(outcome["sheets"]),
            "storage": check_storage()}
