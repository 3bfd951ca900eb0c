"""Needs written through the open API: a market's staff, with a personal token, create a need for a firm their
market registered, through the same service (and the same checks) as the market's own pages."""
from __future__ import annotations

from datetime import datetime

from ...domain.choices import CooperationMode, NeedCategory, NeedField
from ...domain.errors import Invalid
from ...extensions import db
from ...models import ApiToken, Need, Organization
from .. import needs as need_service
from ..clock import beijing_date
from ..editions import open_for_needs
from . import tokens

# The need's own fields, as the need service takes them (the market is the token owner's, never the client's).
NEED_INPUT = ("name", "category", "field", "industry", "keywords", "problem", "key_points", "goals", "budget_wan",
              "period_start", "period_end", "cooperation", "anonymous")
CODED = {"category": NeedCategory, "field": NeedField, "cooperation": CooperationMode}


def create_need(token: ApiToken, data: dict, *, now: datetime) -> Need:
    """The token's owner drafts a need for a firm of their market in an edition collecting needs, and submits it
    at once when asked (data["submit"]); the token's use is noted. Flushes."""
    actor = token.user
    code = data["edition"].strip().upper()
    edition = next((e for e in open_for_needs(beijing_date(now)) if e.code == code), None)
    if edition is None:
        raise Invalid("api.edition_not_collecting", edition=code)
    firm = db.session.get(Organization, data["firm_id"])
    fields = {key: CODED[key](data[key]) if key in CODED else data[key] for key in NEED_INPUT}
    need = need_service.collect_need(actor, edition, firm, fields)
    db.session.flush()
    if data.get("submit"):
        need_service.submit_collected(need, actor, now=now)
    tokens.touch(token, now=now)
    return need
