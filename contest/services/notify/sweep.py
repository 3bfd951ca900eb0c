"""What the worker's sweep does for mail every minute (contest/worker.py commits): take again the messages whose
worker died while sending, write the reminders that are due and the day's digests."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from . import delivery, digest, reminders


def sweep(*, now: datetime) -> None:
    delivery.requeue_stale(now=now, stale_after=timedelta(seconds=float(current_app.config["MAIL_STALE_AFTER"])))
    reminders.review_due(now=now)
    reminders.bidding_deadline(now=now)
    reminders.bids_closed(now=now)
    reminders.contract_signing(now=now)
    digest.write_digests(now=now)
