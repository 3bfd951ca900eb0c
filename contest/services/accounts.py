"""Accounts: self-registration of firms and teams, users created by organizers, log-in checks."""
from __future__ import annotations

import sqlalchemy as sa

from ..domain.errors import Conflict, Invalid, NotPermitted
from ..domain.organizations import check_region_code, normalize_credit_code
from ..domain.states import Role
from ..extensions import db
from ..models import Organization, Team, TeamMember, User
from . import audit

ORG_FIELDS = (
    "name", "kind", "region_code", "address", "legal_rep", "contact_name",
    "contact_phone", "contact_email", "bank_name", "bank_account",
)


def find_or_create_organization(data: dict) -> Organization:
    """The organization with this credit code, or a new one; a code registered under another name is refused."""
    code = normalize_credit_code(data["credit_code"])
    check_region_code(data["region_code"])
    org = db.session.scalar(sa.select(Organization).where(Organization.credit_code == code))
    if org is not None:
        if org.name != data["name"]:
            raise Conflict(f"统一社会信用代码 {code} 已登记为“{org.name}”，请核对机构名称")
        return org
    if db.session.scalar(sa.select(Organization.id).where(Organization.name == data["name"])):
        raise Conflict(f"机构“{data['name']}”已用另一统一社会信用代码登记，请核对")
    org = Organization(credit_code=code, **{k: data[k] for k in ORG_FIELDS if k in data})
    db.session.add(org)
    db.session.flush()
    return org


def _new_user(username: str, password: str, role: Role, display_name: str, **extra) -> User:
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(f"用户名“{username}”已被使用")
    if len(password) < 8:
        raise Invalid("密码至少 8 位")
    user = User(username=username, role=role, display_name=display_name, **extra)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def register_firm(account: dict, org_data: dict) -> User:
    """A firm registers itself with its organization."""
    org = find_or_create_organization(org_data)
    user = _new_user(org_id=org.id, role=Role.FIRM, **account)
    audit.record(user, "user.register", user, {"role": "firm", "organization": org.name})
    return user


def register_team(account: dict, org_data: dict, team_data: dict, members: list[dict]) -> User:
    """A team registers itself under its lead organization, with its members."""
    org = find_or_create_organization(org_data)
    user = _new_user(org_id=org.id, role=Role.TEAM, **account)
    team = Team(lead_org_id=org.id, owner_id=user.id, **team_data)
    team.members = [TeamMember(**m) for m in members if m.get("name")]
    db.session.add(team)
    audit.record(user, "user.register", user, {"role": "team", "team": team.name, "organization": org.name})
    return user


def create_user(actor: User | None, *, role: Role, username: str, password: str, display_name: str,
                email: str = "", phone: str = "", org_id: int | None = None) -> User:
    """An organizer (or the CLI, actor None) creates a judge or another organizer."""
    if actor is not None and actor.role != Role.ORGANIZER:
        raise NotPermitted("只有组织方可以创建用户")
    if role in (Role.FIRM, Role.TEAM):
        raise Invalid("发榜企业和揭榜团队请自行注册")
    user = _new_user(username, password, role, display_name, email=email, phone=phone, org_id=org_id)
    audit.record(actor, "user.create", user, {"role": role.value, "username": username})
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def team_of(user: User) -> Team | None:
    return db.session.scalar(sa.select(Team).where(Team.owner_id == user.id))
