"""The demo's data files (data/*.toml), each read once and handed out as the structures the seed uses.

One file per kind: editions, organizations, accounts, needs, bids, judging and contracts. Enum values are
written as their string values and turned into the enums here; amounts of money are strings, turned into
Decimal (never float); moments are written in Beijing time with their offset (+08:00) and handed out as
naive UTC, how every timestamp is stored. What is code rather than data stays here: bj(), applying the
contracts' [defaults] and {placeholders}, and the check of the contracts' figures.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind
from ..domain.contracts import NONTECH_PARTS, IpOwnership
from ..domain.states import NeedStatus

DATA = Path(__file__).with_name("data")


def bj(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment as naive UTC (how every timestamp is stored)."""
    return datetime(year, month, day, hour, minute) - timedelta(hours=8)


def _read(name: str) -> dict[str, Any]:
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def _utc(moment: datetime) -> datetime:
    """A moment written with its offset (2024-07-08T09:00:00+08:00) as naive UTC."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"演示数据中的时刻须写明时区（如 +08:00）：{moment!r}")
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Editions:
    """CIC8-NB, judged in 2024 (past), and CIC9-NB, open now (live)."""

    past: dict[str, Any]            # the keyword arguments of CIC8-NB's Edition
    past_needs_anchor: datetime     # CIC8-NB's needs are published in the weeks before this moment,
    past_bids_anchor: datetime      # its bids submitted before this one
    past_bid_lag: int               # days between a need's publication and its first bid
    live_code: str
    live_name: str
    live_bid_lag: int
    live_offsets: dict[str, int]    # CIC9-NB's calendar in days from its first seeding (Beijing date)

    @property
    def past_code(self) -> str:
        return self.past["code"]


@cache
def editions() -> Editions:
    data = _read("editions")
    past, live = dict(data["past"]), data["live"]
    anchors = past.pop("needs_anchor"), past.pop("bids_anchor")
    lag = past.pop("bid_lag_days")
    for key in ("created_at", "bidding_deadline"):
        past[key] = _utc(past[key])
    return Editions(past=past, past_needs_anchor=_utc(anchors[0]), past_bids_anchor=_utc(anchors[1]),
                    past_bid_lag=lag, live_code=live["code"], live_name=live["name"],
                    live_bid_lag=live["bid_lag_days"], live_offsets=dict(live["offsets"]))


@cache
def organizations() -> dict[str, dict[str, Any]]:
    """Organization key -> its fields, with code_parts (prefix, region, body) for seed.credit_code(), its
    region_code (the county or district of its address: `region`, else the code's region) and nature_code."""
    orgs: dict[str, dict[str, Any]] = {}
    for key, item in _read("organizations").items():
        prefix, region, body = item["code_parts"]
        fields = {k: v for k, v in item.items() if k not in ("region", "nature")}
        region_code = item.get("region", region)
        if len(region_code) != 6 or not region_code.isdigit() or region_code.endswith("00"):
            raise ValueError(f"演示机构 {key} 的行政区划代码须为县级（6 位、不以 00 结尾）：{region_code}")
        orgs[key] = {**fields, "kind": OrgKind(item["kind"]), "code_parts": (prefix, region, body),
                     "region_code": region_code, "nature_code": item.get("nature", "")}
    return orgs


@dataclass(frozen=True)
class Accounts:
    """The organizer, the firms' users, the teams by their owner's username, and the judges."""

    password: str
    organizer: dict[str, str]
    firms: dict[str, tuple[str, str, str]]         # username -> (display name, organization key, phone)
    teams: dict[str, dict[str, Any]]               # username -> the team, its account's organization key
    team_contacts: dict[str, tuple[str, str]]      # username -> (display name, phone)
    judges: dict[str, tuple[str, str | None]]      # username -> (display name, organization key or None)


@cache
def accounts() -> Accounts:
    data = _read("accounts")
    teams = {username: {k: v for k, v in team.items() if k != "contact"} for username, team in data["teams"].items()}
    return Accounts(
        password=data["password"],
        organizer=dict(data["organizer"]),
        firms={username: (f["name"], f["org"], f["phone"]) for username, f in data["firms"].items()},
        teams=teams,
        team_contacts={username: (team["contact"]["name"], team["contact"]["phone"])
                       for username, team in data["teams"].items()},
        judges={username: (j["name"], j.get("org")) for username, j in data["judges"].items()},
    )


@dataclass(frozen=True)
class Needs:
    """Both editions' needs in their order, and the organizer's comments approving them."""

    all: list[dict[str, Any]]
    approval_comments: tuple[str, ...]


@cache
def needs() -> Needs:
    data = _read("needs")
    items = []
    for item in data["needs"]:
        need = {**item, "category": NeedCategory(item["category"]), "field": NeedField(item["field"]),
                "cooperation": CooperationMode(item["cooperation"])}
        if "status" in item:
            need["status"] = NeedStatus(item["status"])
        items.append(need)
    return Needs(all=items, approval_comments=tuple(data["approval_comments"]))


@cache
def bids() -> list[dict[str, Any]]:
    """The bids (need key, team username, quote ratio, months and the report's texts) in their order."""
    return _read("bids")["bids"]


@dataclass(frozen=True)
class Judging:
    """How CIC8-NB was judged: profiles, target totals, the calendar (naive UTC), the final and comments."""

    assign_seed: int
    profiles: dict[str, tuple[tuple[NeedField, ...], tuple[str, ...]]]  # fields, organizations in conflict
    grades: dict[tuple[str, str], tuple[int, int | None]]  # (need, team) -> online and on-site targets
    declined: tuple[str, str]       # need key, the firm's reason
    recusal: tuple[str, str]        # judge, reason
    reopening: tuple[str, str]      # judge, reason with {criterion} and {points}
    profiles_at: datetime
    review_opened_at: datetime
    assigned_at: datetime
    online_first_day: datetime
    online_days: int
    finalists_at: datetime
    panels_at: datetime
    final_day: datetime
    confirm_first: datetime
    results_at: datetime
    panel_experts: int
    rooms: int
    pitch_minutes: int
    online_comments: dict[int, tuple[str, ...]]
    onsite_comments: dict[int, tuple[str, ...]]
    firm_comments: tuple[str, ...]


def _bands(table: dict[str, list[str]]) -> dict[int, tuple[str, ...]]:
    return {int(threshold): tuple(comments) for threshold, comments in table.items()}


@cache
def judging() -> Judging:
    data = _read("judging")
    cal, final, comments = data["calendar"], data["final"], data["comments"]
    grades = {(need, team): (marks[0], marks[1] if len(marks) > 1 else None)
              for need, teams in data["grades"].items() for team, marks in teams.items()}
    return Judging(
        assign_seed=data["assign_seed"],
        profiles={username: (tuple(NeedField(f) for f in p["fields"]), tuple(p.get("conflicts", ())))
                  for username, p in data["profiles"].items()},
        grades=grades,
        declined=(data["declined"]["need"], data["declined"]["reason"]),
        recusal=(data["recusal"]["judge"], data["recusal"]["reason"]),
        reopening=(data["reopening"]["judge"], data["reopening"]["reason"]),
        profiles_at=_utc(cal["profiles"]), review_opened_at=_utc(cal["review_opened"]),
        assigned_at=_utc(cal["assigned"]), online_first_day=_utc(cal["online_first_day"]),
        online_days=cal["online_days"], finalists_at=_utc(cal["finalists"]), panels_at=_utc(cal["panels"]),
        final_day=_utc(cal["final_day"]), confirm_first=_utc(cal["confirm_first"]), results_at=_utc(cal["results"]),
        panel_experts=final["panel_experts"], rooms=final["rooms"], pitch_minutes=final["pitch_minutes"],
        online_comments=_bands(comments["online"]), onsite_comments=_bands(comments["onsite"]),
        firm_comments=tuple(comments["firm"]),
    )


@dataclass(frozen=True)
class Contracts:
    """CIC8-NB's contracts by need key, the correction of one of them, and the terms every contract has."""

    by_need: dict[str, dict[str, Any]]
    correction: dict[str, Any]
    total_wan: Decimal
    drafted_at: datetime
    phase_one_end: date
    acceptance_methods: tuple[str, ...]
    ip_details: dict[IpOwnership, str]
    funds_use: str
    risk_terms: str
    breach_terms: str
    follow_up: str
    after_sales_text: str           # with {months}
    phase_terms_text: str           # with {scope}

    def after_sales(self, months: int) -> str:
        return self.after_sales_text.format(months=months)

    def phase_terms(self, scope: str) -> str:
        """第二十七条 for a 36-month project contracted in two phases."""
        return self.phase_terms_text.format(scope=scope) + self.follow_up

    def check(self) -> None:
        """The demo's figures hold: 18 different amounts adding up to 7250 万元, each schedule summing to its total,
        the non-technical parts known and less than the total, a registered amount equal to the 技术交易额."""
        amounts = [item["amount"] for item in self.by_need.values()]
        if len(amounts) != 18 or len(set(amounts)) != 18 or sum(amounts) != self.total_wan:
            raise ValueError(f"演示合同数据有误：{len(amounts)} 份，合计 {sum(amounts)} 万元"
                             f"（应为 18 份、{self.total_wan} 万元）")
        for key, item in self.by_need.items():
            if sum(wan for wan, _due, _c in item["schedule"]) != item["amount"]:
                raise ValueError(f"演示合同 {key} 的各期付款之和不等于合同总额")
            if set(item["nontech"]) - set(NONTECH_PARTS) or sum(item["nontech"].values()) >= item["amount"]:
                raise ValueError(f"演示合同 {key} 的非技术性费用有误：{item['nontech']}")
            tech = item["amount"] - sum(item["nontech"].values())
            if item["registered"] and Decimal(item["registered"]["tech_wan"]) != tech:
                raise ValueError(f"演示合同 {key} 的登记技术交易额不等于合同总额减非技术性费用（{tech} 万元）")


def _contract(item: dict[str, Any], defaults: dict[str, Any], conditions: dict[str, str]) -> dict[str, Any]:
    """A contract as the seed uses it: amounts in Decimal, the non-technical parts by Contract column
    (equipment_amount …, 万元), the schedule as (万元, due, condition), paid as (instalment, date) and accepted
    as (instalment, date, what was accepted)."""
    terms = {**defaults, **item}
    schedule = list(enumerate(terms["schedule"], start=1))
    return dict(
        amount=Decimal(terms["amount"]), signed=terms["signed"], materials=terms["materials"],
        nontech={f"{part}_amount": Decimal(wan) for part, wan in terms.get("nontech", {}).items()},
        ip=IpOwnership(terms["ip"]), court=terms["court"], years=terms["years"], copies=terms["copies"],
        phase=terms["phase"], method=terms["method"], service=terms["service"],
        schedule=[(Decimal(i["wan"]), i["due"], i["condition"].format_map(conditions)) for _seq, i in schedule],
        paid=[(seq, i["paid_on"]) for seq, i in schedule if "paid_on" in i],
        accepted=[(seq, i["accepted_on"], i["acceptance"]) for seq, i in schedule if "accepted_on" in i],
        registered=terms.get("registered"),
    )


@cache
def contracts() -> Contracts:
    data = _read("contracts")
    terms, fix = data["terms"], dict(data["correction"])
    fix = {"key": fix.pop("need"), **fix}
    return Contracts(
        by_need={key: _contract(item, data["defaults"], data["conditions"]) for key, item in data["contracts"].items()},
        correction=fix, total_wan=Decimal(data["total_wan"]), drafted_at=_utc(data["drafted_at"]),
        phase_one_end=data["phase_one_end"], acceptance_methods=tuple(terms["acceptance_methods"]),
        ip_details={IpOwnership(k): v for k, v in terms["ip_details"].items()},
        funds_use=terms["funds_use"], risk_terms=terms["risk_terms"], breach_terms=terms["breach_terms"],
        follow_up=terms["follow_up"], after_sales_text=terms["after_sales"], phase_terms_text=terms["phase_terms"],
    )
