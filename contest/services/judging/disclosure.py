"""A report that disclosed its team's identity: the organizer takes it out of the online round.

The anonymity check at upload (services.bids.check_report) catches a report that names its team in its text;
what it cannot see (a scanned report, a logo, a name the table does not know) the organizer may find later and
mark here, with a reason: the bid is not selected (where its status allows it), its judges no longer see it,
its online score is not ranked (standings), its team is told, and the act is audited. It cannot be undone.
"""
from __future__ import annotations

from datetime import datetime

from ...domain.errors import Conflict, Invalid, WindowClosed
from ...domain.permissions import ensure_organizer
from ...domain.states import BidStatus, EditionStage, ensure_bid_transition
from ...models import Bid, User
from .. import notify
from ..records import audit

REASON_MAX = 500
# The bids still in the running that a disclosure takes out: turned in, or finalists.
DISCLOSABLE = frozenset({BidStatus.SUBMITTED, BidStatus.FINALIST})


def check_disclose(bid: Bid, actor: User, now: datetime) -> None:
    """Refuse marking the bid's identity disclosed now: an organizer only, a submitted or finalist bid not yet
    marked, before the edition's results are published."""
    ensure_organizer(actor)
    if bid.identity_disclosed_at is not None:
        raise Conflict("disclosure.already")
    if bid.need.edition.stage == EditionStage.RESULTS:
        raise WindowClosed("disclosure.results_published")
    if bid.status not in DISCLOSABLE:
        raise Conflict("disclosure.not_reviewed")


def disclose_identity(bid: Bid, actor: User, reason: str, now: datetime) -> Bid:
    """Mark the bid's identity disclosed with the reason: not selected, out of the online round, team told."""
    check_disclose(bid, actor, now)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("disclosure.reason_required")
    if len(reason) > REASON_MAX:
        raise Invalid("disclosure.reason_too_long", n=REASON_MAX)
    old = bid.status
    ensure_bid_transition(old, BidStatus.NOT_SELECTED)
    bid.status = BidStatus.NOT_SELECTED
    bid.identity_disclosed_at, bid.identity_disclosed_reason, bid.identity_disclosed_by_id = now, reason, actor.id
    audit.record(actor, "bid.disclose", bid, {"reason": reason, "need_id": bid.need_id, "old_status": old.value})
    notify.tell("bid.identity_disclosed", notify.audience.team(bid.team), now=now,
                link=notify.path("team.bid", bid_id=bid.id), need=bid.need.name, reason=reason)
    return bid
