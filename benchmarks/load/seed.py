"""Seed the load benchmark's world through the app's services; write the plan the load clients follow.

    DATABASE_URL=... CONTEST_INSTANCE=... STORAGE_DIR=... .venv/bin/python benchmarks/load/seed.py PLAN.json

Two editions: BENCH-OPEN, open for bidding (deadline two hours from now), with published needs for the
teams to bid on; BENCH-REVIEW, in the online review stage, whose submitted bids the judges score (bids
made with create_bid, the review opened with open_online_review, the judges assigned with auto_assign,
as the organizer would). Accounts are made as seed-demo makes them: one password hash for all.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from werkzeug.security import generate_password_hash  # noqa: E402

from contest.demo.report_pdf import build_pdf  # noqa: E402
from contest.demo.seed import credit_code  # noqa: E402
from contest.demo.seed_judging import demo_clock  # noqa: E402
from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind  # noqa: E402
from contest.domain.states import ReviewDecision, Role  # noqa: E402
from contest.extensions import db  # noqa: E402
from contest.models import Edition, Organization, Team, TeamMember, User  # noqa: E402
from contest.services import bids, clock, needs  # noqa: E402
from contest.services.accounts import find_or_create_organization  # noqa: E402
from contest.services.editions import save_edition  # noqa: E402
from contest.services.files import uploads  # noqa: E402
from contest.services.judging.assignments import auto_assign  # noqa: E402
from contest.services.judging.judges import update_profile  # noqa: E402
from contest.services.judging.stages import open_online_review  # noqa: E402

PASSWORD = "bench-pass-2024"
OPEN_CODE, REVIEW_CODE = "BENCH-OPEN", "BENCH-REVIEW"
FIELDS = list(NeedField)


@dataclass(frozen=True)
class Sizes:
    """How much of each thing the benchmark seeds."""
    teams: int = 200
    judges: int = 30
    open_needs: int = 40
    review_needs: int = 16
    bids_per_review_need: int = 5


def _org(name: str, kind: OrgKind, prefix: str, body: str) -> Organization:
    """A benchmark organization in Ningbo (found or created through the accounts service)."""
    return find_or_create_organization({
        "name": name, "kind": kind, "credit_code": credit_code(prefix, "330200", body), "region_code": "330212",
        "nature_code": "150" if kind == OrgKind.ENTERPRISE else "",
        "address": "宁波市鄞州区基准路1号", "legal_rep": "基准", "contact_name": "基准联系人",
        "contact_phone": "0574-88888888", "contact_email": "bench@example.com"})


class _Accounts:
    """Users with one shared password hash (scrypt is slow: hashing 230 times would take a minute)."""

    def __init__(self) -> None:
        self.hash = generate_password_hash(PASSWORD)

    def add(self, username: str, role: Role, name: str, org: Organization | None) -> User:
        """A new user with the shared hash."""
        user = User(username=username, role=role, display_name=name, password_hash=self.hash,
                    org_id=org.id if org else None, email=f"{username}@example.com")
        db.session.add(user)
        return user


def _people(sizes: Sizes) -> tuple[User, list[User], list[Team], list[User]]:
    """The organizer, four firms, the teams (each its own account, lead organization one of ten) and the judges."""
    accounts = _Accounts()
    organizer = accounts.add("bench-organizer", Role.ORGANIZER, "基准组织方", None)
    firms = [accounts.add(f"bench-firm{i + 1}", Role.FIRM, f"基准企业联系人{i + 1}",
                          _org(f"基准测试企业{i + 1}有限公司", OrgKind.ENTERPRISE, "91", f"BF{i + 1:06d}"))
             for i in range(4)]
    universities = [_org(f"基准测试大学{i + 1}", OrgKind.UNIVERSITY, "12", f"BU{i + 1:06d}") for i in range(10)]
    owners = [accounts.add(f"bench-team{i + 1}", Role.TEAM, f"团队负责人{i + 1}", universities[i % 10])
              for i in range(sizes.teams)]
    judges = [accounts.add(f"bench-judge{i + 1}", Role.JUDGE, f"评审专家{i + 1}", None) for i in range(sizes.judges)]
    db.session.flush()
    teams = []
    for i, owner in enumerate(owners):
        team = Team(name=f"基准揭榜团队{i + 1}", lead_org_id=owner.org_id, owner_id=owner.id,
                    leader_name=f"负责人{i + 1}", leader_title="教授",
                    members=[TeamMember(name=f"成员{i + 1}", organization_name=universities[i % 10].name)])
        db.session.add(team)
        teams.append(team)
    db.session.flush()
    return organizer, firms, teams, judges


def _edition(organizer: User, code: str, deadline: datetime, collection: tuple[int, int]) -> Edition:
    """An edition created through the editions service, its calendar around `deadline`."""
    today = clock.beijing_date(clock.now())
    after = clock.beijing_date(deadline)
    return save_edition(organizer, {
        "code": code, "name": f"负载基准届次 {code}", "year": today.year,
        "collection_start": today + timedelta(days=collection[0]), "collection_end": today + timedelta(days=collection[1]),
        "bidding_deadline": deadline, "review_start": after + timedelta(days=1),
        "review_end": after + timedelta(days=15), "final_date": after + timedelta(days=25),
        "results_date": after + timedelta(days=35)})


def _published_needs(edition: Edition, firms: list[User], organizer: User, count: int, at, when: datetime) -> list:
    """`count` needs drafted, submitted and approved (an hour later) at `when`, fields in turn."""
    found = []
    for i in range(count):
        firm = firms[i % len(firms)]
        at(when - timedelta(hours=1))
        need = needs.create_need(firm, edition, {
            "name": f"{edition.code} 基准技术需求 {i + 1}", "category": NeedCategory.FIRM_SPECIFIC,
            "field": FIELDS[i % len(FIELDS)], "industry": "智能制造", "keywords": "机器视觉,在线检测",
            "problem": "产线人工目检漏检率高，需要在线自动检测。" * 5, "key_points": "检测节拍不大于 1 秒/件。" * 5,
            "goals": "形成可部署的在线检测系统并通过企业验收。" * 5, "budget_wan": Decimal("300"),
            "period_start": edition.results_date + timedelta(days=40),
            "period_end": edition.results_date + timedelta(days=400),
            "cooperation": CooperationMode.JOINT, "market_id": "1", "anonymous": False})
        needs.submit_need(need, firm, now=at(when))
        needs.review_need(need, organizer, ReviewDecision.APPROVE, "", now=at(when + timedelta(hours=1)))
        found.append(need)
    return found


def bid_data(label: str) -> dict:
    """A challenge report's text fields, as BidForm.bid_data() gives them."""
    return {"approach": f"{label}：多光谱成像与深度学习相结合的在线检测路线。", "innovation": "小样本缺陷学习。",
            "indicators": "漏检率 < 0.1%，检测节拍 ≤ 1 秒/件。", "plan": "第 1-3 月样机；第 4-9 月现场验证。",
            "price_wan": Decimal("280.00"), "duration_months": 12, "ip_background": "", "strengths": "",
            "declaration_accepted": True}


