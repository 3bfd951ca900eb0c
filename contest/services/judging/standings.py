"""Standings: each bid's online, on-site and final scores and its rank within its need.

Everything an edition's standings need is read in a fixed number of statements (needs, bids, rubric
criteria, submitted sheet items, panels, firm decisions), whatever the number of needs, bids or sheets;
the arithmetic is domain.scoring's.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...domain.rubric import Round
from ...domain.scoring import (
    UNRESOLVED, Entry, Ranked, final_score, normalize_by_judge, rank_entries, ranked_enough, round_half_up, round_score,
)
from ...domain.states import BidStatus, EditionStage, NeedStatus
from ...extensions import db
from ...models import Bid, Edition, FirmConfirmation, Need, PanelMember, Team, TieRuling
from . import published
from .totals import SheetTotal, submitted_totals

# Needs whose bids are judged: from the close of bidding on.
JUDGED_NEEDS = frozenset({NeedStatus.BIDDING_CLOSED, NeedStatus.IN_REVIEW, NeedStatus.FINAL,
                          NeedStatus.AWARDED, NeedStatus.FAILED})
# Bids that were turned in and judged (drafts and withdrawn bids never are).
JUDGED_BIDS = frozenset({BidStatus.SUBMITTED, BidStatus.FINALIST, BidStatus.WINNER, BidStatus.NOT_SELECTED})
_NEVER = datetime.max


@dataclass
class BidStanding:
    """One bid's scores and places; None where a score does not exist (yet)."""

    bid: Bid
    online_sheets: int = 0
    online: Decimal | None = None
    online_top: Decimal | None = None
    not_ranked: str | None = None
    online_rank: Ranked | None = None
    finalist: bool = False
    onsite_sheets: int = 0
    onsite: Decimal | None = None
    onsite_top: Decimal | None = None
    onsite_totals: dict[int, Decimal] = field(default_factory=dict)   # panel member id → sheet total
    final: Decimal | None = None
    rank: Ranked | None = None

    def online_entry(self) -> Entry:
        """The bid as the online ranking (and the choice of finalists) sees it."""
        return Entry(self.bid.id, self.online, None, self.online_top, self.bid.submitted_at or _NEVER)

    @property
    def place(self) -> Ranked | None:
        """The rank that counts: the final one for a finalist once it exists, else the online one."""
        return self.rank if self.finalist and self.rank is not None else self.online_rank

    @property
    def unresolved(self) -> bool:
        return self.place is not None and self.place.decided_by == UNRESOLVED


@dataclass
class NeedStanding:
    """A need's bids in ranking order, its on-site panel and the firm's decision."""

    need: Need
    bids: list[BidStanding] = field(default_factory=list)
    panel: list[PanelMember] = field(default_factory=list)
    panel_complete: bool = False
    confirmation: FirmConfirmation | None = None   # the firm's latest decision
    tie_ruling: TieRuling | None = None             # the organizer's latest ruling on a tie for first place

    @property
    def finalists(self) -> list[BidStanding]:
        return [b for b in self.bids if b.finalist]

    @property
    def in_running(self) -> list[BidStanding]:
        """The finalists the firm may still confirm: not yet decided, not out for a disclosed identity (after an
        upheld objection, the reversed winner is out and the others are back in)."""
        return [b for b in self.finalists if b.bid.status == BidStatus.FINALIST and b.rank is not None
                and b.bid.identity_disclosed_at is None]

    @property
    def leaders(self) -> list[BidStanding]:
        """The finalists in the running with the best rank (more than one when that place is an unresolved tie)."""
        running = self.in_running
        best = min((b.rank.rank for b in running), default=None)
        return [b for b in running if b.rank.rank == best]

    @property
    def first(self) -> BidStanding | None:
        """The finalist the firm is offered: the leader, or the one the organizer ruled first in a tie."""
        leaders = self.leaders
        if len(leaders) == 1:
            return leaders[0]
        ruled = self.tie_ruling.bid_id if self.tie_ruling is not None else None
        return next((b for b in leaders if b.bid.id == ruled), None)

    @property
    def tie_to_rule(self) -> bool:
        """Whether the first place in the running is a tie the organizer has not ruled on."""
        return len(self.leaders) > 1 and self.first is None

    @property
    def winner(self) -> BidStanding | None:
        return next((b for b in self.bids if b.bid.status == BidStatus.WINNER), None)

    @property
    def unresolved(self) -> bool:
        return any(b.unresolved for b in self.bids)

    @property
    def experts(self) -> list[PanelMember]:
        return [m for m in self.panel if not m.firm_representative]

    @property
    def firm_representative(self) -> PanelMember | None:
        return next((m for m in self.panel if m.firm_representative), None)


