"""The people of a generated edition: organizations, accounts, teams with their members, judges' profiles.

Pure. Names come from combinatorial spaces walked with a stride from a seed- and code-dependent offset, so
they are unique within an edition; unified social credit codes are valid (stdnum) and unique.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..demo.seed import credit_code
from ..domain.choices import NeedField, OrgKind
from ..domain.registration_codes import CHINA, default_nature
from ..domain.states import Role
from ..models import DeclaredConflict, JudgeExpertise, Organization, Team, TeamMember, User
from . import words as w
from .plan import Calendar, Ids, Sizes, Table, code_slug, stream

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"   # GB 32100 excludes I, O, S, V, Z
_STRIDE = 7919                                     # a prime: walks each name space without repeats
_CREDIT_PREFIX = {OrgKind.ENTERPRISE: "91", OrgKind.UNIVERSITY: "12", OrgKind.INSTITUTE: "12",
                  OrgKind.MEDICAL: "12", OrgKind.SOCIAL: "51", OrgKind.OTHER: "11"}
ORG_COLUMNS = ("id", "name", "kind", "credit_code", "region_code", "nature_code", "country_code", "address",
               "legal_rep", "contact_name", "contact_phone", "contact_email", "bank_name", "bank_account", "created_at")
# A firm's unit nature on the registration form follows its name: 股份有限公司 160, else 有限责任公司 150; the
# other kinds have their kind's (022 高等院校 …), as a contract's snapshot of them shows it.
_NATURE_BY_SUFFIX = {"股份有限公司": "160", "有限公司": "150", "集团有限公司": "150"}


@dataclass(frozen=True)
class Judge:
    id: int
    username: str
    display_name: str
    org: str | None                 # own organization's name
    declared: frozenset[str]        # declared conflicts (names)
    fields: frozenset[NeedField]

    @property
    def touches(self) -> frozenset[str]:
        return self.declared | ({self.org} if self.org else frozenset())


@dataclass
class People:
    orgs: Table
    users: Table
    teams: Table
    members: Table
    expertise: Table
    conflicts: Table
    organizer_id: int = 0
    org_name: dict[int, str] = field(default_factory=dict)
    org_row: dict[int, dict] = field(default_factory=dict)
    firm_org: list[int] = field(default_factory=list)        # per firm: its organization
    firm_users: list[list[int]] = field(default_factory=list)
    team_ids: list[int] = field(default_factory=list)
    team_name: dict[int, str] = field(default_factory=dict)
    team_lead: dict[int, int] = field(default_factory=dict)   # team id -> lead organization id
    team_orgs: dict[int, frozenset[str]] = field(default_factory=dict)  # lead and members' organizations
    judges: list[Judge] = field(default_factory=list)
    user_name: dict[int, str] = field(default_factory=dict)   # display names


class _Namer:
    """Unique names per kind: the n-th name of a space of combinations, walked with a fixed stride."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, {}

    def pick(self, kind: str, *choices: tuple[str, ...]) -> tuple[str, ...]:
        space = 1
        for options in choices:
            space *= len(options)
        start = self.used.setdefault(kind, [self.rng.randrange(space), 0])
        index = (start[0] + start[1] * _STRIDE) % space
        start[1] += 1
        if start[1] > space:
            raise ValueError(f"too many {kind} names")
        picked = []
        for options in choices:
            index, position = divmod(index, len(options))
            picked.append(options[position])
        return tuple(picked)


def person(rng: random.Random) -> str:
    return rng.choice(w.SURNAMES) + rng.choice(w.GIVEN)


def mobile(rng: random.Random) -> str:
    return f"1{rng.randint(3, 9)}{rng.randrange(10**9):09d}"


