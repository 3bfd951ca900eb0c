"""The organizer's ruling on a tie for first place that the tie-breaks could not separate: which finalist ranks
first, and why. It unblocks the firm's confirmation; the firm may still decline."""
from __future__ import annotations

from datetime import datetime

from ...domain.errors import Conflict, Invalid
from ...domain.permissions import ensure_organizer
from ...domain.states import NeedStatus
from ...extensions import db
from ...models import Need, TieRuling, User
from .. import notify
from ..records import audit
from .standings import NeedStanding, need_standings

REASON_LIMIT = 1000


def check_rule_tie(standing: NeedStanding, actor: User, now: datetime) -> None:
    """Refuse a ruling now: organizers only, a need awaiting its firm's decision, a first place still tied."""
    ensure_organizer(actor)
    if standing.need.status != NeedStatus.FINAL:
        raise Conflict("tie.not_final")
    if not standing.tie_to_rule:
        raise Conflict("tie.none")


def rule_tie(need: Need, actor: User, bid_id: int, reason: str, now: datetime) -> TieRuling:
    """Rank `bid_id` first among the tied leaders of `need`, with a reason (audited; the firm is told)."""
    standing = need_standings(need)
    check_rule_tie(standing, actor, now)
    leaders = {b.bid.id for b in standing.leaders}
    if bid_id not in leaders:
        raise Invalid("tie.not_leader")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("tie.reason_required")
    if len(reason) > REASON_LIMIT:
        raise Invalid("tie.reason_too_long", n=REASON_LIMIT)
    ruling = TieRuling(need_id=need.id, bid_id=bid_id, reason=reason, ruled_by_id=actor.id, created_at=now)
    db.session.add(ruling)
    audit.record(actor, "need.tie_ruling", need, {"bid_id": bid_id, "tied": sorted(leaders), "reason": reason})
    notify.tell("tie.ruled", notify.audience.firm(need.firm_org_id), now=now,
                link=notify.path("firm.ranking", need_id=need.id), need=need.name)
    return ruling
