"""Organizations: firms, universities, institutes… the legal parties of a contract."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..domain.choices import OrgKind
from ..domain.conflicts import org_key
from ..extensions import db
from .base import enum_column, utcnow


def _name_key(context) -> str:
    """The key of a row inserted without one (Core bulk inserts)."""
    return org_key(context.get_current_parameters()["name"])


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # The name in the form names are compared in (org_key: 宁波⼤学 with a Kangxi radical, or with a zero-width
    # space, is 宁波大学): one organization per key.
    name_key: Mapped[str] = mapped_column(sa.String(120), unique=True, default=_name_key)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    # GB/T 2260 code of the county or district (e.g. 330212 宁波市鄞州区), as the registration form asks.
    region_code: Mapped[str] = mapped_column(sa.String(6))
    # The registration form's 性质 by ownership type (150 有限责任公司, 160 股份有限公司 …); "" = by kind
    # (a university is 022 whatever it says): contest.domain.registration_codes.
    nature_code: Mapped[str] = mapped_column(sa.String(3), default="")
    country_code: Mapped[str] = mapped_column(sa.String(3), default="156")   # ISO 3166-1 numeric, 156 中国
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    legal_rep: Mapped[str] = mapped_column(sa.String(50), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(50), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(120), default="")
    bank_name: Mapped[str] = mapped_column(sa.String(120), default="")
    bank_account: Mapped[str] = mapped_column(sa.String(40), default="")
    # A firm registered by a market's staff on its behalf: the market, and the firm's consent as recorded by them
    # (who agreed, and when).
    market_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("market.id"))
    consent_by: Mapped[str] = mapped_column(sa.String(50), default="")
    consent_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("length(credit_code) = 18", name="credit_code_length"),
        sa.CheckConstraint("length(region_code) = 6", name="region_code_length"),
    )

    @validates("name")
    def _keep_key(self, _key: str, name: str) -> str:
        self.name_key = org_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Organization {self.name}>"
