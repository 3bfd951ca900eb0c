"""seed-scale at a small size: a consistent edition (what the services would have made), the same rows for
the same seed, and every benchmarked page's statement count equal at two sizes of the generator.

Each size is seeded once per module into a fresh database of its own (databases.fresh), on SQLite or on
PostgreSQL like the rest of the suite.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain.contracts import ContractStatus, contract_number
from contest.domain.rubric import Round
from contest.domain.scoring import select_finalists
from contest.domain.states import AssignmentStatus, BidStatus, EditionStage, FirmDecision, NeedStatus, Role, SheetStatus
from contest.extensions import db as _db
from contest.models import (
    Assignment, Bid, Contract, Edition, FirmConfirmation, Instalment, Need, Organization, PanelMember, Rubric,
    RubricCriterion, ScoreItem, ScoreSheet, User,
)
from contest.scale.pages import PAGE_KEYS, sample_pages
from contest.scale.plan import PASSWORD
from contest.services.contracts.drafting import snapshot
from contest.services.judging.conflicts import bid_orgs, declared_orgs
from contest.services.judging.standings import edition_standings
from contest.services.records.integrity import run_checks
from tests.conftest import DEMO_NOW, FreshRequestClient

CODE = "SCALE-T"
SMALL = ["--needs", "12", "--bids", "60", "--judges", "15", "--teams", "30", "--contracts", "5"]
LARGER = ["--needs", "30", "--bids", "200", "--judges", "20", "--teams", "50", "--contracts", "12"]
# Lists are paginated at both sizes (a first page that is not full runs one statement less).
PAGE_SIZE = 4
# Pages whose statement count still grows with the data: others are making them constant. Each is only
# required to answer 200 until then; take a page off this list once its count is the same at both sizes.
NOT_YET_CONSTANT: set[str] = set()
# What differs between two runs with the same seed: hashes with a random salt, random tokens, and the
# contract PDFs that print their token's QR code.
RANDOM_COLUMNS = {"user_account": {"password_hash"}, "contract": {"verify_token", "pdf", "pdf_sha256"}}
GENERATED_TABLES = ("edition", "rubric", "rubric_criterion", "organization", "user_account", "team", "team_member",
                    "judge_expertise", "declared_conflict", "need", "need_review", "bid", "assignment",
                    "score_sheet", "score_item", "panel_member", "firm_confirmation", "notice", "contract",
                    "instalment", "milestone_acceptance", "payment")


@contextmanager
def seeded_scale(folder: Path, databases, sizes: list[str]):
    """An app on a fresh database holding a generated edition; yields (app, the command's output)."""
    url = databases.fresh(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTEST_INSTANCE", str(folder / "instance"))
        patch.delenv("DATABASE_URL", raising=False)
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(folder / "uploads"),
                          "FROZEN_NOW": DEMO_NOW, "RATELIMIT_ENABLED": False, "PAGE_SIZE": PAGE_SIZE})
        app.test_client_class = FreshRequestClient
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["seed-scale", "--code", CODE, "--seed", "7",
                                                        "--rendered-pdfs", "1", *sizes])
            assert result.exit_code == 0, result.output
            _db.session.remove()
        yield app, result.output
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="module")
def small_app(tmp_path_factory, databases):
    with seeded_scale(tmp_path_factory.mktemp("scale-small"), databases, SMALL) as seeded:
        yield seeded


@pytest.fixture(scope="module")
def twin_app(tmp_path_factory, databases):
    with seeded_scale(tmp_path_factory.mktemp("scale-twin"), databases, SMALL) as seeded:
        yield seeded


@pytest.fixture(scope="module")
def larger_app(tmp_path_factory, databases):
    with seeded_scale(tmp_path_factory.mktemp("scale-larger"), databases, LARGER) as seeded:
        yield seeded


@pytest.fixture
def small(small_app):
    app, output = small_app
    with app.app_context():
        yield app, output
        _db.session.remove()


def _edition() -> Edition:
    return _db.session.scalar(sa.select(Edition).where(Edition.code == CODE))