def not_ranked_reason(sheets: int, minimum: int) -> str:
    return f"有效评分表 {sheets} 份，少于 {minimum} 份，不参与排名"


def _mean(values: list[Decimal]) -> Decimal | None:
    return round_half_up(sum(values, Decimal(0)) / len(values)) if values else None


DISCLOSED = "身份已披露，退出初评"   # the not-ranked reason of a bid whose identity the organizer marked disclosed


def _online(standing: NeedStanding, sheets: list[SheetTotal], normalized: dict, edition: Edition) -> None:
    """Online score, not-ranked reason and online rank of every bid of the need."""
    by_bid: dict[int, list[SheetTotal]] = defaultdict(list)
    for s in sheets:
        by_bid[s.bid_id].append(s)
    entries = []
    for b in standing.bids:
        mine = by_bid.get(b.bid.id, [])
        b.online_sheets = len(mine)
        if b.bid.identity_disclosed_at is not None:
            b.not_ranked = DISCLOSED   # out of the online round: its sheets are shown, its score is not ranked
            continue
        if not ranked_enough(len(mine), edition.min_sheets):
            b.not_ranked = not_ranked_reason(len(mine), edition.min_sheets)
            continue
        totals = [normalized[s.judge_id][s.bid_id] if normalized else s.total for s in mine]
        b.online = round_score(totals)
        b.online_top = _mean([s.top for s in mine if s.top is not None])
        entries.append(b.online_entry())
    ranks = {r.bid_id: r for r in rank_entries(entries)}
    for b in standing.bids:
        b.online_rank = ranks.get(b.bid.id)


def _onsite(standing: NeedStanding, sheets: list[SheetTotal], edition: Edition) -> None:
    """Finalists, panel completeness, on-site and final scores and the final ranking of the need."""
    members = {m.user_id for m in standing.panel}
    panel_sheets = [s for s in sheets if s.judge_id in members]
    scored = {s.bid_id for s in panel_sheets}
    for b in standing.bids:
        # a bid whose identity was found disclosed is out of the final too, whatever the panel had scored
        b.finalist = b.bid.identity_disclosed_at is None and (b.bid.status in (BidStatus.FINALIST, BidStatus.WINNER) or (
            b.bid.status == BidStatus.NOT_SELECTED and b.bid.id in scored))
    finalists = standing.finalists
    pairs = {(s.judge_id, s.bid_id) for s in panel_sheets}
    standing.panel_complete = bool(members and finalists) and all(
        (m, b.bid.id) in pairs for m in members for b in finalists)
    entries = []
    for b in finalists:
        mine = [s for s in panel_sheets if s.bid_id == b.bid.id]
        b.onsite_sheets = len(mine)
        b.onsite_totals = {s.judge_id: s.total for s in mine}
        if not standing.panel_complete:
            continue
        b.onsite = round_score([s.total for s in mine])
        b.onsite_top = _mean([s.top for s in mine if s.top is not None])
        if b.online is None:
            continue   # an online sheet reopened since: no final score until it is submitted again
        b.final = final_score(b.online, b.onsite, online_weight=edition.online_weight,
                              onsite_weight=edition.onsite_weight)
        entries.append(Entry(b.bid.id, b.final, b.onsite, b.onsite_top, b.bid.submitted_at or _NEVER))
    ranks = {r.bid_id: r for r in rank_entries(entries)}
    for b in finalists:
        b.rank = ranks.get(b.bid.id)


def _order(b: BidStanding) -> tuple:
    far = 10 ** 6
    return (not b.finalist, b.rank.rank if b.rank else far, b.online_rank.rank if b.online_rank else far,
            -b.online_sheets, b.bid.id)


