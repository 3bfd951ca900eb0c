"""Broker profiles, kept by the organizer: each with the broker's own log-in account (role broker)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ...domain.choices import BrokerLevel, NeedField
from ...domain.errors import Conflict, Invalid
from ...domain.permissions import ensure_organizer
from ...domain.states import Role
from ...extensions import db
from ...models import Broker, Market, User
from .. import accounts
from ..records import audit

PROFILE_FIELDS = ("name", "level", "certificate_no", "market_id", "fields", "phone", "active")
CHOICES_SHOWN = 20   # brokers a firm or team sees for one search
MAX_SEARCH = 100


def _checked(data: dict, broker: Broker | None = None) -> dict:
    """The profile's fields cleaned and checked: name, certificate (unique), a market on file, known fields."""
    data = {key: data[key] for key in PROFILE_FIELDS if key in data}
    data["name"] = (data.get("name") or "").strip()
    data["certificate_no"] = (data.get("certificate_no") or "").strip()
    data["phone"] = (data.get("phone") or "").strip()
    if not data["name"]:
        raise Invalid("broker.name_required")
    if not data["certificate_no"]:
        raise Invalid("broker.certificate_required")
    data["level"] = BrokerLevel(data["level"])
    if data.get("market_id") is None or db.session.get(Market, data["market_id"]) is None:
        raise Invalid("broker.market_unknown")
    fields = [NeedField(f).value if not isinstance(f, NeedField) else f.value for f in data.get("fields") or ()]
    data["fields"] = ",".join(sorted(set(fields)))
    holder = db.session.scalar(sa.select(Broker).where(
        sa.func.lower(Broker.certificate_no) == data["certificate_no"].lower()))
    if holder is not None and holder is not broker:
        raise Conflict("broker.certificate_taken", number=data["certificate_no"], name=holder.name)
    return data


def create_broker(actor: User, data: dict, account: dict, *, now: datetime) -> Broker:
    """A broker's profile with its log-in account (role broker), both or neither."""
    ensure_organizer(actor)
    data = _checked(data)
    user = accounts.create_user(actor, role=Role.BROKER, **account)
    broker = Broker(user_id=user.id, created_at=now, **data)
    db.session.add(broker)
    db.session.flush()
    audit.record(actor, "broker.create", broker, {"name": broker.name, "certificate": broker.certificate_no,
                                                  "username": user.username})
    return broker


def update_broker(actor: User, broker: Broker, data: dict, *, now: datetime) -> Broker:
    """Correct a broker's profile; a profile made inactive can no longer be named (its credits stay)."""
    ensure_organizer(actor)
    data = _checked(data, broker)
    changed = sorted(key for key, value in data.items() if getattr(broker, key) != value)
    for key, value in data.items():
        setattr(broker, key, value)
    db.session.flush()
    audit.record(actor, "broker.update", broker, {"changed": changed})
    return broker


def brokers_select(market_id: int | None = None) -> sa.Select:
    """Every broker with its market and account, by name (a list page searches and sorts it)."""
    stmt = sa.select(Broker).order_by(Broker.name, Broker.id)
    if market_id is not None:
        stmt = stmt.where(Broker.market_id == market_id)
    return stmt


def field_list(broker: Broker) -> list[NeedField]:
    """The broker's fields as NeedField members (unknown codes dropped)."""
    known = {f.value for f in NeedField}
    return [NeedField(code) for code in (broker.fields or "").split(",") if code in known]


def active_matching(text: str) -> list[Broker]:
    """Up to CHOICES_SHOWN active brokers whose name or certificate number contains the text (all when empty)."""
    stmt = sa.select(Broker).where(Broker.active.is_(True)).order_by(Broker.name, Broker.id).limit(CHOICES_SHOWN)
    text = (text or "").strip()
    if text:
        pattern = "%" + text[:MAX_SEARCH].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(Broker.name.ilike(pattern, escape="\\"),
                                 Broker.certificate_no.ilike(pattern, escape="\\")))
    return list(db.session.scalars(stmt))


def broker_of(user: User) -> Broker | None:
    """The profile of a broker's account (None when the organizer has not made one)."""
    return db.session.scalar(sa.select(Broker).where(Broker.user_id == user.id))
