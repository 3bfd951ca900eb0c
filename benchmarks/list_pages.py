"""Benchmark: time and SQL statements of the list pages as the data grows.

    .venv/bin/python benchmarks/list_pages.py [--sizes 10 200 2000] [--repeat 20]

Builds a throwaway SQLite database per size (migrated by Alembic), fills it with needs, teams and
bids, then requests the catalogue, the open API's needs, the organizer's screening queue and network
statistics, a team's dashboard and a market's needs (every need collected by 海曙区科技大市场). The
statement count must not grow with the data; the time is reported, never asserted.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from contest import create_app  # noqa: E402
from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind  # noqa: E402
from contest.domain.states import BidStatus, NeedStatus, Role  # noqa: E402
from contest.extensions import db  # noqa: E402
from contest.models import Bid, Edition, Need, Organization, Team, User  # noqa: E402

PASSWORD = "bench-pass-123"
MARKET = 2  # 海曙区科技大市场, as the migration seeds it


def _org(n: int, kind: OrgKind) -> Organization:
    body = f"91330200MA2{n:06d}"
    return Organization(name=f"机构{n}", kind=kind, credit_code=body + uscc.calc_check_digit(body), region_code="330203")


def fill(size: int) -> None:
    """`size` needs (a third submitted, the rest published) and one team bidding on each published need."""
    edition = Edition(code="BENCH", name="基准届次", year=2026, collection_start=date(2026, 1, 1),
                      collection_end=date(2026, 12, 31), bidding_deadline=datetime(2027, 1, 10, 9),
                      review_start=date(2027, 1, 11), review_end=date(2027, 1, 20),
                      final_date=date(2027, 2, 1), results_date=date(2027, 2, 10))
    firm_org, team_org = _org(1, OrgKind.ENTERPRISE), _org(2, OrgKind.UNIVERSITY)
    db.session.add_all([edition, firm_org, team_org])
    db.session.flush()
    firm = User(username="firm", role=Role.FIRM, display_name="企业", org_id=firm_org.id)
    owner = User(username="team", role=Role.TEAM, display_name="团队", org_id=team_org.id)
    organizer = User(username="organizer", role=Role.ORGANIZER, display_name="组织方")
    staff = User(username="market", role=Role.MARKET, display_name="市场", market_id=MARKET)
    for user in (firm, owner, organizer, staff):
        user.set_password(PASSWORD)
    db.session.add_all([firm, owner, organizer, staff])
    db.session.flush()
    team = Team(name="基准团队", lead_org_id=team_org.id, owner_id=owner.id, leader_name="王")
    db.session.add(team)
    fields = list(NeedField)
    needs = []
    for i in range(size):
        status = NeedStatus.SUBMITTED if i % 3 == 0 else NeedStatus.PUBLISHED
        needs.append(Need(edition_id=edition.id, firm_org_id=firm_org.id, created_by_id=firm.id, name=f"需求{i}",
                          category=NeedCategory.FIRM_SPECIFIC, field=fields[i % len(fields)], industry="制造",
                          keywords="检测,视觉", problem="问题" * 50, key_points="指标" * 50, goals="目标" * 50,
                          budget_wan=Decimal("300"), period_start=date(2026, 6, 1), period_end=date(2027, 6, 1),
                          cooperation=CooperationMode.JOINT, market_id=MARKET, status=status,
                          submitted_at=datetime(2026, 3, 1), published_at=datetime(2026, 3, 2)))
    db.session.add_all(needs)
    db.session.flush()
    db.session.add_all([
        Bid(need_id=need.id, team_id=team.id, status=BidStatus.SUBMITTED, approach="方案", innovation="创新",
            indicators="指标", plan="计划", price_wan=Decimal("280"), duration_months=12,
            declaration_accepted=True, pdf_stored_name=f"b{need.id}.pdf", submitted_at=datetime(2026, 3, 5))
        for need in needs if need.status == NeedStatus.PUBLISHED
    ])
    db.session.commit()


def measure(client, url: str, repeat: int) -> tuple[int, float]:
    statements: list[str] = []

    def count(*_args):
        statements.append("")

    sa.event.listen(db.engine, "before_cursor_execute", count)
    assert client.get(url).status_code == 200, url
    sa.event.remove(db.engine, "before_cursor_execute", count)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return len(statements), statistics.median(times) * 1000


def login(client, username: str) -> None:
    with client.session_transaction() as session:
        session.clear()
    client.post("/auth/login", data={"username": username, "password": PASSWORD})


def run(size: int, repeat: int) -> list[tuple[str, int, float]]:
    folder = Path(tempfile.mkdtemp(prefix="contest-bench-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "PAGE_SIZE": 100,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "FROZEN_NOW": datetime(2026, 6, 1)})
    results = []
    with app.app_context():
        upgrade()
        fill(size)
        client = app.test_client()
        results.append(("/needs", *measure(client, "/needs", repeat)))
        results.append(("/api/v1/needs", *measure(client, "/api/v1/needs?per_page=100", repeat)))
        login(client, "organizer")
        results.append(("/organizer/queue", *measure(client, "/organizer/queue", repeat)))
        results.append(("network statistics", *measure(client, "/organizer/network/statistics?edition=BENCH",
                                                        repeat)))
        login(client, "market")
        results.append(("/market/needs", *measure(client, "/market/needs", repeat)))
        login(client, "team")
        results.append(("/team/", *measure(client, "/team/", repeat)))
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200, 2000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{'needs':>6}  {'page':<18} {'SQL':>4}  {'median ms':>9}")
    for size in args.sizes:
        for url, statements, ms in run(size, args.repeat):
            print(f"{size:>6}  {url:<18} {statements:>4}  {ms:>9.1f}")


if __name__ == "__main__":
    main()
