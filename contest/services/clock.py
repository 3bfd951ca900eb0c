"""Time: the app's clock (UTC, naive) and Beijing dates for the stage calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app

BEIJING = timezone(timedelta(hours=8))


def now() -> datetime:
    """Naive UTC now; tests freeze it with app.config['FROZEN_NOW']."""
    frozen = current_app.config.get("FROZEN_NOW")
    if frozen is not None:
        return frozen
    return datetime.now(timezone.utc).replace(tzinfo=None)


def beijing_date(moment: datetime) -> date:
    """The calendar date in Beijing of a naive UTC moment."""
    return (moment + timedelta(hours=8)).date()


def from_beijing(moment: datetime) -> datetime:
    """A naive Beijing wall-clock time as naive UTC."""
    return moment - timedelta(hours=8)


def to_beijing(moment: datetime) -> datetime:
    return moment + timedelta(hours=8)
