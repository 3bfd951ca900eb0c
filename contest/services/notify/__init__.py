"""Telling people what concerns them: an in-app notice and a mail for each event of events.py.

    notify.tell("need.returned", notify.audience.firm(need.firm_org_id), now=now,
                link=notify.path("firm.need", need_id=need.id), need=need.name, comment=comment)

The notice and the mail are written in the caller's transaction (outbox.py): a change that rolls back tells no
one; once it commits a worker delivers the mail (delivery.py, through the job queue), each message once, in the
recipient's language and as they chose (immediate, the daily digest, or the app only: preferences.py). The
worker's sweep writes the reminders at due dates and the digests (sweep.py). The organizer's mail log is
log.py.
"""
from __future__ import annotations

from . import audience
from .compose import path
from .outbox import Told, tell, tell_all, tell_each

__all__ = ["Told", "audience", "path", "tell", "tell_all", "tell_each"]
