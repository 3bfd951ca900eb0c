"""Every status of the contest as an enum, with one transition table each."""
from __future__ import annotations

from enum import Enum, StrEnum

from .errors import InvalidTransition


class Role(str, Enum):
    ORGANIZER = "organizer"
    FIRM = "firm"
    TEAM = "team"
    JUDGE = "judge"
    MARKET = "market"    # staff of one market of the 1+12+13 network (分市场 / 专业市场)
    BROKER = "broker"    # a technology broker (技术经纪人)


class NeedStatus(str, Enum):
    DRAFT = "draft"
    MARKET_REVIEW = "market_review"  # with the market that collected it, before the organizer's queue
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    BIDDING_CLOSED = "bidding_closed"
    IN_REVIEW = "in_review"
    FINAL = "final"
    AWARDED = "awarded"
    FAILED = "failed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class BidStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    FINALIST = "finalist"
    WINNER = "winner"
    NOT_SELECTED = "not_selected"


class CreditStatus(str, Enum):
    """A broker named by a firm (on a need) or a team (on a bid): the broker confirms or declines."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class ReviewDecision(str, Enum):
    """The organizer's screening decisions on a submitted need."""

    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


class Membership(str, Enum):
    """A firm or team account's standing in its organization: an account that registered for an organization
    already on file waits until a member of it or an organizer lets it in."""

    MEMBER = "member"
    PENDING = "pending"
    REFUSED = "refused"


class EditionStage(str, Enum):
    """Where an edition stands after its bidding window: the organizer moves it on, step by step."""

    OPEN = "open"                    # collecting needs and taking bids
    ONLINE_REVIEW = "online_review"  # 初评: judges score the bids online
    FINAL = "final"                  # 现场赛 and the firms' confirmations
    RESULTS = "results"              # 结果公示: results published


class SheetStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class AssignmentStatus(str, Enum):
    ASSIGNED = "assigned"
    RECUSED = "recused"


class FirmDecision(str, Enum):
    CONFIRM = "confirm"
    DECLINE = "decline"


class ObjectionStatus(str, Enum):
    """An objection (异议) to a need's published result, filed during the objection window."""

    PENDING = "pending"
    UPHELD = "upheld"
    REJECTED = "rejected"


