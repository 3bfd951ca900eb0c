"""The organizer's workspace (组织方): one blueprint whose routes live in a module or package per wing —
home (dashboard), editions, screening, accounts, records (audit log), mail (the mail log), judging/, contracts/
and jobs."""
from __future__ import annotations

from flask import Blueprint

from ..auth.guards import require_role
from ..domain.states import Role

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
bp.before_request(require_role(Role.ORGANIZER))

# The wings register their routes on `bp`; imported last so that they find it defined.
from . import accounts, contracts, editions, home, jobs, judging, mail, records, screening  # noqa: E402,F401
from . import brokers  # noqa: E402,F401  (技术经纪人)
from . import markets  # noqa: E402,F401  (the network's markets)
from . import network  # noqa: E402,F401  (the network's statistics)
