"""Typed SQLAlchemy models, one module per aggregate."""
from .api_token import ApiToken
from .audit import AuditEvent
from .base import utcnow
from .bid import Bid
from .broker import Broker, BrokerCredit, RewardRule
from .contract import Contract, Instalment, MilestoneAcceptance, Payment
from .edition import Edition
from .event import EventContact, EventNeed, EventRegistration, MatchEvent
from .job import Job
from .judging import (
    Assignment, DeclaredConflict, FirmConfirmation, JudgeExpertise, Notice, PanelMember, Rubric,
    RubricCriterion, ScoreItem, ScoreSheet, SheetReopening, TieRuling,
)
from .mail import MailMessage, MailPreference
from .market import Market
from .need import Need, NeedReview
from .objection import Objection
from .organization import Organization
from .standing import PublishedStanding
from .submission import FormSubmission
from .team import Team, TeamMember
from .user import User

__all__ = [
    "ApiToken", "Assignment", "AuditEvent", "Bid", "Broker", "BrokerCredit", "EventContact", "EventNeed",
    "EventRegistration", "MatchEvent", "Market", "RewardRule", "Contract", "Instalment", "MilestoneAcceptance", "Payment", "DeclaredConflict", "Edition", "FirmConfirmation", "FormSubmission", "Job", "JudgeExpertise",
    "MailMessage", "MailPreference",
    "Need", "NeedReview", "Notice", "Objection", "Organization", "PanelMember", "PublishedStanding", "Rubric", "RubricCriterion", "ScoreItem",
    "ScoreSheet", "SheetReopening", "Team", "TieRuling", "TeamMember", "User", "utcnow",
]
