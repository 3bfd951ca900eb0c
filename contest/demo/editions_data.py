"""The two demo editions: CIC8-NB, judged in 2024 from start to finish, and CIC9-NB, open now.

CIC8-NB has fixed 2024 dates; CIC9-NB's dates are counted from the day it is first seeded, so that need
collection and bidding are open in the demo then. Times are Beijing wall-clock; bj() gives naive UTC.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta


def bj(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment as naive UTC (how every timestamp is stored)."""
    return datetime(year, month, day, hour, minute) - timedelta(hours=8)


PAST_CODE, PAST_NAME = "CIC8-NB", "第八届中国创新挑战赛（宁波）"
LIVE_CODE, LIVE_NAME = "CIC9-NB", "第九届中国创新挑战赛（宁波）"

PAST_EDITION = dict(
    code=PAST_CODE, name=PAST_NAME, year=2024, created_at=bj(2024, 2, 26, 10),
    collection_start=date(2024, 3, 1), collection_end=date(2024, 5, 31),
    bidding_deadline=bj(2024, 6, 30, 17), review_start=date(2024, 7, 8), review_end=date(2024, 7, 26),
    final_date=date(2024, 9, 10), results_date=date(2024, 9, 20),
)
# CIC8-NB's needs are published in the weeks before this moment, its bids submitted before the next one.
PAST_NEEDS_ANCHOR = bj(2024, 5, 31, 17, 30)
PAST_BIDS_ANCHOR = bj(2024, 6, 29, 12)
# Days between a need's publication and its first bid: CIC8 bids come in over the summer.
PAST_BID_LAG, LIVE_BID_LAG = 20, 2

# CIC9-NB, in days from the first seeding (Beijing date).
LIVE_OFFSETS = dict(collection_start=-60, collection_end=20, bidding_deadline=40, review_start=45,
                    review_end=55, final_date=65, results_date=75)
