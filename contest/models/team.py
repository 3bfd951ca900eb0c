"""Challenge teams (揭榜团队) under a lead organization, and their members."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .organization import Organization
from .user import User


class Team(db.Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # The lead organization is the legal party (乙方) of the contract.
    lead_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # The team account that registered and manages the team: one team per account.
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    leader_name: Mapped[str] = mapped_column(sa.String(50))
    leader_title: Mapped[str] = mapped_column(sa.String(50), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead_org: Mapped[Organization] = relationship()
    owner: Mapped[User] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", order_by="TeamMember.id", cascade="all, delete-orphan"
    )


class TeamMember(db.Model):
    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    organization_name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(50), default="")

    team: Mapped[Team] = relationship(back_populates="members")
