"""CIC8-NB's 18 contracts, from the confirmed winners to signed contracts with payments, by the real services.

Each is a 技术开发（委托）or（合作）合同 as its need's cooperation mode calls for, between the need's firm and
the winner's lead organization; a third of them include non-technical parts (equipment, instruments, parts,
raw materials) that the 技术交易额 leaves out.

The organizer drafts every contract on 2024-10-08 (the first working day after the National Day
holiday), completes its terms with the two parties, issues it two working days before its signing (the
numbers follow the order of issue) and records the signing with the scan of the signed copy; accepted
milestones and payments received follow in 2024-2025. One contract is voided after issue at the
developer's request and reissued as -V2 before it is signed. Every step runs with the app's clock set to
its moment, so that the records and the audit trail carry those dates. The edition's contracts are
created only when it has none: a second run, or a database where contracts were already made, is left
as it is.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain.contracts import CENT, CONTRACT_TITLES, ContractStatus, ContractType, DisputeResolution, InstalmentTerm
from ..extensions import db
from ..models import Contract, Edition, Need, User
from ..services.contracts import drafting, followup, issuing, registering
from ..services.contracts.drafting import ARBITRATION_COMMISSION
from ..services.contracts.listing import awaiting_contract
from ..services.files.uploads import CheckedPdf
from . import contract_pdfs, dataset
from .report_pdf import build_pdf
from .seed_judging import demo_clock

Step = tuple[datetime, int, Callable[[datetime], None]]


def yuan(wan: Decimal) -> Decimal:
    return (wan * 10000).quantize(CENT)


def workdays_before(day: date, n: int) -> date:
    while n:
        day -= timedelta(days=1)
        n -= day.weekday() < 5
    return day


def seed_contracts(edition: Edition, needs: dict[str, Need], organizer: User, written: list[Path]) -> list[str]:
    """Sign the edition's demo contracts unless it already has contracts; the summary lines."""
    existing = db.session.execute(
        sa.select(Contract.status, sa.func.count(Contract.id)).where(Contract.edition_id == edition.id)
        .group_by(Contract.status)).all()
    if existing:
        counts = dict(existing)
        return [_("%(code)s 合同：已有 %(count)s 份（已签订 %(signed)s 份），保持不变",
                  code=edition.code, count=sum(counts.values()), signed=counts.get(ContractStatus.SIGNED, 0))]
    terms = dataset.contracts()
    terms.check()
    winners = {need.id for need, _bid in awaiting_contract(edition)}
    if winners != {needs[key].id for key in terms.by_need if key in needs} or len(winners) != len(terms.by_need):
        return [_("%(code)s 合同：已确认的挑战第一名与演示数据不一致，未生成演示合同", code=edition.code)]
    plans = [_Plan(key, needs[key], organizer, written)
             for key in sorted(terms.by_need, key=lambda k: needs[k].id)]
    steps = [step for index, plan in enumerate(plans) for step in plan.steps(index)]
    with demo_clock() as at, contract_pdfs.rendered_once():  # the PDFs of an earlier seeding, when they repeat
        for moment, _order, run in sorted(steps, key=lambda s: s[:2]):
            run(at(moment))
    db.session.flush()
    return _summary(edition, plans)


