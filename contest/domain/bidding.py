"""Rules of the bidding window and of a bid's content."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .errors import DeadlinePassed, Invalid
from .states import NeedStatus

PDF_MAGIC = b"%PDF-"


def check_bidding_open(need_status: NeedStatus, deadline: datetime, now: datetime) -> None:
    """Bids are taken on a published need until the edition's bidding deadline."""
    if now >= deadline:
        raise DeadlinePassed("bid.deadline_passed")
    if need_status != NeedStatus.PUBLISHED:
        raise DeadlinePassed("bid.need_not_open")


def price_over_budget(price_wan: Decimal, budget_wan: Decimal) -> bool:
    """A quote above the need's budget is allowed but worth a warning."""
    return price_wan > budget_wan


def check_price(price_wan: Decimal) -> None:
    if price_wan <= 0:
        raise Invalid("bid.price_not_positive")


def looks_like_pdf(head: bytes) -> bool:
    """A PDF file starts with %PDF- (a byte-order mark or blank lines before it are tolerated)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(PDF_MAGIC)
