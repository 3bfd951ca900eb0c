"""The results embargo: until an edition's results are published, what teams, firms' other users and the public
see of a need or a bid does not tell who won or who was ranked where."""
from __future__ import annotations

from enum import Enum

from .states import BidStatus, NeedStatus


class Undisclosed(str, Enum):
    """The state shown in place of a decision not yet published."""

    RESULTS_PENDING = "results_pending"


DECISIONS = frozenset({NeedStatus.AWARDED, NeedStatus.FAILED, BidStatus.WINNER, BidStatus.NOT_SELECTED})


def shown_status(status: Enum, results_published: bool) -> Enum:
    """The status itself once the edition's results are published; before, a decision (awarded or failed,
    first place or not selected) shows as "results pending", like every other decided need or bid. After
    publication, a need back in the final (an upheld objection reversed its award) shows as pending too, until
    its firm decides again."""
    if not results_published and status in DECISIONS and type(status) in (NeedStatus, BidStatus):
        return Undisclosed.RESULTS_PENDING
    if results_published and type(status) is NeedStatus and status == NeedStatus.FINAL:
        return Undisclosed.RESULTS_PENDING
    return status