def _compute(edition: Edition, needs: list[Need]) -> list[NeedStanding]:
    """The standings of the given needs of one edition (seven statements in all)."""
    need_ids = [n.id for n in needs]
    standings = {n.id: NeedStanding(n) for n in needs}
    if not needs:
        return []
    bids = db.session.scalars(
        sa.select(Bid).where(Bid.need_id.in_(need_ids), Bid.status.in_(JUDGED_BIDS))
        .options(joinedload(Bid.team).joinedload(Team.lead_org)).order_by(Bid.id)
    )
    for bid in bids:
        standings[bid.need_id].bids.append(BidStanding(bid))
    for member in db.session.scalars(sa.select(PanelMember).where(PanelMember.need_id.in_(need_ids))
                                     .options(joinedload(PanelMember.user)).order_by(PanelMember.user_id)):
        standings[member.need_id].panel.append(member)
    for decision in db.session.scalars(sa.select(FirmConfirmation).where(FirmConfirmation.need_id.in_(need_ids))
                                       .order_by(FirmConfirmation.id)):
        standings[decision.need_id].confirmation = decision   # the latest one stays
    for ruling in db.session.scalars(sa.select(TieRuling).where(TieRuling.need_id.in_(need_ids)).order_by(TieRuling.id)):
        standings[ruling.need_id].tie_ruling = ruling
    if edition.stage == EditionStage.RESULTS:
        stored = published.frozen(need_ids)
        if len(stored) == len(needs):  # published: what was frozen then, never recomputed
            for need_id, standing in standings.items():
                published.restore(standing, stored[need_id])
            return [standings[n.id] for n in needs]
    sheets = submitted_totals(edition, need_ids)
    online = [s for s in sheets if s.round == Round.ONLINE]
    normalized = {}
    if edition.normalize_online:
        by_judge: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for s in online:
            by_judge[s.judge_id][s.bid_id] = s.total
        normalized = normalize_by_judge(by_judge)
    need_of_bid = {b.bid.id: b.bid.need_id for st in standings.values() for b in st.bids}
    grouped: dict[tuple[int, Round], list[SheetTotal]] = defaultdict(list)
    for s in sheets:
        if s.bid_id in need_of_bid:
            grouped[(need_of_bid[s.bid_id], s.round)].append(s)
    for need_id, standing in standings.items():
        _online(standing, grouped[(need_id, Round.ONLINE)], normalized, edition)
        _onsite(standing, grouped[(need_id, Round.ONSITE)], edition)
        standing.bids.sort(key=_order)
    return [standings[n.id] for n in needs]


def judged_needs(edition: Edition, *, search: str = "", status: NeedStatus | None = None) -> sa.Select:
    """The edition's judged needs in id order, filtered by a word of their name and by status: the list the
    standings page paginates (each page's standings are then computed for its needs alone)."""
    stmt = (sa.select(Need).where(Need.edition_id == edition.id, Need.status.in_(JUDGED_NEEDS))
            .options(joinedload(Need.firm)).order_by(Need.id))
    if search:
        stmt = stmt.where(Need.name.contains(search, autoescape=True))
    if status is not None:
        stmt = stmt.where(Need.status == status)
    return stmt


def standings_of(edition: Edition, needs: list[Need]) -> list[NeedStanding]:
    """The standings of some needs of one edition (a page of them), in a constant number of queries."""
    return _compute(edition, needs)


def edition_standings(edition: Edition) -> list[NeedStanding]:
    """Every judged need of the edition with its bids in ranking order, in a constant number of queries."""
    return _compute(edition, list(db.session.scalars(judged_needs(edition))))


def need_standings(need: Need) -> NeedStanding:
    """One need's standings (online scores are normalized over the whole edition when it says so)."""
    return _compute(need.edition, [need])[0]


def standings_of_needs(needs: list[Need]) -> dict[int, NeedStanding]:
    """Several needs' standings, by need id: a constant number of queries per edition they belong to."""
    by_edition: dict[int, list[Need]] = defaultdict(list)
    for need in needs:
        by_edition[need.edition_id].append(need)
    found: dict[int, NeedStanding] = {}
    for group in by_edition.values():
        for standing in _compute(group[0].edition, group):
            found[standing.need.id] = standing
    return found


def own_results(bids: list[Bid]) -> dict[int, BidStanding]:
    """A team's own bids' standings, only in editions whose results are published (nothing about other bids)."""
    published = [b for b in bids if b.need.edition.stage == EditionStage.RESULTS]
    found = standings_of_needs(list({b.need_id: b.need for b in published}.values()))
    mine = {b.id for b in published}
    return {s.bid.id: s for standing in found.values() for s in standing.bids if s.bid.id in mine}
