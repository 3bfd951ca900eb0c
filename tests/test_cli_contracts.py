"""flask print-contracts (the batch PDF of an edition's issued contracts) and flask stats (its figures)."""
from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from contest.domain.contracts import ContractStatus
from contest.domain.states import BidStatus, NeedStatus, Role
from contest.extensions import db as _db
from contest.models import Contract
from tests.conftest import seeded_demo
from tests.test_statistics import add_contract, blank_pdf, pay


@pytest.fixture
def contracts(db, edition, make_user, make_need, make_bid):
    """Three live contracts added out of order (003, 001, 002: signed, issued, signed), with 3, 1 and 2 pages
    of widths 203, 201, 202; a void version and a draft, which are not printed."""
    organizer = make_user(Role.ORGANIZER)
    made = {}
    for sequence, status, pages, amount in ((3, ContractStatus.SIGNED, 3, "30000000.00"),
                                            (1, ContractStatus.ISSUED, 1, "17500000.00"),
                                            (2, ContractStatus.SIGNED, 2, "25000000.00")):
        bid = make_bid(make_need(status=NeedStatus.AWARDED), status=BidStatus.WINNER)
        made[sequence] = add_contract(db, bid, status, amount, sequence=sequence, pdf=blank_pdf(pages, 200 + sequence))
    voided_bid = make_bid(make_need(status=NeedStatus.AWARDED), status=BidStatus.WINNER)
    add_contract(db, voided_bid, ContractStatus.VOID, "1000000.00", sequence=4, pdf=blank_pdf(5, 299))
    add_contract(db, make_bid(make_need(status=NeedStatus.AWARDED), status=BidStatus.WINNER),
                 ContractStatus.DRAFT, "2000000.00")
    pay(db, made[3], "3000000.00", organizer)
    pay(db, made[2], "500000.50", organizer)
    db.session.commit()
    return made


def test_print_contracts_writes_every_issued_contract_in_number_order(runner, contracts, tmp_path):
    out = tmp_path / "batch.pdf"
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) == 1 + 2 + 3
    assert [round(float(p.mediabox.width)) for p in pages] == [201, 202, 202, 203, 203, 203]
    progress = [line for line in result.output.splitlines() if line.startswith("[")]
    assert progress == ["[1/3] CIC8-NB-2026-001", "[2/3] CIC8-NB-2026-002", "[3/3] CIC8-NB-2026-003"]


def test_print_contracts_for_an_unknown_edition_fails_in_chinese(runner, contracts, tmp_path):
    out = tmp_path / "batch.pdf"
    result = runner.invoke(args=["print-contracts", "--edition", "NOPE-NB", "--out", str(out)])
    assert result.exit_code != 0
    assert "未找到届次 NOPE-NB" in result.output
    assert not out.exists()


def test_print_contracts_with_nothing_issued_fails(runner, db, edition, make_need, make_bid, tmp_path):
    add_contract(db, make_bid(make_need(status=NeedStatus.AWARDED), status=BidStatus.WINNER),
                 ContractStatus.DRAFT, "2000000.00")
    db.session.commit()
    out = tmp_path / "batch.pdf"
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(out)])
    assert result.exit_code != 0
    assert "尚无已出具的合同" in result.output
    assert not out.exists()


def test_stats_json_parses_with_the_promised_keys(runner, contracts):
    result = runner.invoke(args=["stats", "--edition", "CIC8-NB", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["edition"] == "CIC8-NB"
    assert data["needs_published"] == 5 and data["winners"] == 5 and data["bids"] == 5 and data["failed_needs"] == 0
    assert data["contracts_issued"] == 3 and data["contracts_signed"] == 2
    assert data["contract_amount_signed"] == "55000000.00"
    assert data["contract_amount_issued"] == "72500000.00"
    assert data["payments_received"] == "3500000.50"
    assert data["key_programme_eligible"] == 1
    assert data["by_field"]["electronic_info"]["contract_amount_signed"] == "55000000.00"


def test_stats_without_json_is_a_chinese_summary(runner, contracts):
    result = runner.invoke(args=["stats", "--edition", "CIC8-NB"])
    assert result.exit_code == 0, result.output
    assert "已签订合同 2 份，签约金额 5,500.00 万元（55,000,000.00 元）" in result.output
    assert "电子信息" in result.output


def test_stats_for_an_unknown_edition_fails(runner, edition):
    result = runner.invoke(args=["stats", "--edition", "NOPE-NB", "--json"])
    assert result.exit_code != 0
    assert "未找到届次 NOPE-NB" in result.output


# --- the demo edition (seed-demo signs its 18 contracts) ----------------------------------------------

@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases):
    """An app whose database holds the demo, seeded once for this module."""
    with seeded_demo(tmp_path_factory.mktemp("demo-contracts"), databases) as (app, _):
        yield app


def test_demo_edition_stats_say_18_contracts_and_7250_wan(demo_app):
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(args=["stats", "--edition", "CIC8-NB", "--json"])
        _db.session.remove()
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["winners"] == 18
    assert data["contracts_signed"] == 18
    assert data["contract_amount_signed"] == "72500000.00"


def test_demo_batch_pdf_prints_the_18_issued_contracts_in_number_order(demo_app, tmp_path):
    out = tmp_path / "demo.pdf"
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(out)])
        stored = _db.session.execute(
            sa.select(Contract.number, Contract.pdf).where(Contract.status == ContractStatus.SIGNED)
            .order_by(Contract.sequence)).all()
        _db.session.remove()
    assert result.exit_code == 0, result.output
    assert len(stored) == 18
    numbers = [line.split("] ", 1)[1] for line in result.output.splitlines() if line.startswith("[")]
    assert numbers == [number for number, _pdf in stored]
    expected_pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for _number, pdf in stored)
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == expected_pages


def test_print_contracts_into_a_missing_folder_fails_cleanly(runner, contracts, tmp_path):
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(tmp_path / "no" / "b.pdf")])
    assert result.exit_code != 0
    assert "无法写入" in result.output and "Traceback" not in result.output
