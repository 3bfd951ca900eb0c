"""Standings frozen at publication: when an edition's results are published, each need's computed standings
are stored as they are, and every page shows those from then on instead of computing them again (at
national scale, 590,000 score points), so the published ranking is also the one that stays."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from ...domain.scoring import Ranked
from ...extensions import db
from ...models import Edition, PublishedStanding

# The per-bid figures a standing carries (the rest comes from the bid, its panel and the firm's decision).
_SCORES = ("online", "online_top", "onsite", "onsite_top", "final")
_COUNTS = ("online_sheets", "onsite_sheets")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _ranked(place: Ranked | None) -> dict | None:
    if place is None:
        return None
    return {"bid": place.bid_id, "rank": place.rank, "score": str(place.score),
            "tied_with": list(place.tied_with), "decided_by": place.decided_by}


def _place(data: dict | None) -> Ranked | None:
    if data is None:
        return None
    return Ranked(data["bid"], data["rank"], Decimal(data["score"]), tuple(data["tied_with"]), data["decided_by"])


def serialize(standing) -> str:
    """A NeedStanding's computed part as JSON (its bids in ranking order)."""
    bids = [{"bid": b.bid.id, **{k: getattr(b, k) for k in _COUNTS},
             **{k: None if getattr(b, k) is None else str(getattr(b, k)) for k in _SCORES},
             "not_ranked": b.not_ranked, "finalist": b.finalist,
             "online_rank": _ranked(b.online_rank), "rank": _ranked(b.rank),
             "onsite_totals": {str(judge): str(total) for judge, total in b.onsite_totals.items()}}
            for b in standing.bids]
    return json.dumps({"panel_complete": standing.panel_complete, "bids": bids}, ensure_ascii=False)


def restore(standing, text: str) -> None:
    """Fill a NeedStanding whose bids are loaded (unscored) with the frozen figures, in the frozen order."""
    data = json.loads(text)
    standing.panel_complete = data["panel_complete"]
    by_id = {b.bid.id: b for b in standing.bids}
    ordered = []
    for item in data["bids"]:
        b = by_id.pop(item["bid"], None)
        if b is None:
            continue  # a bid that is no longer shown (none is, once results are published)
        for key in _COUNTS:
            setattr(b, key, item[key])
        for key in _SCORES:
            setattr(b, key, _decimal(item[key]))
        b.not_ranked, b.finalist = item["not_ranked"], item["finalist"]
        b.online_rank, b.rank = _place(item["online_rank"]), _place(item["rank"])
        b.onsite_totals = {int(judge): Decimal(total) for judge, total in item["onsite_totals"].items()}
        ordered.append(b)
    standing.bids = ordered + list(by_id.values())


def frozen(need_ids: list[int]) -> dict[int, str]:
    """The frozen standings of the given needs that have them, by need id: one statement."""
    if not need_ids:
        return {}
    return dict(db.session.execute(sa.select(PublishedStanding.need_id, PublishedStanding.standing)
                                   .where(PublishedStanding.need_id.in_(need_ids))).tuples().all())


def freeze(edition: Edition, standings: list, now: datetime) -> int:
    """Store every computed need standing of the edition (replacing any earlier freeze); how many."""
    db.session.execute(sa.delete(PublishedStanding).where(PublishedStanding.edition_id == edition.id))
    rows = [{"edition_id": edition.id, "need_id": s.need.id, "standing": serialize(s), "published_at": now}
            for s in standings]
    if rows:
        db.session.execute(sa.insert(PublishedStanding), rows)
    return len(rows)
