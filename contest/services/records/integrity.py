"""The integrity check (`flask --app contest check`): the invariants a crash, an intruder or a bad restore
could break. Each check is a function returning the violations it finds, each naming its object.

The checks read the database in a fixed number of queries each (rows streamed, not loaded per object) and
hash files in chunks, so memory and query count do not grow with the number of bids.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import InstrumentedAttribute, aliased

from ...domain.conflicts import bid_conflict_orgs, is_conflicted
from ...domain.contracts import ContractStatus
from ...domain.refusals import Phrase
from ...domain.rubric import Round
from ...domain.states import AssignmentStatus, BidStatus, NeedStatus, SheetStatus
from ...extensions import db
from ...models import (
    Assignment, Bid, Contract, DeclaredConflict, Instalment, Need, Objection, Organization, PanelMember, ScoreSheet,
    Team, TeamMember, User,
)
from .chain import verify_append_only, verify_chain
from .violations import Violation

CHUNK = 1024 * 1024  # bytes hashed at a time
BATCH = 100          # rows fetched at a time when a row carries a whole PDF or a file is read per row
CENT = Decimal("0.01")


@dataclass(frozen=True)
class StoredFiles:
    """A column naming files stored under UPLOAD_FOLDER/<folder>, with the column holding their SHA-256."""

    folder: str
    what: Phrase
    kind: str
    id_column: InstrumentedAttribute
    name_column: InstrumentedAttribute
    sha_column: InstrumentedAttribute
    number_column: InstrumentedAttribute | None = None  # shown beside the id, e.g. a contract's number


STORED_FILES = (
    StoredFiles("bids", Phrase("check.file.bid"), "bid", Bid.id, Bid.pdf_stored_name, Bid.pdf_sha256),
    StoredFiles("contracts", Phrase("check.file.scan"), "contract", Contract.id, Contract.signed_scan_name,
                Contract.signed_scan_sha256, Contract.number),
    StoredFiles("objections", Phrase("check.file.objection"), "objection", Objection.id,
                Objection.evidence_stored_name, Objection.evidence_sha256),
)


def storage_root() -> Path:
    """The folder holding every stored file (UPLOAD_FOLDER, i.e. STORAGE_DIR/uploads)."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def in_flight(relative: PurePosixPath) -> bool:
    """A temporary file of an upload still being written: `*.part`, anything under a `tmp/` folder, or the
    start-up write probe (`.write-test-<pid>`). It belongs to no row yet and is neither checked nor backed up."""
    return (relative.suffix == ".part" or "tmp" in relative.parts[:-1]
            or relative.name.startswith(".write-test-"))


def stored_files(root: Path) -> Iterator[tuple[PurePosixPath, Path]]:
    """Every regular file under the storage root except in-flight ones: (path relative to root, full path)."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if not in_flight(relative) and path.is_file():
                yield relative, path


def _subject(kind: str, row_id: int, number: str | None = None) -> str:
    """How a violation names its row: "bid 17", "contract 3 (CIC8-NB-2024-001)"."""
    return f"{kind} {row_id}" + (f" ({number})" if number else "")


def _plain_name(name: str) -> bool:
    """A bare file name (a name with a path in it would reach outside its folder)."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name


def row_files_present() -> list[Violation]:
    """Every row naming a stored file has that file, with the bytes its recorded SHA-256 says."""
    found: list[Violation] = []
    root = storage_root()
    for kind in STORED_FILES:
        number = kind.number_column if kind.number_column is not None else sa.null()
        rows = db.session.execute(
            sa.select(kind.id_column, kind.name_column, kind.sha_column, number)
            .where(kind.name_column.is_not(None)).order_by(kind.id_column).execution_options(yield_per=BATCH))
        for row_id, name, sha, label in rows:
            subject = _subject(kind.kind, row_id, label)
            if not _plain_name(name):
                found.append(Violation(subject, "check.file.bad_name", {"what": kind.what, "name": repr(name)}))
                continue
            path = root / kind.folder / name
            if not path.is_file():
                found.append(Violation(subject, "check.file.missing", {"what": kind.what, "path": path}))
            elif sha and file_sha256(path) != sha:
                found.append(Violation(subject, "check.file.altered", {"what": kind.what, "path": path}))
    return found


