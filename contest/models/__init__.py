"""Typed SQLAlchemy models, one module per aggregate."""
from .audit import AuditEvent
from .base import utcnow
from .bid import Bid
from .contract import Contract, Instalment, MilestoneAcceptance, Payment
from .edition import Edition
from .judging import (
    Assignment, DeclaredConflict, FirmConfirmation, JudgeExpertise, Notice, PanelMember, Rubric,
    RubricCriterion, ScoreItem, ScoreSheet, SheetReopening,
)
from .need import Need, NeedReview
from .organization import Organization
from .submission import FormSubmission
from .team import Team, TeamMember
from .user import User

__all__ = [
    "Assignment", "AuditEvent", "Bid", "Contract", "Instalment", "MilestoneAcceptance", "Payment", "DeclaredConflict", "Edition", "FirmConfirmation", "FormSubmission", "JudgeExpertise",
    "Need", "NeedReview", "Notice", "Organization", "PanelMember", "Rubric", "RubricCriterion", "ScoreItem",
    "ScoreSheet", "SheetReopening", "Team", "TeamMember", "User", "utcnow",
]
