"""Column helpers shared by the models."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum

import sqlalchemy as sa


def utcnow() -> datetime:
    """Naive UTC now: every timestamp is stored in UTC and shown in Beijing time."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def enum_column(enum_cls: type[Enum], name: str) -> sa.Enum:
    """Store an enum by its value, as a string with a CHECK constraint (portable across databases)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
