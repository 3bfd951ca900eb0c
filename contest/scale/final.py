"""The on-site final: panels (three experts and the firm's representative), on-site sheets, the firms'
decisions and the published results.

Pure. The ranking is domain.scoring's, as the standings compute it: on-site score the mean of the panel's
totals, final = 30 % online + 70 % on site, ties broken by the on-site score, the top criterion and the
earlier submission; the firm confirms the first-ranked finalist, or (about 2 % of needs) declines.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from ..domain.rubric import Round
from ..domain.scoring import Entry, final_score, rank_entries, round_score
from ..domain.states import BidStatus, FirmDecision, NeedStatus
from ..models import FirmConfirmation, PanelMember
from . import words as w
from .bidding import NeedRec
from .judging import Criteria, Sheets, mean
from .people import People
from .plan import Calendar, Ids, Table, stream

PANEL_EXPERTS, ROOMS_PER_SESSION_DAY = 3, 4
ONLINE_WEIGHT, ONSITE_WEIGHT = Decimal("0.30"), Decimal("0.70")


@dataclass
class Final:
    panels: Table = field(default_factory=lambda: Table(PanelMember, ("need_id", "user_id", "firm_representative")))
    decisions: Table = field(default_factory=lambda: Table(FirmConfirmation, (
        "id", "need_id", "bid_id", "decision", "reason", "decided_by_id", "created_at")))
    sheets: Sheets = field(default_factory=Sheets)
    winners: dict[int, int] = field(default_factory=dict)      # need id -> winning bid id
    declined: int = 0


def _panel(need: NeedRec, people: People, load: Counter, orgs: frozenset[str]) -> list[int]:
    """Three experts unconflicted with every finalist and the firm: in-field first, the least used first."""
    free = [j for j in people.judges if not (j.touches & orgs)]
    free.sort(key=lambda j: (need.field not in j.fields, load[j.id], j.id))
    if not free:
        raise ValueError(f"no judge may sit on need {need.id}'s panel")
    return [j.id for j in free[:PANEL_EXPERTS]]


def run_final(needs: list[NeedRec], people: People, online: Sheets, criteria: Criteria, ids: Ids, seed: int,
              code: str, cal: Calendar, notices: Table) -> Final:
    """Every finalist need's panel scores its finalists on site; its firm then decides; results published."""
    rng, final, load = stream(seed, code, "final"), Final(), Counter()
    finals = [n for n in needs if n.status == NeedStatus.FINAL]
    rooms = max(1, -(-len(finals) // (3 * ROOMS_PER_SESSION_DAY)))     # the final lasts three days
    for i, need in enumerate(finals):
        finalists = sorted((b for b in need.bids if b.status == BidStatus.FINALIST), key=lambda b: b.submitted_at)
        firm_name = people.org_name[need.row["firm_org_id"]]
        experts = _panel(need, people, load, frozenset().union(*(people.team_orgs[b.team_id] for b in finalists))
                         | {firm_name})
        load.update(experts)
        representative = people.firm_users[need.firm][0]
        for expert in experts:
            final.panels.add(need_id=need.id, user_id=expert, firm_representative=False)
        final.panels.add(need_id=need.id, user_id=representative, firm_representative=True)
        slot = i // rooms
        start = cal.final_day + timedelta(days=slot // ROOMS_PER_SESSION_DAY, hours=2 * (slot % ROOMS_PER_SESSION_DAY))
        members = [*experts, representative]
        for f, bid in enumerate(finalists):
            pitch_end = start + timedelta(minutes=25 * (f + 1))
            target = max(20, min(98, bid.quality + rng.randint(-8, 8)))
            for m, member in enumerate(members):
                comment = (lambda total: rng.choice(w.FIRM_COMMENTS)) if member == representative else (
                    lambda total: w.band_comment(total, w.ONSITE_COMMENTS, rng.choice))
                final.sheets.add(ids, rng, Round.ONSITE, bid, member, criteria, target, comment,
                                 pitch_end + timedelta(minutes=2 * (m + 1)))
        decided = start + timedelta(days=1, hours=1 + i % 6, minutes=13 * i % 60)
        _decide(need, finalists, online, final, people, ids, rng, decided, notices, cal)
    return final


def _decide(need: NeedRec, finalists: list, online: Sheets, final: Final, people: People, ids: Ids, rng,
            decided, notices: Table, cal: Calendar) -> None:
    """Rank the finalists and record the firm's decision: the first-ranked wins, unless the firm declines."""
    entries = []
    for bid in finalists:
        onsite = round_score(final.sheets.totals[bid.id])
        score = final_score(round_score(online.totals[bid.id]), onsite, online_weight=ONLINE_WEIGHT,
                            onsite_weight=ONSITE_WEIGHT)
        entries.append(Entry(bid.id, score, onsite, mean(final.sheets.tops[bid.id]), bid.submitted_at))
    leaders = [r.bid_id for r in rank_entries(entries) if r.rank == 1]
    firm_user = people.firm_users[need.firm][0]
    declines = rng.random() < 0.02 or len(leaders) != 1     # an unresolved tie is left to the firm: it declines
    winner = None if declines else leaders[0]
    for bid in finalists:
        bid.status = BidStatus.WINNER if bid.id == winner else BidStatus.NOT_SELECTED
        bid.updated_at = decided
    need.status, need.updated_at = (NeedStatus.FAILED if declines else NeedStatus.AWARDED), decided
    final.decisions.add(id=ids.next("firm_confirmation"), need_id=need.id, bid_id=winner,
                        decision=FirmDecision.DECLINE if declines else FirmDecision.CONFIRM,
                        reason=w.DECLINE_REASON if declines else "", decided_by_id=firm_user, created_at=decided)
    text = (f"“{need.name}”的发榜企业不予确认优胜团队：{w.DECLINE_REASON}"[:500] if declines
            else f"“{need.name}”的发榜企业已确认挑战第一名")
    notices.add(id=ids.next("notice"), user_id=people.organizer_id, text=text, created_at=decided,
                read_at=cal.results_at)
    if declines:
        final.declined += 1
    else:
        final.winners[need.id] = winner
