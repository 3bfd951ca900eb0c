"""`flask --app contest check`: clean on the demo and on a consistent instance; each kind of
corruption a crash or an intruder could leave is reported with the object it concerns, and the exit status is 1.

The corruptions are written straight into the database (SQL) or onto the disk, never through the services.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest.domain.contracts import ContractStatus
from contest.domain.rubric import Round
from contest.domain.states import AssignmentStatus, BidStatus, NeedStatus, Role, SheetStatus
from contest.extensions import db as _db
from contest.models import Assignment, Bid, Contract, Instalment, Need, ScoreSheet
from contest.services.records.integrity import run_checks
from tests.conftest import PDF, seeded_demo
from tests.test_statistics import add_contract

CLEAN = "检查完成：未发现问题"
SCAN = PDF.replace(b"595 842", b"842 595")  # another valid PDF: the signed copy's scan


@dataclass
class World:
    """A small consistent instance: an awarded need with its winner, a signed contract, a submitted sheet."""

    need: Need
    winner: Bid
    runner_up: Bid
    contract: Contract
    sheet: ScoreSheet
    uploads: Path


def build_world(db, app, make_need, make_bid, make_user) -> World:
    """Rows and files as the services leave them; committed."""
    need = make_need(status=NeedStatus.AWARDED)
    sha = hashlib.sha256(PDF).hexdigest()
    winner = make_bid(need, status=BidStatus.WINNER, pdf_sha256=sha)
    runner_up = make_bid(need, status=BidStatus.NOT_SELECTED, pdf_sha256=sha)
    contract = add_contract(db, winner, ContractStatus.SIGNED, "2800000.00", sequence=1)
    contract.instalments = [
        Instalment(seq=1, amount=Decimal("800000.10"), due_date=date(2026, 9, 1), condition="签订后预付"),
        Instalment(seq=2, amount=Decimal("1999999.90"), due_date=date(2027, 5, 31), condition="验收合格后支付"),
    ]
    uploads = Path(app.config["UPLOAD_FOLDER"])
    (uploads / "contracts").mkdir(parents=True, exist_ok=True)
    (uploads / "contracts" / "scan1.pdf").write_bytes(SCAN)
    contract.signed_scan_name, contract.signed_scan_sha256 = "scan1.pdf", hashlib.sha256(SCAN).hexdigest()
    judge = make_user(Role.JUDGE)
    sheet = ScoreSheet(round=Round.ONLINE, bid_id=runner_up.id, judge_id=judge.id, status=SheetStatus.SUBMITTED)
    db.session.add(sheet)
    db.session.commit()
    return World(need, winner, runner_up, contract, sheet, uploads)


@pytest.fixture
def world(db, app, make_need, make_bid, make_user) -> World:
    return build_world(db, app, make_need, make_bid, make_user)


def check(runner) -> tuple[int, list[str]]:
    """The exit status and the lines after the first, which names the audit chain's last event."""
    result = runner.invoke(args=["check"])
    head, *lines = result.output.splitlines()
    assert re.fullmatch(r"审计链末条：#\d+ [0-9a-f]{64}|审计链为空", head), head
    return result.exit_code, lines


def corrupt(db, statement) -> None:
    """Change the database behind the app's back, as a crash or an intruder would."""
    db.session.execute(statement)
    db.session.commit()


def test_a_consistent_instance_is_clean(world, runner):
    assert check(runner) == (0, [CLEAN])


def test_a_missing_bid_pdf_names_the_bid_and_the_file(world, runner):
    path = world.uploads / "bids" / world.winner.pdf_stored_name
    path.unlink()
    assert check(runner) == (1, [f"bid {world.winner.id}: 挑战报告文件缺失 ({path})", "检查完成：1 项问题"])


def test_an_altered_bid_pdf_is_found_by_its_sha256(world, runner):
    path = world.uploads / "bids" / world.runner_up.pdf_stored_name
    path.write_bytes(PDF.replace(b"%%EOF", b"%%EOF "))
    assert check(runner) == (1, [f"bid {world.runner_up.id}: 挑战报告文件与记录的 SHA-256 不符 ({path})",
                                 "检查完成：1 项问题"])


def test_a_stray_file_is_reported_but_in_flight_uploads_are_not(world, runner):
    stray = world.uploads / "bids" / "0123abcd.pdf"
    stray.write_bytes(PDF)
    (world.uploads / "bids" / "4567ef.part").write_bytes(PDF[:10])  # an upload being written
    (world.uploads / "tmp").mkdir()
    (world.uploads / "tmp" / "bids+89ab.pdf+new+host_1_2.part").write_bytes(PDF)  # staged, not yet committed
    assert check(runner) == (1, [f"file bids/0123abcd.pdf: 存储目录中的文件没有对应的记录 ({stray})",
                                 "检查完成：1 项问题"])


def test_a_missing_signed_scan_names_the_contract(world, runner):
    path = world.uploads / "contracts" / "scan1.pdf"
    path.unlink()
    code, lines = check(runner)
    assert code == 1 and lines == [f"contract {world.contract.id} ({world.contract.number}): 合同签署扫描件缺失 ({path})",
                                   "检查完成：1 项问题"]


def test_two_winners_on_one_need_are_reported_on_the_need(world, runner, db):
    corrupt(db, sa.update(Bid).where(Bid.id == world.runner_up.id).values(status=BidStatus.WINNER))
    winners = sorted((world.winner.id, world.runner_up.id))
    assert check(runner) == (1, [f"need {world.need.id}: 有 2 个挑战第一名 (bid {winners[0]}, bid {winners[1]})",
                                 "检查完成：1 项问题"])