def referenced_files() -> set[PurePosixPath]:
    """The stored files the rows name, relative to the storage root (one query per file column)."""
    named: set[PurePosixPath] = set()
    for kind in STORED_FILES:
        names = db.session.scalars(sa.select(kind.name_column).where(kind.name_column.is_not(None)))
        named.update(PurePosixPath(kind.folder, n) for n in names if _plain_name(n))
    return named


def files_without_rows() -> list[Violation]:
    """Every file in the storage folder belongs to a row. In-flight uploads are ignored: names ending in
    `.part` and anything under a `tmp/` folder (see in_flight)."""
    files = list(stored_files(storage_root()))  # listed before the rows are read: a file moved into place
    named = referenced_files()                   # after its row committed is then always matched
    return [Violation(f"file {relative}", "check.file.without_row", {"path": path})
            for relative, path in files if relative not in named]


def one_winner_per_need() -> list[Violation]:
    """A need has at most one winning bid (挑战第一名); an awarded need has one, and a winner's need is awarded."""
    rows = db.session.execute(
        sa.select(Need.id, Need.status, Bid.id)
        .outerjoin(Bid, sa.and_(Bid.need_id == Need.id, Bid.status == BidStatus.WINNER))
        .where(sa.or_(Need.status == NeedStatus.AWARDED, Bid.id.is_not(None)))
        .order_by(Need.id, Bid.id))
    found: list[Violation] = []
    for need_id, group in groupby(rows, key=lambda r: r[0]):
        group = list(group)
        status, winners = group[0][1], [r[2] for r in group if r[2] is not None]
        subject = f"need {need_id}"
        if len(winners) > 1:
            listed = ", ".join(f"bid {w}" for w in winners)
            found.append(Violation(subject, "check.need.winners", {"count": len(winners), "bids": listed}))
        if not winners:
            found.append(Violation(subject, "check.need.no_winner"))
        elif status != NeedStatus.AWARDED:
            found.append(Violation(subject, "check.need.not_awarded", {"bid": winners[0], "status": status.value}))
    return found




def instalments_match_totals() -> list[Violation]:
    """Every contract's instalments add up to its total amount (compared to the cent)."""
    rows = db.session.execute(
        sa.select(Contract.id, Contract.number, Contract.total_amount, sa.func.sum(Instalment.amount))
        .outerjoin(Instalment, Instalment.contract_id == Contract.id)
        .group_by(Contract.id, Contract.number, Contract.total_amount)
        .order_by(Contract.id))
    found: list[Violation] = []
    for contract_id, number, total, paid in rows:
        total = Decimal(str(total)).quantize(CENT)
        paid = Decimal(str(paid or 0)).quantize(CENT)  # SQLite sums Numeric as floats: compare to the cent
        if paid != total:
            found.append(Violation(_subject("contract", contract_id, number),
                                   "check.contract.instalments", {"paid": f"{paid:,.2f}", "total": f"{total:,.2f}"}))
    return found


def issued_pdfs_match() -> list[Violation]:
    """Every issued contract's frozen PDF (kept in the database) still has the SHA-256 recorded at issue."""
    rows = db.session.execute(
        sa.select(Contract.id, Contract.number, Contract.pdf, Contract.pdf_sha256)
        .where(Contract.status != ContractStatus.DRAFT).order_by(Contract.id)
        .execution_options(yield_per=BATCH))
    found: list[Violation] = []
    for contract_id, number, pdf, sha in rows:
        subject = _subject("contract", contract_id, number)
        if pdf is None:
            found.append(Violation(subject, "check.contract.pdf_missing"))
        elif hashlib.sha256(pdf).hexdigest() != sha:
            found.append(Violation(subject, "check.contract.pdf_altered"))
    return found


