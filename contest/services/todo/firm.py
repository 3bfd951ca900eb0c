"""A firm's next steps: needs returned for revision, drafts not yet submitted, rankings to confirm, contracts
being drafted or issued for signature, on-site sheets of its representative; and its published needs with their
count of reports. A fixed number of statements, whatever the number of needs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.contracts import ContractStatus
from ...domain.rubric import Round
from ...domain.states import BidStatus, EditionStage, NeedStatus, SheetStatus
from ...extensions import db
from ...models import Bid, Contract, Edition, Need, PanelMember, ScoreSheet, User
from ..clock import beijing_date
from . import Todo, soonest_first

# Reports a team has turned in (its drafts are its own; withdrawn ones no longer count).
TURNED_IN = (BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED)
ACTIVE = (NeedStatus.DRAFT, NeedStatus.RETURNED, NeedStatus.PUBLISHED, NeedStatus.FINAL)
UNSIGNED = {ContractStatus.DRAFT: "firm.contract_draft", ContractStatus.ISSUED: "firm.contract_issued"}


@dataclass(frozen=True)
class PublishedNeed:
    """A need in the catalogue taking reports, with how many were turned in so far."""

    need: Need
    bids: int


@dataclass(frozen=True)
class FirmHome:
    todos: list[Todo]
    published: list[PublishedNeed]


def bid_counts(need_ids: list[int]) -> dict[int, int]:
    """How many reports were turned in on each need (one statement)."""
    return dict(db.session.execute(
        sa.select(Bid.need_id, sa.func.count(Bid.id)).where(Bid.need_id.in_(need_ids), Bid.status.in_(TURNED_IN))
        .group_by(Bid.need_id)).tuples().all())


def bid_count(need: Need) -> int:
    """How many reports were turned in on the need."""
    return bid_counts([need.id]).get(need.id, 0)


def _grouped(key: str, needs: list[Need], deadline, endpoint: str) -> list[Todo]:
    """One thing to do per edition: the need itself when it is alone, else the firm's list of needs."""
    by_edition: dict[int, list[Need]] = defaultdict(list)
    for need in needs:
        by_edition[need.edition_id].append(need)
    todos = []
    for group in by_edition.values():
        first = group[0]
        if len(group) == 1:
            todos.append(Todo(key, 1, deadline(first), endpoint, {"need_id": first.id}, first.name))
        else:
            todos.append(Todo(key, len(group), deadline(first), "firm.needs", {}, first.edition.name))
    return todos


def _need_todos(needs: list[Need], now: datetime) -> list[Todo]:
    today = beijing_date(now)
    returned = [n for n in needs if n.status == NeedStatus.RETURNED and n.edition.stage == EditionStage.OPEN
                and now < n.edition.bidding_deadline]
    drafts = [n for n in needs if n.status == NeedStatus.DRAFT and today <= n.edition.collection_end]
    final = [n for n in needs if n.status == NeedStatus.FINAL]
    return (_grouped("firm.returned", returned, lambda n: n.edition.bidding_deadline, "firm.edit_need")
            + _grouped("firm.draft", drafts, lambda n: n.edition.collection_end, "firm.need")
            + _grouped("firm.confirm", final, lambda n: n.edition.results_date, "firm.ranking"))


def _contract_todos(org_id: int) -> list[Todo]:
    """The firm's live contracts not yet signed: being drafted, or issued and waiting for its signature."""
    contracts = db.session.scalars(
        sa.select(Contract).join(Need, Need.id == Contract.need_id)
        .where(Need.firm_org_id == org_id, Contract.status.in_(tuple(UNSIGNED)))
        .options(joinedload(Contract.need)).order_by(Contract.id))
    return [Todo(UNSIGNED[c.status], 1, c.sign_date, "firm.need", {"need_id": c.need_id}, c.need.name)
            for c in contracts]


def _panel_todos(user: User) -> list[Todo]:
    """The on-site panels the account sits on as the firm's representative, with the finalists it has still to
    score while the final is under way (one statement)."""
    finalists = (sa.select(sa.func.count(Bid.id)).where(Bid.need_id == Need.id, Bid.status == BidStatus.FINALIST,
                                                         Bid.identity_disclosed_at.is_(None)).scalar_subquery())
    submitted = (sa.select(sa.func.count(ScoreSheet.id)).join(Bid, Bid.id == ScoreSheet.bid_id)
                 .where(Bid.need_id == Need.id, ScoreSheet.judge_id == user.id, ScoreSheet.round == Round.ONSITE,
                        ScoreSheet.status == SheetStatus.SUBMITTED).scalar_subquery())
    rows = db.session.execute(
        sa.select(Need.id, Need.name, Edition.final_date, finalists, submitted)
        .join(PanelMember, PanelMember.need_id == Need.id).join(Edition, Edition.id == Need.edition_id)
        .where(PanelMember.user_id == user.id, Need.status == NeedStatus.FINAL, Edition.stage == EditionStage.FINAL))
    return [Todo("firm.panel", due - done, final_date, "judge.panel", {"need_id": need_id}, name)
            for need_id, name, final_date, due, done in rows if due > done]


def firm_home(user: User, now: datetime) -> FirmHome:
    """The firm's next steps, soonest deadline first, and its needs taking reports with their counts (four
    statements)."""
    needs = list(db.session.scalars(
        sa.select(Need).where(Need.firm_org_id == user.org_id, Need.status.in_(ACTIVE))
        .options(joinedload(Need.edition)).order_by(Need.id)))
    published = [n for n in needs if n.status == NeedStatus.PUBLISHED]
    counts = bid_counts([n.id for n in published])
    published.sort(key=lambda n: (n.edition.bidding_deadline, n.id))
    todos = _need_todos(needs, now) + _contract_todos(user.org_id) + _panel_todos(user)
    return FirmHome(todos=soonest_first(todos), published=[PublishedNeed(n, counts.get(n.id, 0)) for n in published])
