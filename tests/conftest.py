"""Fixtures: an app on a migrated SQLite copy per test, a client, factories, a frozen clock."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from contest import create_app
from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind
from contest.domain.states import BidStatus, NeedStatus, Role
from contest.extensions import db as _db
from contest.models import Bid, Edition, Market, Need, Organization, Team, TeamMember, User

from .databases import PostgresDatabases, SqliteDatabases, migrate

# The command-line tools speak the language of the environment (contest.i18n): run them in the default
# language whatever the machine's locale, as a fresh Debian shell would (LANG=C.UTF-8).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

PASSWORD = "test-pass-123"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashing is deliberately slow: do it once
# A minimal, well-formed one-page PDF (with its cross-reference table: uploads are parsed by pypdf).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
       b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
       b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n")
# Valid unified social credit codes (checked with stdnum.cn.uscc), one per test organization.
_CODE_BASE = "91330200MA2"


def _credit_code(n: int) -> str:
    from stdnum.cn import uscc

    body = f"{_CODE_BASE}{n:06d}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to head by Alembic, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "contest.sqlite"
    migrate(f"sqlite:///{path}")
    return path


# `make test` runs the suite on SQLite, then again with CONTEST_TEST_DB=postgresql on a throwaway cluster.
TEST_DB = os.environ.get("CONTEST_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def databases(migrated_template):
    """Where every test app's database comes from (tests/databases.py): SQLite files or PostgreSQL."""
    if TEST_DB == "sqlite":
        yield SqliteDatabases(migrated_template)
        return
    if TEST_DB != "postgresql":
        raise pytest.UsageError(f"CONTEST_TEST_DB must be sqlite or postgresql, not {TEST_DB!r}")
    from . import postgres

    with postgres.cluster() as cluster:
        yield PostgresDatabases(cluster)


def _refuse_overlong_strings(session, flush_context, instances) -> None:
    """SQLite ignores VARCHAR lengths and PostgreSQL refuses what exceeds them: fail the same way on both."""
    for obj in list(session.new) + list(session.dirty):
        for column in sa.inspect(type(obj)).columns:
            length = getattr(column.type, "length", None)
            value = getattr(obj, column.key, None) if length else None
            if isinstance(value, str) and len(value) > length:
                raise AssertionError(f"{type(obj).__name__}.{column.key} is {len(value)} characters, "
                                     f"its column holds {length}: PostgreSQL would refuse it")


@pytest.fixture(scope="session", autouse=True)
def strings_fit_their_columns():
    sa.event.listen(sa.orm.Session, "before_flush", _refuse_overlong_strings)
    yield
    sa.event.remove(sa.orm.Session, "before_flush", _refuse_overlong_strings)


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The fixtures keep one application context open (for db.session), and Flask reuses an open
    context for requests, so without this the logged-in user, the locale or a form's submission key
    cached on `g` by one request would leak into the next.

    A form posted with a dict (or nothing) says `confirmed=1`, as static/js/confirm.js adds once the user agreed
    to an irreversible action; a test of the page that asks without script posts `confirmed=""` itself.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        if kwargs.get("method") == "POST" and not kwargs.get("json") and "input_stream" not in kwargs:
            data = kwargs.get("data")
            if data is None:
                kwargs["data"] = {"confirmed": "1"}
            elif isinstance(data, dict) and "confirmed" not in data:
                kwargs["data"] = {**data, "confirmed": "1"}
        return super().open(*args, **kwargs)


DEMO_NOW = datetime(2026, 3, 10, 2, 0)  # 10:00 Beijing, when the module-scoped demos are seeded