class JobStatus(StrEnum):
    """Where a job (long work off the request, contest/services/jobs) stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MailState(StrEnum):
    """Where a message of the outbox (contest/services/notify) stands."""

    HELD = "held"        # waits for the recipient's daily digest
    QUEUED = "queued"    # to be sent (again, after a refusal: at next_attempt_at)
    SENDING = "sending"  # taken by a worker
    SENT = "sent"
    FAILED = "failed"    # refused for good, or given up after MAIL_MAX_ATTEMPTS: resent by hand
    DIGESTED = "digested"  # sent inside a digest (digest_id)


class MailMode(StrEnum):
    """How a user hears of one kind of event."""

    IMMEDIATE = "immediate"  # a mail at once
    DIGEST = "digest"        # in the day's digest
    APP = "app"              # in the app only (not for the events the rules require to be sent)


N, B = NeedStatus, BidStatus

NEED_TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    N.DRAFT: frozenset({N.SUBMITTED, N.MARKET_REVIEW, N.WITHDRAWN}),
    # The market's staff pass it on to the organizer's queue or return it to the firm.
    N.MARKET_REVIEW: frozenset({N.SUBMITTED, N.RETURNED, N.WITHDRAWN, N.REJECTED}),
    N.SUBMITTED: frozenset({N.PUBLISHED, N.RETURNED, N.REJECTED, N.WITHDRAWN}),
    N.RETURNED: frozenset({N.SUBMITTED, N.MARKET_REVIEW, N.WITHDRAWN, N.REJECTED}),  # rejected: still unrevised when bidding closes
    N.PUBLISHED: frozenset({N.BIDDING_CLOSED, N.WITHDRAWN}),
    N.BIDDING_CLOSED: frozenset({N.IN_REVIEW, N.FAILED}),
    N.IN_REVIEW: frozenset({N.FINAL, N.FAILED}),
    N.FINAL: frozenset({N.AWARDED, N.FAILED}),
    N.AWARDED: frozenset({N.FINAL}),  # only when an objection is upheld: the award is reversed
    N.FAILED: frozenset(),
    N.REJECTED: frozenset(),
    N.WITHDRAWN: frozenset(),
}

BID_TRANSITIONS: dict[BidStatus, frozenset[BidStatus]] = {
    B.DRAFT: frozenset({B.SUBMITTED, B.WITHDRAWN}),
    B.SUBMITTED: frozenset({B.WITHDRAWN, B.FINALIST, B.NOT_SELECTED}),
    B.WITHDRAWN: frozenset(),
    B.FINALIST: frozenset({B.WINNER, B.NOT_SELECTED}),
    B.WINNER: frozenset({B.NOT_SELECTED}),     # an upheld objection reverses the award
    B.NOT_SELECTED: frozenset({B.FINALIST}),   # ... and the need's other finalists are in the running again
}

EDITION_TRANSITIONS: dict[EditionStage, frozenset[EditionStage]] = {
    EditionStage.OPEN: frozenset({EditionStage.ONLINE_REVIEW}),
    EditionStage.ONLINE_REVIEW: frozenset({EditionStage.FINAL}),
    EditionStage.FINAL: frozenset({EditionStage.RESULTS}),
    EditionStage.RESULTS: frozenset(),
}

SHEET_TRANSITIONS: dict[SheetStatus, frozenset[SheetStatus]] = {
    SheetStatus.DRAFT: frozenset({SheetStatus.SUBMITTED}),
    # Only an organizer reopens a submitted sheet, with a reason kept in its history.
    SheetStatus.SUBMITTED: frozenset({SheetStatus.DRAFT}),
}

JOB_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING}),
    # Queued again when its worker died (its heartbeat went stale); failed when that kept happening.
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.QUEUED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),  # retried by its starter: a new attempt of the same job
}

# What a screening decision does to a submitted need.
DECISION_TARGET: dict[ReviewDecision, NeedStatus] = {
    ReviewDecision.APPROVE: N.PUBLISHED,
    ReviewDecision.RETURN: N.RETURNED,
    ReviewDecision.REJECT: N.REJECTED,
}

# A firm may change the text of its need only in these states.
NEED_EDITABLE = frozenset({N.DRAFT, N.RETURNED})
# The public catalogue shows needs from publication on, except those withdrawn or rejected.
NEED_PUBLIC = frozenset({N.PUBLISHED, N.BIDDING_CLOSED, N.IN_REVIEW, N.FINAL, N.AWARDED, N.FAILED})
# A bid that still counts: the one-live-bid-per-team-per-need rule looks at these.
BID_LIVE = frozenset({B.DRAFT, B.SUBMITTED, B.FINALIST, B.WINNER, B.NOT_SELECTED})
# A team may edit or withdraw its bid in these states, before the deadline.
BID_CHANGEABLE = frozenset({B.DRAFT, B.SUBMITTED})


def ensure_transition(table: dict, old: Enum, new: Enum) -> None:
    """Raise InvalidTransition unless `table` allows old -> new."""
    if new not in table[old]:
        raise InvalidTransition(old, new)


def ensure_need_transition(old: NeedStatus, new: NeedStatus) -> None:
    ensure_transition(NEED_TRANSITIONS, old, new)


def ensure_bid_transition(old: BidStatus, new: BidStatus) -> None:
    ensure_transition(BID_TRANSITIONS, old, new)


def ensure_edition_transition(old: EditionStage, new: EditionStage) -> None:
    ensure_transition(EDITION_TRANSITIONS, old, new)


def ensure_sheet_transition(old: SheetStatus, new: SheetStatus) -> None:
    ensure_transition(SHEET_TRANSITIONS, old, new)


def ensure_job_transition(old: JobStatus, new: JobStatus) -> None:
    ensure_transition(JOB_TRANSITIONS, old, new)