class _Plan:
    """One need's contract: its steps through the services, each at its moment."""

    def __init__(self, key: str, need: Need, organizer: User, written: list[Path]) -> None:
        self.key, self.need, self.organizer, self.written = key, need, organizer, written
        terms = dataset.contracts()
        self.item = terms.by_need[key]
        self.fix = terms.correction if terms.correction["key"] == key else None
        self.contract: Contract | None = None
        self.replaced: Contract | None = None

    def steps(self, index: int) -> list[Step]:
        item, fix = self.item, self.fix

        def at(day: date, hour: int, minute: int = 0) -> datetime:
            return dataset.bj(day.year, day.month, day.day, hour, minute) + timedelta(minutes=5 * index)

        first_sign = fix["first_sign"] if fix else item["signed"]
        issue_day = workdays_before(first_sign, 2)
        steps = [(dataset.contracts().drafted_at + timedelta(minutes=12 * index), self.draft),
                 (at(workdays_before(issue_day, 1), 15), lambda now: self.terms(first_sign, now)),
                 (at(issue_day, 10), self.issue)]
        if fix:
            steps += [(at(fix["voided_on"], 10), self.void),
                      (at(workdays_before(fix["reissued_on"], 1), 15),
                       lambda now: self.terms(item["signed"], now, fix["party_b"])),
                      (at(fix["reissued_on"], 10), self.issue)]
        steps.append((at(item["signed"], 16), self.sign))
        for seq, day, text in item["accepted"]:
            steps.append((at(day, 11), lambda now, seq=seq, day=day, text=text: self.accept(seq, day, text, now)))
        for seq, day in item["paid"]:
            steps.append((at(day, 14, 30), lambda now, seq=seq, day=day: self.pay(seq, day, now)))
        if item["registered"]:
            steps.append((at(item["registered"]["on"], 11, 30), self.register))
        return [(moment, index * 100 + n, run) for n, (moment, run) in enumerate(steps)]

    def _touch(self, now: datetime) -> None:
        """The contract's updated_at is the step's moment (the column's default would take the real time)."""
        self.contract.updated_at = now

    def draft(self, now: datetime) -> None:
        self.contract = drafting.draft_contract(self.need, self.organizer, now)
        self.contract.created_at = now
        self._touch(now)

    def terms(self, sign_date: date, now: datetime, party_b: dict | None = None) -> None:
        item, contract, terms = self.item, self.contract, dataset.contracts()
        schedule = [InstalmentTerm(yuan(wan), due, condition) for wan, due, condition in item["schedule"]]
        court = item["court"]
        data = dict(
            sign_date=sign_date, valid_from=sign_date, valid_to=schedule[-1].due,
            rd_deadline=terms.phase_one_end if item["phase"] else self.need.period_end,
            firm_materials=item["materials"], total_amount=yuan(item["amount"]),
            **{part: yuan(wan) for part, wan in item["nontech"].items()}, funds_use=terms.funds_use,
            acceptance_method=terms.acceptance_methods[item["method"]], ip_ownership=item["ip"],
            ip_detail=terms.ip_details[item["ip"]], confidentiality_years=item["years"], risk_terms=terms.risk_terms,
            after_sales=terms.after_sales(item["service"]), breach_terms=terms.breach_terms,
            dispute=DisputeResolution.COURT if court else DisputeResolution.ARBITRATION,
            arbitration_commission="" if court else ARBITRATION_COMMISSION, copies=item["copies"],
            other_terms=terms.phase_terms(item["phase"]) if item["phase"] else terms.follow_up,
        )
        if item["phase"] and contract.version == 1:
            data["project_name"] = f"{self.need.name}（第一阶段）"
            data["rd_plan"] = (f"{contract.rd_plan}\n本合同为第一阶段，涵盖上述计划中第1—24个月的工作；"
                               "第25—36个月的工作列入第二阶段，另行签订合同。")
        if party_b:
            data["party_b"] = party_b
        drafting.update_terms(contract, self.organizer, data, schedule, now)
        self._touch(now)

    def issue(self, now: datetime) -> None:
        # the same token, so the same PDF, on every seeding
        issuing.issue_contract(self.contract, self.organizer, now, make_token=contract_pdfs.verify_token)
        self._touch(now)

    def void(self, now: datetime) -> None:
        self.replaced = self.contract
        self.contract = issuing.void_and_redraft(self.replaced, self.organizer, self.fix["reason"], now)
        self.replaced.updated_at = now
        self.contract.created_at = now
        self._touch(now)

    def sign(self, now: datetime) -> None:
        contract = self.contract
        scan = CheckedPdf(content=_scan(contract, self.item["signed"]), original_name=f"{contract.number}-签字盖章.pdf")
        followup.record_signing(contract, self.organizer, self.item["signed"], scan, now)
        path = followup.scan_path(contract.signed_scan_name)
        self.written.append(path)  # removed by seed() if a later step fails
        self._touch(now)

    def accept(self, seq: int, day: date, text: str, now: datetime) -> None:
        instalment = self.contract.instalments[seq - 1]
        acceptance = followup.record_acceptance(self.contract, self.organizer, text, day, instalment.id, now)
        db.session.flush()
        acceptance.created_at = now

    def register(self, now: datetime) -> None:
        registered = self.item["registered"]
        registering.record_registration(self.contract, self.organizer, registered["number"],
                                        yuan(Decimal(registered["tech_wan"])), registered["on"], now)
        self._touch(now)

    def pay(self, seq: int, day: date, now: datetime) -> None:
        instalment = self.contract.instalments[seq - 1]
        note = f"第{seq}期款项到账（{'预付款' if seq == 1 else instalment.condition[:60]}）"
        payment = followup.record_payment(self.contract, self.organizer, instalment.amount, day, note, now,
                                          bank_receipt=f"{self.contract.number}-{seq}")
        db.session.flush()
        payment.created_at = now