def test_an_awarded_need_without_its_winner_is_reported(world, runner, db):
    corrupt(db, sa.update(Bid).where(Bid.id == world.winner.id).values(status=BidStatus.NOT_SELECTED))
    assert check(runner) == (1, [f"need {world.need.id}: 需求已揭榜，但没有挑战第一名", "检查完成：1 项问题"])


def test_an_instalment_changed_breaks_the_contract_total(world, runner, db):
    corrupt(db, sa.update(Instalment).where(Instalment.contract_id == world.contract.id, Instalment.seq == 2)
            .values(amount=Decimal("1999999.80")))
    assert check(runner) == (1, [f"contract {world.contract.id} ({world.contract.number}): "
                                 "分期付款合计 2,799,999.90 元与合同总额 2,800,000.00 元不符", "检查完成：1 项问题"])


def test_an_issued_pdf_altered_in_the_database_is_found_by_its_sha256(world, runner, db):
    altered = world.contract.pdf.replace(b"%%EOF", b"%%EOF\n% edited")
    corrupt(db, sa.update(Contract).where(Contract.id == world.contract.id).values(pdf=altered))
    assert check(runner) == (1, [f"contract {world.contract.id} ({world.contract.number}): "
                                 "已出具合同的 PDF 与出具时记录的 SHA-256 不符", "检查完成：1 项问题"])


def test_sheets_on_conflicted_pairs_name_the_sheet_the_bid_and_the_judge(world, runner, db, make_user):
    lead_org = world.winner.team.lead_org
    colleague = make_user(Role.JUDGE, org=lead_org)  # a judge from the winning team's own university
    recused = make_user(Role.JUDGE)
    db.session.commit()
    corrupt(db, sa.insert(Assignment).values(bid_id=world.runner_up.id, judge_id=recused.id,
                                             status=AssignmentStatus.RECUSED, recusal_reason="曾合作"))
    for judge in (colleague, recused):
        bid = world.winner if judge is colleague else world.runner_up
        corrupt(db, sa.insert(ScoreSheet).values(round=Round.ONLINE, bid_id=bid.id, judge_id=judge.id,
                                                 status=SheetStatus.SUBMITTED))
    sheets = dict(db.session.execute(sa.select(ScoreSheet.judge_id, ScoreSheet.id)).all())
    assert check(runner) == (1, [
        f"score sheet {sheets[colleague.id]} (bid {world.winner.id}, judge {colleague.id}): "
        "评审专家与该挑战报告存在利益冲突，却提交了评分表",
        f"score sheet {sheets[recused.id]} (bid {world.runner_up.id}, judge {recused.id}): "
        "评审专家已申请回避该挑战报告，却提交了评分表",
        "检查完成：2 项问题"])


def test_a_draft_kept_after_a_recusal_is_not_a_violation(world, runner, db):
    corrupt(db, sa.insert(Assignment).values(bid_id=world.runner_up.id, judge_id=world.sheet.judge_id,
                                             status=AssignmentStatus.RECUSED, recusal_reason="曾合作"))
    assert check(runner)[0] == 1
    corrupt(db, sa.update(ScoreSheet).where(ScoreSheet.id == world.sheet.id).values(status=SheetStatus.DRAFT))
    assert check(runner) == (0, [CLEAN])


def test_the_checks_run_the_same_number_of_queries_for_more_rows(world, db, make_bid, make_user, count_queries):
    with count_queries() as few:
        assert run_checks() == []
    for _ in range(5):
        bid = make_bid(world.need, status=BidStatus.NOT_SELECTED)
        db.session.add(ScoreSheet(round=Round.ONLINE, bid_id=bid.id, judge_id=make_user(Role.JUDGE).id,
                                  status=SheetStatus.SUBMITTED))
    db.session.commit()
    with count_queries() as many:
        assert run_checks() == []
    assert len(many) == len(few)


# --- the demo ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases):
    """An app whose database holds the demo, seeded once for this module."""
    with seeded_demo(tmp_path_factory.mktemp("demo"), databases) as (app, _):
        yield app


def test_the_demo_is_clean(demo_app):
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(args=["check"])
        uploaded = sum(1 for p in Path(demo_app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())
        issued = _db.session.scalar(sa.select(sa.func.count()).where(Contract.status != ContractStatus.DRAFT))
        _db.session.remove()
    lines = result.output.splitlines()
    assert result.exit_code == 0 and re.fullmatch(r"审计链末条：#\d+ [0-9a-f]{64}", lines[0]) and lines[1:] == [CLEAN]
    assert uploaded > 50 and issued >= 18  # the check had files and issued contracts to look at


def test_an_audit_event_edited_in_the_database_breaks_the_chain_and_is_named(world, runner, db):
    from contest.models import AuditEvent
    from contest.services.records import audit
    from tests.test_audit_chain import tamper

    for action in ("need.publish", "need.confirm_winner", "contract.issue"):
        audit.record(None, action, world.need)
        db.session.commit()
    first, *_, last = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    assert runner.invoke(args=["check"]).output.splitlines()[0].startswith(f"审计链末条：#{last} ")
    tamper(sa.update(AuditEvent).where(AuditEvent.id == first).values(ip="10.6.6.6"))
    assert check(runner) == (1, [f"audit_event {first}: 审计记录的哈希与内容不符（记录被修改）", "检查完成：1 项问题"])
