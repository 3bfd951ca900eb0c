"""Accounts: self-registration of firms and teams, users created by organizers, log-in checks."""
from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.conflicts import org_key
from ..domain.errors import Conflict, Invalid, NotPermitted
from ..domain.organizations import check_region_code, normalize_credit_code
from ..domain.permissions import ensure_organizer
from ..domain.registration_codes import check_nature
from ..domain.states import Role
from ..extensions import db
from ..models import Organization, Team, TeamMember, User
from ..security import PASSWORD_MAX, PASSWORD_MIN, is_common
from . import clock, membership, notify
from .markets import open_market
from .records import audit

ORG_FIELDS = (
    "name", "kind", "region_code", "nature_code", "address", "legal_rep", "contact_name",
    "contact_phone", "contact_email", "bank_name", "bank_account",
)


def find_or_create_organization(data: dict) -> tuple[Organization, bool]:
    """The organization with this credit code and (in its compared form) this name, or a new one; and whether
    it was already on file. A code on file under another name, or a name on file under another code, is
    refused; so are a region code above the district level and a firm without its unit nature
    (contest.domain.registration_codes)."""
    code = normalize_credit_code(data["credit_code"])
    # The registration form's region (to the district) and, for a firm, its registration type (性质).
    data = {**data, "region_code": check_region_code(data["region_code"]),
            "nature_code": check_nature(data["kind"], data.get("nature_code"))}
    org = db.session.scalar(sa.select(Organization).where(Organization.credit_code == code))
    if org is not None:
        if org.name_key != org_key(data["name"]):
            raise Conflict("org.credit_code_taken", code=code, name=org.name)
        return org, True
    if db.session.scalar(sa.select(Organization.id).where(Organization.name_key == org_key(data["name"]))):
        raise Conflict("org.name_taken", name=data["name"])
    org = Organization(credit_code=code, **{k: data[k] for k in ORG_FIELDS if k in data})
    db.session.add(org)
    db.session.flush()
    return org, False


ORGS_SUGGESTED = 10


def registered_names_like(text: str) -> list[str]:
    """Up to ORGS_SUGGESTED registered organizations whose compared name contains the text's (at least two
    characters): what the team registration suggests for a member's organization."""
    key = org_key(text)
    if len(key) < 2:
        return []
    return list(db.session.scalars(sa.select(Organization.name)
                                   .where(Organization.name_key.contains(key, autoescape=True))
                                   .order_by(sa.func.length(Organization.name), Organization.name)
                                   .limit(ORGS_SUGGESTED)))


def _registered_names(names: list[str]) -> dict[str, str]:
    """The names on file of the organizations among `names` (by compared form): key → the registered name."""
    keys = {org_key(n) for n in names if org_key(n)}
    if not keys:
        return {}
    return dict(db.session.execute(sa.select(Organization.name_key, Organization.name)
                                   .where(Organization.name_key.in_(keys))).all())


def same_username(username: str) -> sa.ColumnElement[bool]:
    """User names are one whatever their case (Organizer is organizer): the unique index is on lower()."""
    return sa.func.lower(User.username) == (username or "").strip().lower()


def _new_user(username: str, password: str, role: Role, display_name: str, **extra) -> User:
    if db.session.scalar(sa.select(User.id).where(same_username(username))):
        raise Conflict("account.username_taken", username=username)
    check_password_policy(password, username)
    user = User(username=username, role=role, display_name=display_name, **extra)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    notify.tell("account.created", [user], now=clock.now(), link=notify.path("auth.me"), username=user.username)
    return user


def register_firm(account: dict, org_data: dict) -> User:
    """A firm registers itself with its organization; for an organization already on file the account waits
    until a member of it or an organizer lets it in (contest.services.membership)."""
    org, on_file = find_or_create_organization(org_data)
    user = _new_user(org_id=org.id, role=Role.FIRM, **account)
    audit.record(user, "user.register", user, {"role": "firm", "organization": org.name})
    if on_file:
        membership.ask_to_join(user)
    return user


def register_team(account: dict, org_data: dict, team_data: dict, members: list[dict]) -> User:
    """A team registers itself under its lead organization, with its members; members' organizations on file
    are written as they are registered. For a lead organization already on file the account waits to be let
    in, like a firm's."""
    org, on_file = find_or_create_organization(org_data)
    user = _new_user(org_id=org.id, role=Role.TEAM, **account)
    team = Team(lead_org_id=org.id, owner_id=user.id, **team_data)
    members = [m for m in members if m.get("name")]
    registered = _registered_names([m.get("organization_name", "") for m in members])
    team.members = [TeamMember(**{**m, "organization_name": registered.get(
        org_key(m.get("organization_name", "")), m.get("organization_name", ""))}) for m in members]
    db.session.add(team)
    audit.record(user, "user.register", user, {"role": "team", "team": team.name, "organization": org.name})
    if on_file:
        membership.ask_to_join(user)
    return user


