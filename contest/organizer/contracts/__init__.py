"""Contracts, for the organizer: drafting from each confirmed winner, issuing the numbered PDF, the follow-up
after signing, and the edition's statistics, registration sheet and batch print. Each module registers its
routes on the organizer blueprint."""
from . import drafting, followup, issuing, statistics  # noqa: F401
