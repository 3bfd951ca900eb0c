"""The command-line tools: seed-demo (the demo edition), create-user and init-db."""
from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain.choices import NeedCategory
from contest.domain.states import BidStatus, NeedStatus, ReviewDecision, Role
from contest.models import Bid, Edition, Need, Organization, Team, User

DEMO_PASSWORD = "demo-pass-2024"
LISTED_ACCOUNTS = {
    "organizer": Role.ORGANIZER,
    **{f"firm{i}": Role.FIRM for i in (1, 2, 3)},
    **{f"team{i}": Role.TEAM for i in (1, 2, 3)},
    **{f"judge{i}": Role.JUDGE for i in range(1, 8)},
}


@pytest.fixture
def seeded(runner, db):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def _edition(db) -> Edition:
    return db.session.scalar(sa.select(Edition).where(Edition.code == "CIC8-NB"))


def _needs(db) -> list[Need]:
    return list(db.session.scalars(sa.select(Need).join(Edition).where(Edition.code == "CIC8-NB")))


def _user(db, username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _snapshot(db) -> dict[str, list]:
    """Every row of every table, in primary-key order."""
    return {
        table.name: [tuple(row) for row in db.session.execute(
            sa.select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


def test_seed_demo_creates_the_edition_with_dates_counted_from_now(seeded, db):
    # The app's clock is frozen at 2026-03-10 10:00 Beijing.
    edition = _edition(db)
    assert edition.name == "第八届中国创新挑战赛（宁波）" and edition.year == 2026
    assert (edition.collection_start, edition.collection_end) == (date(2026, 1, 9), date(2026, 3, 30))
    assert edition.bidding_deadline == datetime(2026, 4, 19, 9, 0)  # 17:00 Beijing
    assert (edition.review_start, edition.review_end) == (date(2026, 4, 24), date(2026, 5, 4))
    assert (edition.final_date, edition.results_date) == (date(2026, 5, 14), date(2026, 5, 24))
    assert "CIC8-NB" in seeded.output and "新建" in seeded.output


def test_seed_demo_needs_cover_fields_categories_and_screening_states(seeded, db):
    needs = _needs(db)
    statuses = Counter(n.status for n in needs)
    assert len(needs) >= 25
    assert len({n.field for n in needs}) >= 8
    assert {n.category for n in needs} == set(NeedCategory)
    assert statuses[NeedStatus.PUBLISHED] >= 20
    assert statuses[NeedStatus.SUBMITTED] == 2 and statuses[NeedStatus.RETURNED] == 1
    assert statuses[NeedStatus.DRAFT] == 1
    assert 2 <= sum(n.anonymous for n in needs) <= 3
    organizer = _user(db, "organizer")
    for need in needs:
        if need.status == NeedStatus.PUBLISHED:
            assert need.published_at is not None and need.published_at <= datetime(2026, 3, 10, 2, 0)
            assert [(r.decision, r.reviewer_id) for r in need.reviews] == [(ReviewDecision.APPROVE, organizer.id)]
        if need.status == NeedStatus.RETURNED:
            assert need.reviews[-1].decision == ReviewDecision.RETURN and need.reviews[-1].comment
    draft = next(n for n in needs if n.status == NeedStatus.DRAFT)
    assert draft.created_by.username == "firm1" and draft.firm_org_id == _user(db, "firm1").org_id


def test_seed_demo_need_contents_follow_the_collection_form(seeded, db):
    for need in _needs(db):
        assert need.name and need.industry and need.source_channel
        for text in (need.problem, need.key_points, need.goals):
            assert 0 < len(text) <= 500, need.name
        assert 1 <= len(need.keyword_list) <= 5, need.name
        assert Decimal("50") <= need.budget_wan <= Decimal("1500")
        months = (need.period_end - need.period_start).days / 30.4
        assert 11.5 <= months <= 36.5 and need.period_start > _edition(db).results_date
    channels = {n.source_channel for n in _needs(db)}
    assert "宁波科技大市场" in channels and len(channels) >= 5


@pytest.mark.parametrize("username", ["firm1", "firm2", "firm3"])
def test_the_three_demo_firms_each_own_several_needs_some_published(seeded, db, username):
    owned = [n for n in _needs(db) if n.firm_org_id == _user(db, username).org_id]
    assert len(owned) >= 2
    assert any(n.status == NeedStatus.PUBLISHED for n in owned)


def test_every_demo_account_logs_in_with_the_demo_password(seeded, db, client):
    usernames = list(db.session.scalars(sa.select(User.username)))
    assert set(LISTED_ACCOUNTS) <= set(usernames)
    for username, role in LISTED_ACCOUNTS.items():
        assert _user(db, username).role == role
    for username in usernames:
        client.post("/auth/logout")
        response = client.post("/auth/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
    client.post("/auth/logout")
    wrong = client.post("/auth/login", data={"username": "firm1", "password": "not-the-password"})
    assert wrong.status_code == 401


@pytest.mark.parametrize("username", ["team1", "team2", "team3"])
def test_the_demo_teams_have_a_lead_organization_and_members(seeded, db, username):
    owner = _user(db, username)
    team = db.session.scalar(sa.select(Team).where(Team.owner_id == owner.id))
    assert team.lead_org_id == owner.org_id and team.leader_name
    assert 3 <= len(team.members) <= 5
    assert all(m.name and m.organization_name and m.title for m in team.members)


def test_running_seed_demo_twice_changes_nothing(runner, db, clock, app, seeded):
    before = _snapshot(db)
    files_before = sorted(p.name for p in (Path(app.config["UPLOAD_FOLDER"]) / "bids").iterdir())
    clock.shift(timedelta(days=5))  # a later run must not move the dates either
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "新建 0" in again.output and "已存在" in again.output
    after = _snapshot(db)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    assert after == before
    assert sorted(p.name for p in (Path(app.config["UPLOAD_FOLDER"]) / "bids").iterdir()) == files_before


def test_every_organization_has_a_valid_credit_code(seeded, db):
    orgs = list(db.session.scalars(sa.select(Organization)))
    assert len(orgs) >= 10
    for org in orgs:
        assert uscc.is_valid(org.credit_code), (org.name, org.credit_code)
        assert len(org.region_code) == 6
    firms = {_user(db, f"firm{i}").organization for i in (1, 2, 3)}
    assert all(org.credit_code.startswith("913302") for org in firms)


def test_demo_bids_are_submitted_with_a_real_pdf_each(seeded, db, app):
    bids = list(db.session.scalars(sa.select(Bid)))
    assert 35 <= len(bids) <= 45
    folder = Path(app.config["UPLOAD_FOLDER"]) / "bids"
    deadline = _edition(db).bidding_deadline
    for bid in bids:
        assert bid.status == BidStatus.SUBMITTED and bid.declaration_accepted
        content = (folder / bid.pdf_stored_name).read_bytes()
        assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
        assert len(content) == bid.pdf_size and hashlib.sha256(content).hexdigest() == bid.pdf_sha256
        assert bid.need.status == NeedStatus.PUBLISHED
        assert bid.need.published_at < bid.submitted_at < deadline
        assert 12 <= bid.duration_months <= 36 and bid.price_wan > 0
        assert bid.approach and bid.innovation and bid.indicators and bid.plan
    assert any(b.price_wan > b.need.budget_wan for b in bids)
    per_need = Counter(b.need_id for b in bids)
    assert max(per_need.values()) <= 5


def test_team1_has_bids_and_still_has_a_need_to_bid_on(seeded, db):
    team1 = db.session.scalar(sa.select(Team).join(User, Team.owner_id == User.id).where(User.username == "team1"))
    bid_need_ids = set(db.session.scalars(sa.select(Bid.need_id).where(Bid.team_id == team1.id)))
    assert len(bid_need_ids) >= 3
    open_needs = [n for n in _needs(db) if n.status == NeedStatus.PUBLISHED and n.id not in bid_need_ids]
    assert open_needs


def test_seed_demo_writes_a_missing_report_again(runner, db, app, seeded):
    bid = db.session.scalar(sa.select(Bid).order_by(Bid.id))
    path = Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name
    path.unlink()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == bid.pdf_sha256
    assert "补写" in result.output


def test_seed_demo_refuses_a_username_taken_by_another_role(runner, db, make_user):
    make_user(Role.JUDGE, username="firm1")
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "firm1" in result.output and "另一角色" in result.output
    assert _edition(db) is None and db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_create_user_creates_a_judge(runner, db):
    result = runner.invoke(args=["create-user", "--role", "judge", "--username", "x", "--name", "X",
                                 "--password", "pw12345678"])
    assert result.exit_code == 0, result.output
    user = _user(db, "x")
    assert user.role == Role.JUDGE and user.display_name == "X" and user.check_password("pw12345678")


def test_create_user_refuses_a_duplicate_username(runner, db):
    args = ["create-user", "--role", "judge", "--username", "x", "--name", "X", "--password", "pw12345678"]
    assert runner.invoke(args=args).exit_code == 0
    users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    result = runner.invoke(args=args[:-4] + ["--name", "Y", "--password", "pw12345678"])
    assert result.exit_code != 0
    assert "已被使用" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    assert _user(db, "x").display_name == "X"


def test_init_db_creates_the_tables_on_a_fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "fresh.sqlite"
    fresh = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    result = fresh.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"alembic_version", "edition", "need", "bid", "user_account", "organization"} <= tables
    assert len(version) == 1
