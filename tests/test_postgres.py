"""The same schema and rules on PostgreSQL: migrations run, and the database holds the constraints."""
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from contest import create_app
from contest.domain.states import BidStatus, Role
from contest.extensions import db

from . import postgres
from .conftest import need_data, bid_data


@pytest.fixture(scope="module")
def pg_cluster():
    with postgres.cluster() as create_database:
        yield create_database


@pytest.fixture
def pg_app(pg_cluster, tmp_path, monkeypatch, request):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    url = pg_cluster(f"t_{request.node.name.lower()[:40]}")
    app = create_app({"TESTING": True, "SECRET_KEY": "pg", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _fixture_rows():
    from contest.domain.choices import OrgKind
    from contest.models import Bid, Edition, Need, Organization, Team, User
    from stdnum.cn import uscc

    def org(n, kind):
        body = f"91330200MA2{n:06d}"
        return Organization(name=f"机构{n}", kind=kind, credit_code=body + uscc.calc_check_digit(body),
                            region_code="330212")

    firm_org, team_org = org(1, OrgKind.ENTERPRISE), org(2, OrgKind.UNIVERSITY)
    db.session.add_all([firm_org, team_org])
    db.session.flush()
    firm = User(username="f", role=Role.FIRM, display_name="F", org_id=firm_org.id, password_hash="x")
    owner = User(username="t", role=Role.TEAM, display_name="T", org_id=team_org.id, password_hash="x")
    edition = Edition(code="CIC8-NB", name="第八届", year=2026, collection_start=datetime(2026, 2, 1).date(),
                      collection_end=datetime(2026, 3, 31).date(), bidding_deadline=datetime(2026, 4, 30, 9),
                      review_start=datetime(2026, 5, 6).date(), review_end=datetime(2026, 5, 20).date(),
                      final_date=datetime(2026, 6, 10).date(), results_date=datetime(2026, 6, 20).date())
    db.session.add_all([firm, owner, edition])
    db.session.flush()
    data = need_data()
    keywords = data.pop("keywords")
    need = Need(edition_id=edition.id, firm_org_id=firm_org.id, created_by_id=firm.id, keywords=keywords, **data)
    team = Team(name="队", lead_org_id=team_org.id, owner_id=owner.id, leader_name="王")
    db.session.add_all([need, team])
    db.session.flush()
    return need, team, Bid


def test_migrations_reach_head_on_postgresql(pg_app):
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"organization", "user_account", "edition", "need", "need_review", "team", "team_member", "bid",
            "audit_event", "alembic_version"} <= tables


def test_one_live_bid_per_team_per_need_is_held_by_postgresql(pg_app):
    need, team, Bid = _fixture_rows()

    def bid(status):
        return Bid(need_id=need.id, team_id=team.id, status=status, pdf_stored_name=f"{status.value}-{id(object())}.pdf",
                   **bid_data())

    db.session.add(bid(BidStatus.WITHDRAWN))
    db.session.add(bid(BidStatus.SUBMITTED))
    db.session.commit()  # a withdrawn bid leaves room for a live one
    db.session.add(bid(BidStatus.DRAFT))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_status_and_amount_checks_are_held_by_postgresql(pg_app):
    need, team, Bid = _fixture_rows()
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text("UPDATE need SET status = 'nonsense' WHERE id = :id"), {"id": need.id})
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text("UPDATE need SET budget_wan = 0 WHERE id = :id"), {"id": need.id})
    db.session.rollback()
