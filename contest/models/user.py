"""Users: one role each; firm and team users belong to an organization."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.states import Membership, Role
from ..extensions import db
from .base import enum_column, utcnow
from .market import Market
from .organization import Organization


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    email: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    org_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # The market a market-staff account works for (role market only).
    market_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("market.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    membership: Mapped[Membership] = mapped_column(enum_column(Membership, "membership"), default=Membership.MEMBER,
                                                   server_default=Membership.MEMBER.value)
    # Bumped by logout, a password change or disabling the account: every session carrying an older
    # generation is refused, on every app server.
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # The language of the user's mail and notices (zh_CN or en), chosen on the notification settings page.
    language: Mapped[str] = mapped_column(sa.String(10), default="zh_CN", server_default="zh_CN")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Optional[Organization]] = relationship(lazy="joined")
    market: Mapped[Optional[Market]] = relationship(lazy="joined")

    __table_args__ = (
        # Firm and team accounts act for an organization; the contract needs one.
        sa.CheckConstraint("role NOT IN ('firm', 'team') OR org_id IS NOT NULL", name="party_has_org"),
        # Market staff act for one market.
        sa.CheckConstraint("role <> 'market' OR market_id IS NOT NULL", name="staff_has_market"),
        # One account per name whatever its case: FIRM1 is firm1 (accounts.same_username looks it up so).
        sa.Index("uq_user_account_username_lower", sa.func.lower(username), unique=True),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"
