"""Typed SQLAlchemy models, one module per aggregate."""
from .audit import AuditEvent
from .base import utcnow
from .bid import Bid
from .edition import Edition
from .need import Need, NeedReview
from .organization import Organization
from .team import Team, TeamMember
from .user import User

__all__ = [
    "AuditEvent", "Bid", "Edition", "Need", "NeedReview", "Organization",
    "Team", "TeamMember", "User", "utcnow",
]
