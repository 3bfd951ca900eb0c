"""The reward rule of an edition and the payable list it produces: one row per broker and signed contract (the
side the broker stood on and its share, contest.domain.rewards), with a total per broker."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from ...domain import rewards as rules
from ...domain.contracts import ContractStatus
from ...domain.permissions import ensure_organizer
from ...extensions import db
from ...models import Broker, Contract, Edition, RewardRule, User
from ..records import audit

FIRM, TEAM = "firm", "team"


def rule_of(edition: Edition) -> RewardRule | None:
    """The edition's reward rule, if the organizer has set one."""
    return db.session.scalar(sa.select(RewardRule).where(RewardRule.edition_id == edition.id))


def save_rule(edition: Edition, actor: User, *, rate_pct: Decimal, cap_yuan: Decimal, firm_share_pct: Decimal,
              now: datetime) -> RewardRule:
    """Set or change the edition's rule (the payable list follows it at once)."""
    ensure_organizer(actor)
    rules.check_rule(rules.Rule(rate_pct, cap_yuan, firm_share_pct))
    rule = rule_of(edition)
    if rule is None:
        rule = RewardRule(edition_id=edition.id)
        db.session.add(rule)
    rule.rate_pct, rule.cap_yuan, rule.firm_share_pct, rule.updated_at = rate_pct, cap_yuan, firm_share_pct, now
    db.session.flush()
    audit.record(actor, "broker.reward_rule", rule, {"edition": edition.code, "rate_pct": rate_pct,
                                                     "cap_yuan": cap_yuan, "firm_share_pct": firm_share_pct})
    return rule


@dataclass(frozen=True)
class PayableRow:
    number: str
    side: str                # FIRM or TEAM
    tech_amount: Decimal
    reward: Decimal          # the contract's whole reward
    share: Decimal           # this broker's part of it


@dataclass
class BrokerPayable:
    broker: Broker
    rows: list[PayableRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.share for r in self.rows), Decimal("0.00"))


def payables(edition: Edition, rule: RewardRule | None) -> list[BrokerPayable]:
    """Per broker (by name), what the rule pays it for each signed contract of the edition recording it; a side
    without a broker is paid to no one. Empty without a rule. Two statements."""
    if rule is None:
        return []
    rule_ = rules.Rule(rule.rate_pct, rule.cap_yuan, rule.firm_share_pct)
    contracts = db.session.execute(
        sa.select(Contract.number, Contract.tech_amount, Contract.firm_broker_id, Contract.team_broker_id)
        .where(Contract.edition_id == edition.id, Contract.status == ContractStatus.SIGNED,
               sa.or_(Contract.firm_broker_id.is_not(None), Contract.team_broker_id.is_not(None)))
        .order_by(Contract.sequence, Contract.number)).all()
    wanted = {b for c in contracts for b in (c.firm_broker_id, c.team_broker_id) if b is not None}
    if not wanted:
        return []
    by_id = {b.id: BrokerPayable(b) for b in db.session.scalars(sa.select(Broker).where(Broker.id.in_(wanted)))}
    for number, tech, firm_broker, team_broker in contracts:
        split = rules.split(Decimal(tech), rule_)
        firm_share, team_share = rules.payable(split, firm_broker is not None, team_broker is not None)
        if firm_share is not None:
            by_id[firm_broker].rows.append(PayableRow(number or "", FIRM, Decimal(tech), split.reward, firm_share))
        if team_share is not None:
            by_id[team_broker].rows.append(PayableRow(number or "", TEAM, Decimal(tech), split.reward, team_share))
    return sorted(by_id.values(), key=lambda p: (p.broker.name, p.broker.id))
