"""Load the demo: organizations, accounts, teams, and two editions with their needs and bids.

CIC8-NB (2024) is judged from start to finish by the real services (seed_judging), and its 18 winners
sign their contracts (seed_contracts); CIC9-NB is open now, for the stages before judging. Idempotent:
every record is looked up by its natural key (edition code, credit code, username, team owner, need name
within the edition, team and need of a bid) and created only when missing; nothing existing is changed,
an edition already judged is left as it is, and its contracts are made only while it has none. Flushes,
never commits (the command does).
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext
from stdnum.cn import uscc
from werkzeug.security import generate_password_hash

from ..domain.errors import Conflict
from ..domain.states import Role
from ..extensions import db
from ..models import Organization, Team, TeamMember, User
from ..services import clock
from ..services.accounts import find_or_create_organization
from . import dataset
from .seed_bids import seed_bids
from .seed_contracts import seed_contracts
from .seed_editions import PastState, live_edition, past_edition
from .seed_judging import Labels, ensure_profiles, judge_edition, outcome_line
from .seed_needs import needs_of, seed_needs
from .seed_network import seed_network
from .tally import Tally

PASSWORD = dataset.accounts().password

# GB 11714 organization code: the 9th character checks the first eight.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(prefix: str, region: str, body: str) -> str:
    """A unified social credit code from its parts, with the organization-code and USCC check characters."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = prefix + region + org_code
    return first17 + uscc.calc_check_digit(first17)


def seed() -> list[str]:
    """Create whatever of the demo data is missing and return a summary, one line per kind of record."""
    tally = Tally()
    now = clock.now()
    calendar, people = dataset.editions(), dataset.accounts()
    orgs = _organizations(tally)
    users = _accounts(orgs, tally)
    teams = _teams(users, tally)
    past, state, past_line = past_edition()
    live, live_line = live_edition(now)
    written: list[Path] = []
    try:
        past_lines = [past_line]
        if state != PastState.LEGACY:
            past_needs, needs_line = seed_needs(past, users, tally, anchor=calendar.past_needs_anchor,
                                                create=state == PastState.NEW)
            past_lines += [needs_line, *seed_bids(past, past_needs, teams, tally, written,
                                                  anchor=calendar.past_bids_anchor,
                                                  lag_days=calendar.past_bid_lag)]
            if state == PastState.NEW:
                firms = {item["key"]: item["firm"] for item in needs_of(past.code)}
                past_lines += judge_edition(past, Labels(past_needs, teams, firms), users, orgs)
            past_lines.append(outcome_line(past))
            past_lines += seed_contracts(past, past_needs, users["organizer"], written)
        live_needs, live_needs_line = seed_needs(live, users, tally, anchor=live.created_at)
        lines = [live_line, live_needs_line, *seed_bids(live, live_needs, teams, tally, written,
                                                        anchor=live.created_at, lag_days=calendar.live_bid_lag)]
        lines += seed_network(past, live, tally, now=now)  # markets' staff, brokers, events (data/network.toml)
        profiles = ensure_profiles(users, orgs)  # judges of a database where CIC8-NB was not judged here
        db.session.flush()
    except BaseException:
        for path in written:  # no stray upload if the seed fails
            path.unlink(missing_ok=True)
        raise
    # The kinds are named in the plural here ("demo" context), apart from the singular labels of the pages.
    return [
        tally.line("organizations", pgettext("demo", "机构"), _("个")),
        tally.line("accounts", pgettext("demo", "账号"), _("个")),
        tally.line("teams", pgettext("demo", "揭榜团队"), _("个")),
        *past_lines,
        *lines,
        *([_("评审专家档案：登记 %(count)s 位专家的擅长领域与声明回避单位", count=profiles)] if profiles else []),
        _("演示账号（密码均为 %(password)s）：organizer（组织方）；firm1—firm%(firms)s（发榜企业）；"
          "team1—team%(teams)s（揭榜团队）；judge1—judge%(judges)s（评审专家）",
          password=PASSWORD, firms=len(people.firms), teams=len(people.teams), judges=len(people.judges)),
    ]


def _organizations(tally: Tally) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for key, item in dataset.organizations().items():
        data = {k: v for k, v in item.items() if k != "code_parts"}
        data["credit_code"] = credit_code(*item["code_parts"])
        org = db.session.scalar(sa.select(Organization).where(Organization.credit_code == data["credit_code"]))
        tally.add("organizations", org is None)
        if org is None:
            org = find_or_create_organization(data)[0]  # with its nature_code, the form's 性质 (150 有限责任公司 …)
        orgs[key] = org
    return orgs


class _Accounts:
    """Finds or creates demo users; the password is hashed once per run, and only if a user is new."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self._hash: str | None = None

    def get(self, username: str, role: Role, display_name: str, org: Organization | None,
            phone: str = "", email: str = "") -> User:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is not None:
            if user.role != role:
                raise Conflict("demo.username_taken", username=username)
            self.tally.add("accounts", False)
            return user
        if self._hash is None:
            self._hash = generate_password_hash(PASSWORD)
        user = User(username=username, role=role, display_name=display_name, password_hash=self._hash,
                    org_id=org.id if org else None, phone=phone, email=email or f"{username}@example.com")
        db.session.add(user)
        db.session.flush()
        self.tally.add("accounts", True)
        return user


def _accounts(orgs: dict[str, Organization], tally: Tally) -> dict[str, User]:
    found, people = _Accounts(tally), dataset.accounts()
    organizer = people.organizer
    users = {organizer["username"]: found.get(
        organizer["username"], Role.ORGANIZER, organizer["display_name"], orgs[organizer["org"]],
        organizer["phone"], organizer["email"])}
    for username, (name, org_key, phone) in people.firms.items():
        users[username] = found.get(username, Role.FIRM, name, orgs[org_key], phone)
    for username, team in people.teams.items():
        name, phone = people.team_contacts[username]
        users[username] = found.get(username, Role.TEAM, name, orgs[team["org"]], phone)
    for username, (name, org_key) in people.judges.items():
        users[username] = found.get(username, Role.JUDGE, name, orgs[org_key] if org_key else None)
    return users


def _teams(users: dict[str, User], tally: Tally) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for username, item in dataset.accounts().teams.items():
        owner = users[username]
        team = db.session.scalar(sa.select(Team).where(Team.owner_id == owner.id))
        tally.add("teams", team is None)
        if team is None:
            team = Team(name=item["name"], lead_org_id=owner.org_id, owner_id=owner.id,
                        leader_name=item["leader_name"], leader_title=item["leader_title"],
                        members=[TeamMember(**m) for m in item["members"]])
            db.session.add(team)
            db.session.flush()
        teams[username] = team
    return teams
