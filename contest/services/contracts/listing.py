"""What the contract pages list: an edition's live contracts, the winners still waiting for one, the versions
of a contract. Each is one statement."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload, with_expression

from ...domain.contracts import ContractStatus
from ...domain.states import BidStatus, NeedStatus
from ...extensions import db
from ...models import Bid, Contract, Edition, Need, Team
from ..judging import objections


def awaiting_contract(edition: Edition, limit: int | None = None) -> list[tuple[Need, Bid]]:
    """The edition's awarded needs with their winning bid and no live contract yet (the first `limit` of them),
    each with its count of objections awaiting a ruling (what drafting waits for), in one statement."""
    live = sa.select(Contract.id).where(Contract.need_id == Need.id, Contract.status != ContractStatus.VOID).exists()
    rows = db.session.execute(
        sa.select(Need, Bid).join(Bid, sa.and_(Bid.need_id == Need.id, Bid.status == BidStatus.WINNER))
        .where(Need.edition_id == edition.id, Need.status == NeedStatus.AWARDED, ~live)
        .options(joinedload(Need.firm), joinedload(Bid.team).joinedload(Team.lead_org),
                 with_expression(Need.pending_objections, objections.pending_count_column()))
        .order_by(Need.id).limit(limit).execution_options(populate_existing=True)  # the count, fresh
    )
    return [(need, bid) for need, bid in rows]


def awaiting_count(edition: Edition) -> int:
    """How many of the edition's winners wait for a contract."""
    live = sa.select(Contract.id).where(Contract.need_id == Need.id, Contract.status != ContractStatus.VOID).exists()
    return db.session.scalar(sa.select(sa.func.count(Need.id)).where(
        Need.edition_id == edition.id, Need.status == NeedStatus.AWARDED, ~live))


def edition_contracts(edition: Edition) -> sa.Select:
    """The edition's live contracts (voided versions are reached from their successor) in number order, payments
    loaded: the list the contracts page paginates."""
    return (sa.select(Contract).where(Contract.edition_id == edition.id, Contract.status != ContractStatus.VOID)
            .options(selectinload(Contract.payments))
            .order_by(Contract.sequence.is_(None), Contract.sequence, Contract.id))


def versions(contract: Contract) -> list[Contract]:
    """Every version of the contract of this need, oldest first."""
    return list(db.session.scalars(
        sa.select(Contract).where(Contract.need_id == contract.need_id).order_by(Contract.version)))