def _rows(app) -> dict[str, list[tuple]]:
    """Every generated table's rows by primary key, without the columns that are random by design."""
    with app.app_context():
        meta = _db.metadata
        found = {}
        for name in (*GENERATED_TABLES, "published_standing"):
            if name not in meta.tables:   # (standings frozen at publication, in the versions that have them)
                continue
            table = meta.tables[name]
            columns = [c for c in table.columns if c.name not in RANDOM_COLUMNS.get(name, ())]
            rows = _db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            found[name] = [tuple(str(v) for v in row) for row in rows]
        _db.session.remove()
    return found


def _files(app) -> dict[str, str]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.pdf")) if "tmp" not in p.parts}


def test_same_seed_same_rows_and_files(small_app, twin_app):
    small, twin = _rows(small_app[0]), _rows(twin_app[0])
    assert {name: len(rows) for name, rows in small.items()} == {name: len(rows) for name, rows in twin.items()}
    for name in small:
        assert small[name] == twin[name], name
    assert _files(small_app[0]) == _files(twin_app[0])
    assert small["score_item"] and small["contract"]


def test_the_summary_tells_each_kind_and_the_time(small):
    _app, output = small
    assert "评分项：" in output and "合同 PDF：用正式模板生成 1 份" in output and "完成：共" in output
    again = _app.test_cli_runner().invoke(args=["seed-scale", "--code", CODE, *SMALL])
    assert again.exit_code != 0 and f"届次 {CODE} 已存在" in again.output


def test_the_integrity_check_finds_nothing(small):
    assert run_checks() == []


def test_organizations_have_valid_unique_credit_codes(small):
    codes = list(_db.session.scalars(sa.select(Organization.credit_code)))
    assert codes and all(uscc.is_valid(code) for code in codes) and len(set(codes)) == len(codes)


def test_every_bid_has_five_unconflicted_judges_or_is_short(small):
    judges = list(_db.session.scalars(sa.select(User).where(User.role == Role.JUDGE)))
    declared = declared_orgs([j.id for j in judges])
    active = defaultdict(set)
    for bid_id, judge_id in _db.session.execute(sa.select(Assignment.bid_id, Assignment.judge_id)
                                                .where(Assignment.status == AssignmentStatus.ASSIGNED)):
        active[bid_id].add(judge_id)
    judged = list(_db.session.scalars(sa.select(Bid).join(Need).where(
        Need.edition_id == _edition().id, Bid.status.in_((BidStatus.FINALIST, BidStatus.WINNER,
                                                          BidStatus.NOT_SELECTED)))))
    assert judged
    for bid in judged:
        touched = bid_orgs(bid)
        eligible = {j.id for j in judges if not ((j.organization and j.organization.name in touched)
                                                 or declared[j.id] & touched)}
        assert active[bid.id] <= eligible, bid.id
        assert len(active[bid.id]) == min(5, len(eligible)), bid.id


def test_sheets_have_one_item_per_criterion_of_their_round(small):
    criteria = defaultdict(set)
    for round_, criterion_id in _db.session.execute(
            sa.select(Rubric.round, RubricCriterion.id).join(RubricCriterion)
            .where(Rubric.edition_id == _edition().id)):
        criteria[round_].add(criterion_id)
    items = defaultdict(list)
    for sheet_id, criterion_id, points in _db.session.execute(
            sa.select(ScoreItem.sheet_id, ScoreItem.criterion_id, ScoreItem.points)):
        items[sheet_id].append(criterion_id)
        assert isinstance(points, Decimal) and points == points.quantize(Decimal("0.1"))
    sheets = _db.session.execute(sa.select(ScoreSheet.id, ScoreSheet.round, ScoreSheet.status)).all()
    assert {s.round for s in sheets} == {Round.ONLINE, Round.ONSITE}
    for sheet_id, round_, status in sheets:
        assert status == SheetStatus.SUBMITTED
        assert sorted(items[sheet_id]) == sorted(criteria[round_]), sheet_id