def _scan(contract: Contract, signed_on: date) -> bytes:
    """The signed copy's scan as the demo stores it: one page naming the contract and its signing."""
    a, b = drafting.party(contract, "party_a")["name"], drafting.party(contract, "party_b")["name"]
    roles = ("合作方", "合作方") if contract.contract_type == ContractType.JOINT else ("委托方", "受托方")
    return build_pdf(f"{CONTRACT_TITLES[contract.contract_type]}签字盖章页（扫描件）", [
        f"合同编号：{contract.number}",
        f"项目名称：{contract.project_name}",
        f"{roles[0]}（甲方）：{a}（盖章）",
        f"{roles[1]}（乙方）：{b}（盖章）",
        f"签订日期：{signed_on:%Y年%m月%d日}",
        "（演示数据：由 seed-demo 生成，代替双方签字盖章后的扫描件）",
    ])


def _summary(edition: Edition, plans: list[_Plan]) -> list[str]:
    signed = sorted((p.contract for p in plans), key=lambda c: c.sequence)
    total = sum((c.total_amount for c in signed), Decimal("0.00"))
    if len(signed) != len(dataset.contracts().by_need) or any(c.status != ContractStatus.SIGNED for c in signed) \
            or total != yuan(dataset.contracts().total_wan):
        raise RuntimeError(f"演示合同未能全部签订：{len(signed)} 份，合计 {total:,.2f} 元")
    received = [followup.received_total(c) for c in signed]
    payments = sum(len(c.payments) for c in signed)
    accepted = sum(len(c.acceptances) for c in signed)
    corrected = [p.contract.number for p in plans if p.replaced is not None]
    reissued = _("；%(count)s 份出具后应乙方要求作废并重新出具（%(numbers)s）",
                 count=len(corrected), numbers=_("、").join(corrected)) if corrected else ""
    kinds = Counter(c.contract_type for c in signed)
    return [
        _("%(code)s 合同：签订技术开发合同 %(count)s 份（委托 %(commissioned)s 份、合作 %(joint)s 份，"
          "%(first)s 至 %(last)s），合同总额 %(wan)s 万元（%(yuan)s 元）%(reissued)s",
          code=edition.code, count=len(signed), commissioned=kinds[ContractType.COMMISSIONED],
          joint=kinds[ContractType.JOINT], first=signed[0].number, last=signed[-1].number,
          wan=f"{total / 10000:,.2f}", yuan=f"{total:,.2f}", reissued=reissued),
        _("%(code)s 合同履行：登记里程碑验收 %(accepted)s 项，%(paid)s 份合同实际到账 %(payments)s 笔共 %(wan)s 万元；"
          "%(eligible)s 份合同符合市重点研发计划条件（横向项目、已登记、凭银行回单到账达 300 万元）",
          code=edition.code, accepted=accepted, paid=sum(r > 0 for r in received), payments=payments,
          wan=f"{sum(received) / 10000:,.2f}", eligible=sum(followup.key_programme_eligible(c) for c in signed)),
    ]