@contextmanager
def seeded_demo(folder: Path, databases):
    """An app whose fresh database holds the demo (`flask seed-demo`): yields (app, the command's output).

    For module-scoped fixtures: the first seeding of a run renders the demo's contract PDFs (some seconds).
    """
    database_url = databases.fresh(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTEST_INSTANCE", str(folder / "instance"))
        patch.delenv("DATABASE_URL", raising=False)
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(folder / "uploads"),
                          "FROZEN_NOW": DEMO_NOW, "PAGE_CACHE_FRESH_SECONDS": 0,
                          # one cache of the demo's rendered contracts for the whole run: each seeding after the
                          # first renders nothing (the contracts are the same, tokens included)
                          "DEMO_PDF_CACHE": str(folder.parent / "demo-contract-pdfs")})
        app.test_client_class = FreshRequestClient
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["seed-demo"])
            assert result.exit_code == 0, result.output
            _db.session.remove()
        yield app, result.output
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="session")
def contract_signing(tmp_path_factory) -> dict:
    """One signing certificate for every test app (CONTRACT_SIGNING_P12 and its password), made once per run
    rather than in each test's instance folder."""
    from contest.pdf.signing import create_self_signed

    folder = tmp_path_factory.mktemp("signing")
    p12, secret = folder / "contract-signing.p12", folder / "contract-signing.password"
    create_self_signed(p12, secret, organization="测试组织方")
    return {"CONTRACT_SIGNING_P12": str(p12), "CONTRACT_SIGNING_PASSWORD": secret.read_text().strip()}