def _bid_orgs(bid_ids: sa.Select) -> dict[int, tuple[str, list[str], str]]:
    """Per bid: its team's lead organization, its members' organizations and the firm (three queries)."""
    lead, firm = aliased(Organization), aliased(Organization)
    rows = db.session.execute(
        sa.select(Bid.id, Bid.team_id, lead.name, firm.name)
        .join(Team, Team.id == Bid.team_id).join(lead, lead.id == Team.lead_org_id)
        .join(Need, Need.id == Bid.need_id).join(firm, firm.id == Need.firm_org_id)
        .where(Bid.id.in_(bid_ids)))
    heads = {bid_id: (team_id, lead_name, firm_name) for bid_id, team_id, lead_name, firm_name in rows}
    members: dict[int, list[str]] = {}
    for team_id, org_name in db.session.execute(
            sa.select(TeamMember.team_id, TeamMember.organization_name)
            .where(TeamMember.team_id.in_(sorted({t for t, _, _ in heads.values()})))):
        members.setdefault(team_id, []).append(org_name)
    return {b: (lead_name, members.get(t, []), firm_name) for b, (t, lead_name, firm_name) in heads.items()}


def _judges(judge_ids: sa.Select) -> tuple[dict[int, str | None], dict[int, frozenset[str]]]:
    """Each judge's own organization and declared conflict organizations (two queries)."""
    own = dict(db.session.execute(
        sa.select(User.id, Organization.name).outerjoin(Organization, Organization.id == User.org_id)
        .where(User.id.in_(judge_ids))).all())
    declared: dict[int, set[str]] = {}
    for judge_id, name in db.session.execute(
            sa.select(DeclaredConflict.judge_id, Organization.name)
            .join(Organization, Organization.id == DeclaredConflict.org_id)
            .where(DeclaredConflict.judge_id.in_(judge_ids))):
        declared.setdefault(judge_id, set()).add(name)
    return own, {j: frozenset(names) for j, names in declared.items()}


def no_sheet_on_conflicted_pair() -> list[Violation]:
    """No submitted score sheet by a judge who must not score that bid: own or declared organization touching
    it (services.conflicts' rule; a need's firm representative only against the teams' organizations), or
    recused from it. Drafts are left out: a draft kept after a recusal no longer counts (assignments.py)."""
    submitted = ScoreSheet.status == SheetStatus.SUBMITTED
    bids = _bid_orgs(sa.select(ScoreSheet.bid_id).where(submitted))
    own, declared = _judges(sa.select(ScoreSheet.judge_id).where(submitted))
    recused = {(b, j) for b, j in db.session.execute(
        sa.select(Assignment.bid_id, Assignment.judge_id).where(Assignment.status == AssignmentStatus.RECUSED))}
    firm_reps = {(n, u) for n, u in db.session.execute(
        sa.select(PanelMember.need_id, PanelMember.user_id).where(PanelMember.firm_representative))}
    rows = db.session.execute(
        sa.select(ScoreSheet.id, ScoreSheet.bid_id, ScoreSheet.judge_id, ScoreSheet.round, Bid.need_id)
        .join(Bid, Bid.id == ScoreSheet.bid_id).where(submitted).order_by(ScoreSheet.id))
    found: list[Violation] = []
    for sheet_id, bid_id, judge_id, round_, need_id in rows:
        lead, members, firm = bids[bid_id]
        firm_rep = round_ == Round.ONSITE and (need_id, judge_id) in firm_reps
        touched = bid_conflict_orgs(lead, members, "" if firm_rep else firm)
        subject = f"score sheet {sheet_id} (bid {bid_id}, judge {judge_id})"
        if is_conflicted(own.get(judge_id), declared.get(judge_id, frozenset()), touched):
            found.append(Violation(subject, "check.sheet.conflicted"))
        elif round_ == Round.ONLINE and (bid_id, judge_id) in recused:
            found.append(Violation(subject, "check.sheet.recused"))
    return found


Check = Callable[[], list[Violation]]
CHECKS: tuple[Check, ...] = (
    row_files_present, files_without_rows, one_winner_per_need, instalments_match_totals, issued_pdfs_match,
    no_sheet_on_conflicted_pair, verify_chain, verify_append_only,
)


def run_checks(checks: tuple[Check, ...] = CHECKS) -> list[Violation]:
    """Run every check; the violations in check order."""
    return [violation for check in checks for violation in check()]