class _Builder:
    def __init__(self, sizes: Sizes, seed: int, code: str, ids: Ids, password_hash: str, cal: Calendar) -> None:
        self.sizes, self.ids, self.hash, self.cal = sizes, ids, password_hash, cal
        self.rng = stream(seed, code, "people")
        self.names = _Namer(self.rng)
        self.slug = code_slug(code)
        self.codes: set[str] = set()
        self.people = People(Table(Organization, ORG_COLUMNS),
                             Table(User, ("id", "username", "password_hash", "role", "display_name", "email",
                                          "phone", "org_id", "active", "session_generation", "created_at")),
                             Table(Team, ("id", "name", "lead_org_id", "owner_id", "leader_name", "leader_title",
                                          "created_at")),
                             Table(TeamMember, ("id", "team_id", "name", "organization_name", "title")),
                             Table(JudgeExpertise, ("judge_id", "field")),
                             Table(DeclaredConflict, ("judge_id", "org_id")))

    def moment(self, days_before: int) -> datetime:
        return self.cal.created_at - timedelta(days=self.rng.randint(1, days_before), minutes=self.rng.randint(0, 600))

    def org(self, name: str, kind: OrgKind, city: int, nature: str = "") -> int:
        rng, org_id = self.rng, self.ids.next("organization")
        region = w.REGION_CODES[city]
        while True:
            code = credit_code(_CREDIT_PREFIX[kind], region, "".join(rng.choice(_CODE_CHARS) for _ in range(8)))
            if code not in self.codes:
                break
        self.codes.add(code)
        row = dict(id=org_id, name=name, kind=kind, credit_code=code, region_code=w.DISTRICT_CODES[city],
                   nature_code=nature or default_nature(kind), country_code=CHINA,
                   address=f"{w.CITIES[city]}市{rng.choice(w.DISTRICTS)}{rng.choice(w.ROADS)}{rng.randint(1, 999)}号",
                   legal_rep=person(rng), contact_name=person(rng), contact_phone=mobile(rng),
                   contact_email=f"contact{org_id}@example.com", bank_name=f"{rng.choice(w.BANKS)}{w.CITIES[city]}分行",
                   bank_account=f"{rng.randrange(10**15, 10**16)}", created_at=self.moment(400))
        self.people.orgs.add(**row)
        self.people.org_name[org_id], self.people.org_row[org_id] = name, row
        return org_id

    def enterprise(self) -> int:
        city, brand, trade, suffix = self.names.pick("enterprise", w.CITIES, w.BRANDS, w.TRADES, w.FIRM_SUFFIXES)
        return self.org(f"{city}{brand}{trade}{suffix}", OrgKind.ENTERPRISE, w.CITIES.index(city),
                        _NATURE_BY_SUFFIX[suffix])

    def research(self) -> int:
        r = self.rng.random()
        if r < 0.4:
            city, word, suffix = self.names.pick("university", w.CITIES, w.UNIVERSITY_WORDS, w.UNIVERSITY_SUFFIXES)
            return self.org(f"{city}{word}{suffix}", OrgKind.UNIVERSITY, w.CITIES.index(city))
        if r < 0.75:
            city, topic, suffix = self.names.pick("institute", w.CITIES, w.INSTITUTE_TOPICS, w.INSTITUTE_SUFFIXES)
            return self.org(f"{city}{topic}{suffix}", OrgKind.INSTITUTE, w.CITIES.index(city))
        if r < 0.95:
            return self.enterprise()
        city, hospital = self.names.pick("hospital", w.CITIES, w.HOSPITAL_NAMES)
        return self.org(f"{city}市{hospital}", OrgKind.MEDICAL, w.CITIES.index(city))

    def user(self, username: str, role: Role, org_id: int | None, name: str | None = None) -> int:
        user_id = self.ids.next("user_account")
        name = name or person(self.rng)
        self.people.users.add(id=user_id, username=username, password_hash=self.hash, role=role, display_name=name,
                              email=f"{username}@example.com", phone=mobile(self.rng),
                              org_id=org_id, active=True, session_generation=1, created_at=self.moment(60))
        self.people.user_name[user_id] = name
        return user_id

    def build(self, code: str) -> People:
        p, sizes = self.people, self.sizes
        host = self.org(f"{code}挑战赛组委会办公室", OrgKind.OTHER, 0)
        p.organizer_id = self.user(f"{self.slug}-organizer", Role.ORGANIZER, host, "组委会办公室")
        for n in range(1, sizes.firms + 1):
            org_id = self.enterprise()
            p.firm_org.append(org_id)
            users = [self.user(f"{self.slug}-firm{n:04d}", Role.FIRM, org_id)]
            if n % 5 == 0:
                users.append(self.user(f"{self.slug}-firm{n:04d}b", Role.FIRM, org_id))
            p.firm_users.append(users)
        research = [self.research() for _ in range(sizes.research_orgs)]
        self._teams(research)
        self._judges(research)
        return p

    def _teams(self, research: list[int]) -> None:
        p, rng = self.people, self.rng
        for n in range(1, self.sizes.teams + 1):
            lead = rng.choice(research)
            owner = self.user(f"{self.slug}-team{n:04d}", Role.TEAM, lead)
            team_id = self.ids.next("team")
            leader, title = person(rng), rng.choice(w.TITLES[:6])
            name = f"{p.org_name[lead]}{rng.choice(w.INSTITUTE_TOPICS)}团队"
            p.teams.add(id=team_id, name=name[:100], lead_org_id=lead, owner_id=owner, leader_name=leader,
                        leader_title=title, created_at=self.moment(50))
            orgs = [lead] + rng.sample(research, rng.choice((0, 0, 1, 1, 2)))
            members = [(leader, lead, title)] + [(person(rng), rng.choice(orgs), rng.choice(w.TITLES))
                                                 for _ in range(rng.randint(1, 3))]
            for name_, org_id, title_ in members:
                p.members.add(id=self.ids.next("team_member"), team_id=team_id, name=name_,
                              organization_name=p.org_name[org_id], title=title_)
            p.team_ids.append(team_id)
            p.team_name[team_id], p.team_lead[team_id] = name[:100], lead
            p.team_orgs[team_id] = frozenset(p.org_name[o] for _, o, _ in members)

    def _judges(self, research: list[int]) -> None:
        p, rng = self.people, self.rng
        experts = []
        for _ in range(self.sizes.expert_orgs):
            city, association = self.names.pick("association", w.CITIES, w.ASSOCIATIONS)
            experts.append(self.org(f"{city}市{association}", OrgKind.SOCIAL, w.CITIES.index(city)))
        fields = list(NeedField)
        for n in range(1, self.sizes.judges + 1):
            org_id = rng.choice(research) if rng.random() < 0.75 else rng.choice(experts)
            judge_id = self.user(f"{self.slug}-judge{n:03d}", Role.JUDGE, org_id)
            mine = frozenset(rng.sample(fields, rng.randint(1, 3)))
            declared = sorted(set(rng.sample(research + p.firm_org, rng.randint(1, 2)))) if rng.random() < 0.4 else []
            for f in sorted(mine, key=lambda f: f.value):
                p.expertise.add(judge_id=judge_id, field=f)
            for org in declared:
                if org != org_id:
                    p.conflicts.add(judge_id=judge_id, org_id=org)
            p.judges.append(Judge(judge_id, f"{self.slug}-judge{n:03d}", p.user_name[judge_id], p.org_name[org_id],
                                  frozenset(p.org_name[o] for o in declared if o != org_id), mine))


def make_people(sizes: Sizes, seed: int, code: str, ids: Ids, password_hash: str, cal: Calendar) -> People:
    """Every organization and account of the edition, its teams and its judges' profiles."""
    return _Builder(sizes, seed, code, ids, password_hash, cal).build(code)