def _review_edition(organizer, firms, teams, judges, sizes: Sizes) -> dict:
    """BENCH-REVIEW: bids submitted before its deadline three days ago, review opened, judges assigned."""
    now = clock.now()
    deadline = now - timedelta(days=3)
    edition = _edition(organizer, REVIEW_CODE, deadline, (-60, -20))
    with demo_clock() as at:
        review_needs = _published_needs(edition, firms, organizer, sizes.review_needs, at, now - timedelta(days=25))
        made, per_need = 0, min(sizes.bids_per_review_need, len(teams))  # one bid per team and need
        for k, need in enumerate(review_needs):
            for j in range(per_need):
                team = teams[(k * per_need + j) % len(teams)]
                pdf = uploads.CheckedPdf(build_pdf("挑战报告", [need.name, team.name]), "基准挑战报告.pdf")
                bids.create_bid(team, need, bid_data(team.name), pdf, actor=team.owner, submit=True,
                                now=at(deadline - timedelta(hours=30 - made % 24)))
                made += 1
        for i, judge in enumerate(judges):
            at(now - timedelta(days=10))
            update_profile(judge, organizer, org_id=None, conflict_org_ids=[],
                           fields=[FIELDS[i % len(FIELDS)], FIELDS[(i + 5) % len(FIELDS)]])
        opened = open_online_review(edition, organizer, at(now - timedelta(days=2)))
        result = auto_assign(edition, organizer, seed=1)
    return {"needs": len(review_needs), "bids": made, "in_review": opened["in_review"],
            "assignments": result.assigned, "short": len(result.short)}


def seed(sizes: Sizes) -> dict:
    """Create the benchmark's accounts and editions (flushes; the caller commits); the clients' plan."""
    organizer, firms, teams, judges = _people(sizes)
    # The last hours before the deadline; the needs were published two days ago, while collection was open.
    now = clock.now()
    open_edition = _edition(organizer, OPEN_CODE, now + timedelta(hours=2), (-30, -1))
    with demo_clock() as at:
        open_needs = _published_needs(open_edition, firms, organizer, sizes.open_needs, at, now - timedelta(days=2))
    review = _review_edition(organizer, firms, teams, judges, sizes)
    db.session.flush()
    return {
        "password": PASSWORD,
        "teams": [{"username": team.owner.username, "need_id": open_needs[i % len(open_needs)].id}
                  for i, team in enumerate(teams)],
        "judges": [judge.username for judge in judges],
        "open_edition": OPEN_CODE, "review_edition": REVIEW_CODE, "open_needs": len(open_needs), "review": review,
    }


def main() -> None:
    """Seed the database of the environment's DATABASE_URL and write the plan."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, help="where to write the plan (JSON) for the load clients")
    parser.add_argument("--teams", type=int, default=Sizes.teams)
    parser.add_argument("--judges", type=int, default=Sizes.judges)
    args = parser.parse_args()
    from contest import create_app

    app = create_app()
    with app.app_context():
        plan = seed(Sizes(teams=args.teams, judges=args.judges))
        db.session.commit()
    args.plan.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    print(f"seeded: {len(plan['teams'])} teams, {len(plan['judges'])} judges, review {plan['review']}")


if __name__ == "__main__":
    main()
