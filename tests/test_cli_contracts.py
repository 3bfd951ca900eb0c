"""flask print-contracts (the batch PDF of an edition's issued contracts) and flask stats (its figures)."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

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
    made[3].registration_number = "20263302030003"  # registered: with 3,000,000 received, a key-programme one
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
    assert "已签订合同 2 份（签约企业 2 家），签约金额 5,500.00 万元（55,000,000.00 元），其中技术交易额 5,500.00 万元" \
        in result.output
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


# --- print-contracts --out *.zip, and the demo's contracts rendered once --------------------------------------

def zip_entries(path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_print_contracts_to_a_zip_writes_each_stored_pdf_in_number_order(runner, contracts, tmp_path):
    folder = tmp_path / "printing"
    folder.mkdir()
    out = folder / "batch.ZIP"
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(out)])
    assert result.exit_code == 0, result.output
    entries = zip_entries(out)
    assert [name for name, _pdf in entries] == ["0001-CIC8-NB-2026-001.pdf", "0002-CIC8-NB-2026-002.pdf",
                                                "0003-CIC8-NB-2026-003.pdf"]
    assert [content for _name, content in entries] == [contracts[n].pdf for n in (1, 2, 3)]
    assert [line for line in result.output.splitlines() if line.startswith("[")] == ["[1/3]", "[2/3]", "[3/3]"]
    assert f"已写入 {out}：CIC8-NB 的 3 份合同" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["batch.ZIP"]  # no .part left behind


def test_print_contracts_to_a_zip_with_nothing_issued_writes_nothing(runner, db, edition, make_need, make_bid,
                                                                      tmp_path):
    add_contract(db, make_bid(make_need(status=NeedStatus.AWARDED), status=BidStatus.WINNER),
                 ContractStatus.DRAFT, "2000000.00")
    db.session.commit()
    folder = tmp_path / "printing"
    folder.mkdir()
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(folder / "b.zip")])
    assert result.exit_code != 0 and "尚无已出具的合同" in result.output
    assert list(folder.iterdir()) == []


def test_print_contracts_to_a_zip_in_a_missing_folder_fails_cleanly(runner, contracts, tmp_path):
    result = runner.invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(tmp_path / "no" / "b.zip")])
    assert result.exit_code != 0
    assert "无法写入" in result.output and "Traceback" not in result.output


def unsigned(pdf: bytes) -> bytes:
    """An issued PDF without the organizer's signature, which issuing appends (an incremental update, made anew
    on each seeding) to the rendered document: up to the end of its first revision."""
    return pdf[:pdf.index(b"%%EOF\n") + len(b"%%EOF\n")]


def without_signatures(stored: list[tuple]) -> list[tuple]:
    return [(number, status, unsigned(pdf), token) for number, status, pdf, token in stored]


def _stored_contracts(app) -> list[tuple[str, str, bytes, str]]:
    """(number, status, PDF, verification token) of every issued contract, in number order."""
    with app.app_context():
        rows = _db.session.execute(
            sa.select(Contract.number, Contract.status, Contract.pdf, Contract.verify_token)
            .where(Contract.number.is_not(None)).order_by(Contract.sequence, Contract.version)).all()
        _db.session.remove()
    return [tuple(row) for row in rows]


def test_demo_zip_holds_the_18_issued_contracts_as_stored(demo_app, tmp_path):
    out = tmp_path / "demo.zip"
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(args=["print-contracts", "--edition", "CIC8-NB", "--out", str(out)])
        _db.session.remove()
    assert result.exit_code == 0, result.output
    live = [(number, pdf) for number, status, pdf, _token in _stored_contracts(demo_app)
            if status != ContractStatus.VOID]
    assert len(live) == 18
    assert zip_entries(out) == [(f"{n:04d}-{number}.pdf", pdf) for n, (number, pdf) in enumerate(live, start=1)]


def test_demo_contracts_embed_two_font_faces_at_most(demo_app):
    from tests.test_contract_document import embedded_font_files

    stored = _stored_contracts(demo_app)
    assert len(stored) == 19
    for number, _status, pdf, _token in stored:
        assert len(embedded_font_files(pdf)) <= 2, number


def test_demo_contracts_are_what_rendering_them_gives_with_tokens_derived_from_their_numbers(demo_app):
    """The cache of rendered contracts changes nothing: each stored PDF is the rendering of its context."""
    from contest.demo.contract_pdfs import cache_folder, verify_token
    from contest.pdf.contract import render_contract
    from contest.services.contracts.document import contract_context

    stored = _stored_contracts(demo_app)
    with demo_app.app_context():
        assert [token for _n, _s, _pdf, token in stored] == [verify_token(number) for number, *_rest in stored]
        assert all(len(token) == 43 for _n, _s, _pdf, token in stored)
        for number in (stored[0][0], next(n for n, *_rest in stored if n.endswith("-V2"))):
            contract = _db.session.scalar(sa.select(Contract).where(Contract.number == number))
            assert unsigned(contract.pdf) == render_contract(contract_context(contract)), number
            assert hashlib.sha256(contract.pdf).hexdigest() == contract.pdf_sha256
        _db.session.remove()
    with demo_app.app_context():
        cache = cache_folder()
    assert sorted(p.read_bytes() for p in cache.glob("*.pdf")) == sorted(unsigned(pdf) for _n, _s, pdf, _t in stored)


def test_seeding_a_fresh_database_again_renders_no_contract(demo_app, databases, tmp_path, monkeypatch):
    """The second seeding of an installation takes its 19 contract PDFs from its cache (instance/cache/contracts
    by default; the suite shares one)."""
    from contest import create_app
    from contest.pdf import render as pdf_render
    from tests.conftest import DEMO_NOW

    def no_rendering(*args, **kwargs):
        raise AssertionError("a demo contract was rendered again")

    monkeypatch.setattr(pdf_render, "render_pdf_string", no_rendering)
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "FROZEN_NOW": DEMO_NOW,
                      "SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path), "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                      "DEMO_PDF_CACHE": demo_app.config["DEMO_PDF_CACHE"]})
    try:
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["seed-demo"])
            _db.session.remove()
        assert result.exit_code == 0, result.output
        assert without_signatures(_stored_contracts(app)) == without_signatures(_stored_contracts(demo_app))
    finally:
        with app.app_context():
            _db.engine.dispose()