@pytest.fixture
def app(tmp_path, databases, monkeypatch, contract_signing):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database_url = databases.per_test(tmp_path)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "FROZEN_NOW": datetime(2026, 3, 10, 2, 0),  # 10:00 Beijing, during collection and bidding
        "RATELIMIT_ENABLED": False,  # tests log in many times a minute; tests/test_login_throttle.py turns it on
        "PAGE_CACHE_FRESH_SECONDS": 0,  # a page is asked for again right after a change; test_public turns it on
        **contract_signing,
    })
    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    databases.reset(database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def clock(app):
    """Move the app's clock: clock(datetime_utc) or clock.shift(timedelta)."""

    class Clock:
        def __call__(self, moment: datetime) -> None:
            app.config["FROZEN_NOW"] = moment

        def shift(self, delta: timedelta) -> None:
            app.config["FROZEN_NOW"] = app.config["FROZEN_NOW"] + delta

        @property
        def now(self) -> datetime:
            return app.config["FROZEN_NOW"]

    return Clock()


_seq = count(1)


@pytest.fixture
def make_org(db):
    def make(name: str | None = None, kind: OrgKind = OrgKind.ENTERPRISE, **kw) -> Organization:
        n = next(_seq)
        org = Organization(name=name or f"测试机构{n}", kind=kind, credit_code=_credit_code(n), region_code="330212",
                           address="宁波市鄞州区", legal_rep="张三", contact_name="李四", contact_phone="0574-88888888",
                           bank_name="中国银行宁波分行", bank_account=f"3601{n:012d}", **kw)
        db.session.add(org)
        db.session.flush()
        return org
    return make


@pytest.fixture
def make_user(db, make_org):
    def make(role: Role = Role.FIRM, username: str | None = None, org: Organization | None = None, **kw) -> User:
        n = next(_seq)
        if org is None and role in (Role.FIRM, Role.TEAM):
            org = make_org(kind=OrgKind.ENTERPRISE if role == Role.FIRM else OrgKind.UNIVERSITY)
        username = username or f"{role.value}{n}"
        kw.setdefault("email", f"{username.lower()}@example.com")  # every account has a mail address, as in the demo
        kw.setdefault("display_name", f"用户{n}")
        user = User(username=username, role=role, org_id=org.id if org else None, **kw)
        user.password_hash = _PASSWORD_HASH
        db.session.add(user)
        db.session.flush()
        return user
    return make


@pytest.fixture
def edition(db):
    """An edition collecting needs from 1 Feb to 31 Mar 2026, bidding until 30 Apr 2026 17:00 Beijing."""
    e = Edition(code="CIC8-NB", name="第八届中国创新挑战赛（宁波）", year=2026,
                collection_start=date(2026, 2, 1), collection_end=date(2026, 3, 31),
                bidding_deadline=datetime(2026, 4, 30, 9, 0), review_start=date(2026, 5, 6),
                review_end=date(2026, 5, 20), final_date=date(2026, 6, 10), results_date=date(2026, 6, 20))
    db.session.add(e)
    db.session.flush()
    return e


def market_id(name: str) -> int:
    """The id of a seeded market (the migration seeds the 1+12+13; the city market 宁波科技大市场 is 1)."""
    return _db.session.scalars(sa.select(Market.id).where(Market.name == name)).one()


def need_data(**overrides) -> dict:
    """Valid form-level data of a need (service input)."""
    data = dict(
        name="高精度注塑件在线视觉检测", category=NeedCategory.FIRM_SPECIFIC, field=NeedField.ELECTRONIC_INFO,
        industry="汽车零部件", keywords="机器视觉,缺陷检测", problem="人工目检漏检率高。",
        key_points="检测节拍不大于 1 秒/件，漏检率低于 0.1%。", goals="形成可部署的在线检测系统。",
        budget_wan=Decimal("300.00"), period_start=date(2026, 6, 1), period_end=date(2027, 5, 31),
        cooperation=CooperationMode.COMMISSIONED, market_id=1, anonymous=False,
    )
    data.update(overrides)
    return data


@pytest.fixture
def make_need(db, edition, make_user):
    def make(status: NeedStatus = NeedStatus.PUBLISHED, firm: User | None = None, **overrides) -> Need:
        firm = firm or make_user(Role.FIRM)
        edition_id = overrides.pop("edition_id", edition.id)
        data = need_data(**overrides)
        keywords = data.pop("keywords")
        need = Need(edition_id=edition_id, firm_org_id=firm.org_id,
                    created_by_id=firm.id, status=status, **data)
        need.keyword_list = keywords.split(",")
        if status == NeedStatus.PUBLISHED:
            need.published_at = datetime(2026, 3, 1)
        db.session.add(need)
        db.session.flush()
        return need
    return make


@pytest.fixture
def make_team(db, make_user):
    def make(user: User | None = None, name: str | None = None) -> Team:
        user = user or make_user(Role.TEAM)
        team = Team(name=name or f"揭榜团队{next(_seq)}", lead_org_id=user.org_id, owner_id=user.id,
                    leader_name="王教授", leader_title="教授")
        team.members = [TeamMember(name="赵工", organization_name="宁波大学", title="副教授")]
        db.session.add(team)
        db.session.flush()
        return team
    return make


def bid_data(**overrides) -> dict:
    data = dict(approach="采用深度学习与多光谱成像结合的检测路线。", innovation="小样本缺陷学习。",
                indicators="漏检率 < 0.1%，节拍 0.8 秒/件。", plan="第 1-3 月样机，第 4-6 月现场验证。",
                price_wan=Decimal("280.00"), duration_months=12, ip_background="已授权发明专利 3 项。",
                strengths="团队长期从事工业视觉研究。", declaration_accepted=True)
    data.update(overrides)
    return data


@pytest.fixture
def make_bid(db, make_team, make_need, app, tmp_path):
    def make(need: Need | None = None, team: Team | None = None, status: BidStatus = BidStatus.SUBMITTED,
             **overrides) -> Bid:
        need = need or make_need()
        team = team or make_team()
        folder = Path(app.config["UPLOAD_FOLDER"]) / "bids"
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"fixture{next(_seq)}.pdf"
        (folder / stored).write_bytes(PDF)
        bid = Bid(need_id=need.id, team_id=team.id, status=status, pdf_stored_name=stored,
                  pdf_original_name=f"{team.name}-挑战报告.pdf", pdf_size=len(PDF),
                  submitted_at=datetime(2026, 3, 5), **bid_data(**overrides))
        db.session.add(bid)
        db.session.flush()
        return bid
    return make


@pytest.fixture
def login(client, db):
    """Log the test client in as a user (commits the fixtures first)."""
    def do(user: User):
        db.session.commit()
        with client.session_transaction() as session:
            session.clear()
        response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user
    return do


@pytest.fixture
def count_queries(db):
    """with count_queries() as queries: ... ; len(queries) is the number of SQL statements run."""
    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)
    return counting


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


# A skipped test is a failed test here: the browser and PostgreSQL tests must really run (README).
_skipped: list[str] = []


def pytest_runtest_logreport(report) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if _skipped and exitstatus == 0:
        print(f"\n{len(_skipped)} test(s) skipped, which counts as a failure: {', '.join(_skipped[:10])}")
        session.exitstatus = 1