def test_contracts_are_issued_like_the_services_issue_them(small):
    edition = _edition()
    contracts = list(_db.session.scalars(sa.select(Contract).order_by(Contract.sequence)))
    assert [c.sequence for c in contracts] == list(range(1, 6))
    for contract in contracts:
        assert contract.number == contract_number(CODE, edition.year, contract.sequence)
        assert contract.version == 1 and contract.issued_at and contract.pdf.startswith(b"%PDF")
        assert contract.status in (ContractStatus.ISSUED, ContractStatus.SIGNED)
        assert (contract.signed_on is not None) == (contract.status == ContractStatus.SIGNED)
        assert sum(i.amount for i in contract.instalments) == contract.total_amount
        assert json.loads(contract.party_a) == snapshot(contract.need.firm)
        assert json.loads(contract.party_b) == snapshot(contract.bid.team.lead_org)
        assert contract.bid.status == BidStatus.WINNER and contract.need.status == NeedStatus.AWARDED
        assert contract.total_amount == contract.bid.price_wan * 10000
        assert sum((p.amount for p in contract.payments), Decimal(0)) <= contract.total_amount
    assert _db.session.scalar(sa.select(sa.func.count(Instalment.id))) >= 2 * len(contracts)


def test_results_are_ranked_as_the_standings_rank_them(small):
    edition = _edition()
    assert edition.stage == EditionStage.RESULTS and edition.results_published_at
    outcomes = defaultdict(int)
    for standing in edition_standings(edition):
        need, bids = standing.need, standing.bids
        online = [b.online_entry() for b in bids if b.online is not None]
        chosen = select_finalists(online, n=3, qualifying=Decimal("60")) if online else None
        expected = set(chosen.bids) if chosen and not chosen.failed else set()
        assert {b.bid.id for b in bids if b.finalist} == expected, need.id
        decision = _db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == need.id))
        if need.status == NeedStatus.AWARDED:
            first = [b for b in standing.finalists if b.rank.rank == 1]
            assert standing.panel_complete and len(first) == 1
            assert standing.winner is first[0] and decision.bid_id == standing.winner.bid.id
            assert len(standing.experts) == 3 and standing.firm_representative is not None
            outcomes["awarded"] += 1
        else:
            assert need.status == NeedStatus.FAILED and standing.winner is None
            declined = decision is not None and decision.decision == FirmDecision.DECLINE
            outcomes["declined" if declined else "below 60" if bids else "no bid"] += 1
    assert outcomes["awarded"] and outcomes["below 60"] and outcomes["no bid"], dict(outcomes)
    panels = _db.session.scalar(sa.select(sa.func.count()).select_from(PanelMember))
    assert panels == 4 * outcomes["awarded"] + 4 * outcomes["declined"]


def _statement_counts(app) -> dict[str, tuple[int, int]]:
    """Each sample page's (status, SQL statements of one request), logged in as the page's account."""
    counted = [0]

    def count(*_args) -> None:
        counted[0] += 1

    found = {}
    with app.app_context():
        pages = sample_pages(CODE)
        _db.session.remove()
        clients: dict = {}
        sa.event.listen(_db.engine, "before_cursor_execute", count)
        try:
            for page in pages:
                client = clients.get(page.username)
                if client is None:
                    client = clients[page.username] = app.test_client()
                    if page.username:
                        response = client.post("/auth/login", data={"username": page.username, "password": PASSWORD})
                        assert response.status_code == 302, page.username
                client.get(page.path)   # warm: whatever is done once per process is not counted
                counted[0] = 0
                response = client.get(page.path)
                found[page.key] = (response.status_code, counted[0])
                _db.session.remove()
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", count)
    return found


@pytest.fixture(scope="module")
def statement_counts(small_app, larger_app):
    return _statement_counts(small_app[0]), _statement_counts(larger_app[0])


def test_every_page_of_the_list_is_sampled(statement_counts):
    small, larger = statement_counts
    assert list(small) == list(PAGE_KEYS) == list(larger)


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_statements_per_page_do_not_grow_with_the_data(statement_counts, key):
    small, larger = statement_counts
    assert small[key][0] == 200 and larger[key][0] == 200
    if key not in NOT_YET_CONSTANT:
        assert small[key][1] == larger[key][1], f"{key}: {small[key][1]} statements, then {larger[key][1]}"
