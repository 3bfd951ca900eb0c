"""The winners' contracts: drafted from the need and its winning bid as drafting.draft_contract does, terms
completed, issued with their number (sequence in the order of issue, version 1), most signed, with
instalments summing to the total, milestones accepted and payments received.

Pure. The PDF and the signed scan are not made here: documents.py renders a few contracts and gives
every contract one of their PDFs; the scans are small generated PDFs written with the bid reports.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..demo.report_pdf import build_pdf
from ..domain.contracts import CENT, ContractStatus, DisputeResolution, IpOwnership, contract_number
from ..models import Contract, Instalment, MilestoneAcceptance, Payment
from ..services.contracts.drafting import ARBITRATION_COMMISSION, PARTY_KEYS, SIGN_PLACE
from .bidding import NeedRec
from .people import People
from .plan import Calendar, Ids, Table, bj, stream, token

SHARES = {2: (Decimal("0.4"), Decimal("0.6")), 3: (Decimal("0.3"), Decimal("0.4"), Decimal("0.3")),
          4: (Decimal("0.2"), Decimal("0.3"), Decimal("0.3"), Decimal("0.2"))}
CONDITIONS = ("本合同签订生效，乙方提交详细研究开发计划并经甲方确认（预付款）", "完成样机研制并通过甲方组织的中期检查",
              "完成企业现场应用验证，提交阶段技术报告", "提交全部技术资料，通过甲方组织的结题验收")
TERMS = dict(
    funds_use="乙方专款专用、单独核算，研究开发经费主要用于材料费、测试化验加工费、样机试制费、差旅费和劳务费。",
    acceptance_method="由甲方组织不少于5名同行专家组成验收专家组，进行现场测试和会议评审，形成书面验收意见。",
    ip_detail="乙方在本合同签订前已拥有的背景知识产权仍归乙方所有，甲方在本项目成果的实施范围内可免费使用。",
    risk_terms="因技术风险导致研究开发失败或部分失败的，经双方共同认定后，乙方已合理支出的经费由甲方承担。",
    after_sales="结题验收后12个月内，乙方免费为甲方提供操作培训和技术指导，并提供远程技术支持。",
    breach_terms="任何一方逾期履行的，每逾期一日按合同总额的万分之五向对方支付违约金，违约金总额以合同总额的10%为限。",
    firm_materials="甲方提供现场试验条件、工艺参数和历史运行数据，并指定技术联系人配合研究开发工作。",
    other_terms="双方同意将本合同的阶段验收与经费到账情况报送挑战赛组织方，用于揭榜项目跟踪服务。")
CONTRACT_COLUMNS = (
    "id", "edition_id", "need_id", "bid_id", "version", "replaces_id", "status", "sequence", "number",
    "project_name", "sign_place", "sign_date", "valid_from", "valid_to", "party_a", "party_b", "goal", "content",
    "method", "rd_plan", "rd_deadline", "firm_materials", "total_amount", "funds_use", "acceptance_criteria",
    "acceptance_method", "ip_ownership", "ip_detail", "confidentiality_years", "risk_terms", "after_sales",
    "breach_terms", "dispute", "arbitration_commission", "copies", "other_terms", "pdf", "pdf_sha256",
    "verify_token", "issued_at", "issued_by_id", "voided_at", "void_reason", "signed_on", "signed_scan_name",
    "signed_scan_sha256", "created_at", "updated_at")


@dataclass
class Contracts:
    contracts: Table = field(default_factory=lambda: Table(Contract, CONTRACT_COLUMNS))
    instalments: Table = field(default_factory=lambda: Table(Instalment, (
        "id", "contract_id", "seq", "amount", "due_date", "condition")))
    acceptances: Table = field(default_factory=lambda: Table(MilestoneAcceptance, (
        "id", "contract_id", "instalment_id", "description", "accepted_on", "recorded_by_id", "created_at")))
    payments: Table = field(default_factory=lambda: Table(Payment, (
        "id", "contract_id", "amount", "received_on", "note", "recorded_by_id", "created_at")))
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    signed: int = 0
    total: Decimal = Decimal("0.00")


def snapshot(row: dict) -> str:
    """An organization as the contract keeps it (drafting.snapshot, from the generated row)."""
    data = {key: row.get(key) or "" for key in PARTY_KEYS}
    data["kind"] = row["kind"].value
    return json.dumps(data, ensure_ascii=False)


def workday(day: date, n: int) -> date:
    """The n-th working day from `day` (Monday to Friday)."""
    while n or day.weekday() >= 5:
        n -= day.weekday() < 5 and n > 0
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return bj(day.year, day.month, day.day, hour, minute)


def make_contracts(needs: list[NeedRec], winners: dict[int, int], count: int, people: People, edition: dict,
                   ids: Ids, seed: int, code: str, cal: Calendar) -> Contracts:
    """Contracts for the first `count` awarded needs (by id): issued in that order, 9 in 10 signed."""
    rng, out = stream(seed, code, "contracts"), Contracts()
    awarded = [n for n in needs if n.id in winners][:count]
    for sequence, need in enumerate(awarded, start=1):
        bid = next(b for b in need.bids if b.id == winners[need.id])
        contract_id, total = ids.next("contract"), (bid.row["price_wan"] * 10000).quantize(CENT)
        drafted = cal.drafted_at + timedelta(minutes=3 * sequence)
        issued_on = workday(cal.first_issue, sequence // 25)
        issued_at = at(issued_on, 10, sequence % 60)
        signed_on = workday(issued_on, 2 + sequence % 5) if sequence % 10 else None
        schedule = _schedule(rng, total, signed_on or issued_on, need.row["period_end"])
        row = dict(id=contract_id, edition_id=edition["id"], need_id=need.id, bid_id=bid.id, version=1,
                   replaces_id=None, status=ContractStatus.SIGNED if signed_on else ContractStatus.ISSUED,
                   sequence=sequence, number=contract_number(code, edition["year"], sequence),
                   project_name=need.name, sign_place=SIGN_PLACE, sign_date=workday(issued_on, 2),
                   valid_from=workday(issued_on, 2), valid_to=schedule[-1][1], rd_deadline=need.row["period_end"],
                   party_a=snapshot(people.org_row[need.row["firm_org_id"]]),
                   party_b=snapshot(people.org_row[people.team_lead[bid.team_id]]), goal=need.row["goals"],
                   content=f"需解决的技术问题：{need.row['problem']}\n技术关键与主要指标：{need.row['key_points']}\n"
                           f"乙方承诺的关键指标：{bid.row['indicators']}",
                   method=bid.row["approach"], rd_plan=bid.row["plan"], total_amount=total,
                   acceptance_criteria=bid.row["indicators"], ip_ownership=rng.choice(list(IpOwnership)),
                   confidentiality_years=rng.choice((2, 3, 3, 5)), dispute=DisputeResolution.ARBITRATION,
                   arbitration_commission=ARBITRATION_COMMISSION, copies=rng.choice((4, 4, 6)), pdf=None,
                   pdf_sha256=None, verify_token=None, issued_at=issued_at, issued_by_id=people.organizer_id,
                   voided_at=None, void_reason="", signed_on=signed_on, signed_scan_name=None,
                   signed_scan_sha256=None, created_at=drafted,
                   updated_at=at(signed_on, 16) if signed_on else issued_at,
                   **TERMS)
        instalment_ids = []
        for seq, (amount, due, condition) in enumerate(schedule, start=1):
            instalment_ids.append(ids.next("instalment"))
            out.instalments.add(id=instalment_ids[-1], contract_id=contract_id, seq=seq, amount=amount, due_date=due,
                                condition=condition)
        if signed_on:
            scan = build_pdf("技术开发（委托）合同签字盖章页（扫描件）", [
                f"合同编号：{row['number']}", f"项目名称：{need.name}", f"签订日期：{signed_on:%Y年%m月%d日}",
                "（规模测试数据：由 seed-scale 生成，代替双方签字盖章后的扫描件）"])
            row["signed_scan_name"] = f"{token(seed, code, 'scan', contract_id)}.pdf"
            row["signed_scan_sha256"] = hashlib.sha256(scan).hexdigest()
            out.files.append(("contracts", row["signed_scan_name"], scan))
            _follow_up(rng, out, ids, contract_id, schedule, instalment_ids, signed_on, people.organizer_id, cal)
            out.signed += 1
        out.contracts.add(**row)
        out.total += total
    return out


def _schedule(rng, total: Decimal, start: date, period_end: date) -> list[tuple[Decimal, date, str]]:
    """Two to four instalments, the last one taking what the shares leave, due from signing to the period's end."""
    n = rng.choice((2, 3, 3, 4))
    amounts = [(total * share).quantize(CENT) for share in SHARES[n][:-1]]
    amounts.append(total - sum(amounts, Decimal("0.00")))
    end = max(period_end, start + timedelta(days=90))
    dues = [start + timedelta(days=15)] + [start + (end - start) * k // (n - 1) for k in range(1, n)]
    conditions = (CONDITIONS[0], *CONDITIONS[4 - n + 1:])
    return list(zip(amounts, dues, conditions))


def _follow_up(rng, out: Contracts, ids: Ids, contract_id: int, schedule, instalment_ids: list[int], signed_on: date,
               organizer: int, cal: Calendar) -> None:
    """The advance received for 7 in 10 signed contracts; for half of those a milestone accepted and paid."""
    if rng.random() >= 0.7:
        return
    paid_days = [signed_on + timedelta(days=rng.randint(5, 25))]
    second = schedule[1][1] + timedelta(days=rng.randint(0, 20))
    if len(schedule) > 2 and rng.random() < 0.5 and second + timedelta(days=30) <= cal.follow_up_until:
        accepted = second
        out.acceptances.add(id=ids.next("milestone_acceptance"), contract_id=contract_id,
                            instalment_id=instalment_ids[1], description=f"{schedule[1][2]}：经甲方组织专家验收通过", accepted_on=accepted,
                            recorded_by_id=organizer, created_at=at(accepted, 11))
        paid_days.append(accepted + timedelta(days=rng.randint(5, 30)))
    for seq, day in enumerate(paid_days, start=1):
        amount = schedule[seq - 1][0]
        out.payments.add(id=ids.next("payment"), contract_id=contract_id, amount=amount, received_on=day,
                         note=f"第{seq}期款项到账（{'预付款' if seq == 1 else schedule[seq - 1][2][:60]}）",
                         recorded_by_id=organizer, created_at=at(day, 14, 30))
