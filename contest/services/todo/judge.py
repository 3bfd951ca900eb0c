"""A judge's score sheets due: the online sheets of editions in their online round and the on-site sheets of the
panels of needs in the final, from the rows the judge's home has read already (no statement of its own)."""
from __future__ import annotations

from collections.abc import Iterable

from ...domain.states import BidStatus, EditionStage, NeedStatus, SheetStatus
from . import Todo, soonest_first


def online_live(row) -> bool:
    """Whether an assigned bid (a row with .bid and .sheet_status) is in an online round still under way."""
    return row.bid.need.edition.stage == EditionStage.ONLINE_REVIEW


def panel_live(panel) -> bool:
    """Whether a panel (a row with .member, .finalists, .submitted) scores a need whose final is under way."""
    need = panel.member.need
    return need.status == NeedStatus.FINAL and need.edition.stage == EditionStage.FINAL


def _online_due(row) -> bool:
    bid = row.bid
    return (online_live(row) and bid.status == BidStatus.SUBMITTED and bid.need.status == NeedStatus.IN_REVIEW
            and row.sheet_status != SheetStatus.SUBMITTED)


def sheets_due(assigned: Iterable, panels: Iterable) -> list[Todo]:
    """Per edition in its online round, the sheets still to submit (linking to the first of them, due at the
    round's end); per panel of a need in the final, the finalists still to score (due on the final's day)."""
    online: dict[int, list] = {}
    for row in assigned:
        if _online_due(row):
            online.setdefault(row.bid.need.edition_id, []).append(row.bid)
    todos = [Todo("judge.online", len(bids), bids[0].need.edition.review_end, "judge.online_bid",
                  {"bid_id": bids[0].id}, bids[0].need.edition.name) for bids in online.values()]
    for panel in panels:
        need = panel.member.need
        if panel_live(panel) and panel.submitted < panel.finalists:
            todos.append(Todo("judge.panel", panel.finalists - panel.submitted, need.edition.final_date,
                              "judge.panel", {"need_id": need.id}, need.name))
    return soonest_first(todos)


def by_round(assigned: list, panels: list) -> tuple[tuple[list, list], tuple[list, list]]:
    """The assigned bids and the panels, each split into those of rounds under way and those of rounds over."""
    return (([r for r in assigned if online_live(r)], [r for r in assigned if not online_live(r)]),
            ([p for p in panels if panel_live(p)], [p for p in panels if not panel_live(p)]))