def create_user(actor: User | None, *, role: Role, username: str, password: str, display_name: str,
                email: str = "", phone: str = "", org_id: int | None = None, market_id: int | None = None) -> User:
    """An organizer (or the CLI, actor None) creates a judge, another organizer, or a market's staff (who must
    name their market)."""
    if actor is not None:
        ensure_organizer(actor)
    if role in (Role.FIRM, Role.TEAM):
        raise Invalid("account.self_registration_only")
    if role == Role.MARKET:
        if market_id is None:
            raise Invalid("market.staff_needs_market")
        open_market(market_id)
    elif market_id is not None:
        raise Invalid("market.only_staff_have_market")
    user = _new_user(username, password, role, display_name, email=email, phone=phone, org_id=org_id,
                     market_id=market_id)
    detail = {"role": role.value, "username": username}
    if market_id is not None:
        detail["market"] = market_id
    audit.record(actor, "user.create", user, detail)
    return user


def register_firm_for_market(actor: User, account: dict, org_data: dict, *, consent_by: str, consented: bool,
                             now) -> User:
    """A market's staff register a firm and its account on its behalf, with the consent of the firm's person
    named (recorded with the time); the firm is their market's. An organization already on file is refused: its
    own members let a new account in."""
    if actor is None or actor.role != Role.MARKET or actor.market_id is None:
        raise NotPermitted("market.staff_only")
    consent_by = (consent_by or "").strip()
    if not consent_by or not consented:
        raise Invalid("market.consent_required")
    org, on_file = find_or_create_organization(org_data)
    if on_file:
        raise Conflict("market.firm_on_file", name=org.name)
    org.market_id, org.consent_by, org.consent_at = actor.market_id, consent_by, now
    user = _new_user(org_id=org.id, role=Role.FIRM, **account)
    audit.record(actor, "user.register_for_firm", user, {
        "role": "firm", "organization": org.name, "market": actor.market_id, "consent_by": consent_by})
    return user


def check_password_policy(password: str, username: str | None = None) -> None:
    """At least 10 characters (at most 128), not one of the most common passwords, not the user name
    (the rules of contest.security.password_problem, which words them for the forms)."""
    if len(password) < PASSWORD_MIN:
        raise Invalid("password.too_short", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise Invalid("password.too_long", n=PASSWORD_MAX)
    if is_common(password):
        raise Invalid("password.common")
    if username and password.strip().lower() == username.strip().lower():
        raise Invalid("password.same_as_username")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("no-such-account-dummy")


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    An unknown name costs the same hashing time as a wrong password, so timing tells no one which
    names exist; a correct password stored under an older hash method is re-hashed with scrypt.
    """
    user = db.session.scalar(sa.select(User).where(same_username(username)))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    if not user.password_hash.startswith("scrypt:"):
        user.set_password(password)
    return user


def login_failed(username: str) -> None:
    """Audit a refused log-in with the name tried (the account, when it exists, is the object)."""
    user = db.session.scalar(sa.select(User).where(same_username(username)))
    # An unknown name still needs an object of the right type for the trail; it is never saved.
    audit.record(None, "user.login_failed", user or User(username=username), {"username": username[:40]})


def end_sessions(user: User) -> None:
    """End every session of this user, in every browser and on every server (the next request is anonymous)."""
    user.session_generation = (user.session_generation or 1) + 1
    db.session.flush()


def log_out(user: User) -> None:
    """The user logs out: all their sessions end."""
    end_sessions(user)
    audit.record(user, "user.logout", user)


def change_password(user: User, *, current: str, new: str) -> User:
    """The user changes their own password; every other session of theirs ends."""
    if not user.check_password(current):
        raise Invalid("password.current_wrong")
    if new == current:
        raise Invalid("password.unchanged")
    check_password_policy(new, user.username)
    user.set_password(new)
    end_sessions(user)
    audit.record(user, "user.password_change", user)
    now = clock.now()
    notify.tell("account.password_changed", [user], now=now, username=user.username,
                when=clock.to_beijing(now).strftime("%Y-%m-%d %H:%M"))
    return user


def set_active(actor: User, user: User, active: bool) -> User:
    """An organizer disables an account (it can no longer log in, its sessions end) or enables it again."""
    ensure_organizer(actor)
    if user.id == actor.id and not active:
        raise Invalid("account.disable_self")
    if user.active != active:
        user.active = active
        if not active:
            end_sessions(user)
        audit.record(actor, "user.enable" if active else "user.disable", user, {"username": user.username})
    return user


def team_of(user: User) -> Team | None:
    return db.session.scalar(sa.select(Team).where(Team.owner_id == user.id))
