"""Every action a page offers, with the check that decides it (contest/web/offers.py) and, for what cannot be
undone, the warning asked before it. One line an action; the check is the service's own, the one its verb calls."""
from __future__ import annotations

from flask_babel import gettext as _

from .offers import action

# bids
# needs
# the stages of an edition
# judging
# objections
# contracts
