"""Real parallel requests against real servers: a world to race in, gunicorn on a throwaway
PostgreSQL cluster or a SQLite file, a browser that shows redirects instead of following them, and a
starting gun that releases many copies of a request at the same moment.

The servers read FROZEN_NOW from their instance/config.py, so the world's dates are fixed: 10 March 2026,
10:00 in Beijing, while needs are collected and bids taken.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind
from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.extensions import db
from contest.models import Bid, Edition, Need, Organization, PanelMember, Team, TeamMember, User
from contest.services.judging.rubrics import ensure_default_rubrics

from .conftest import _PASSWORD_HASH, PASSWORD, PDF
from .databases import migrate
from .gunicorn_server import gunicorn
from .postgres import cluster
from .test_standings import add_sheet

NOW = datetime(2026, 3, 10, 2, 0)
# What a team's new bid form and a firm's new need form post (with their csrf_token and submission_key).
BID_FORM = {"approach": "并发提交的技术路线：多光谱成像。", "innovation": "小样本缺陷学习。",
            "indicators": "漏检率 < 0.1%。", "plan": "第 1-3 月样机。", "price_wan": "95.00", "duration_months": "10",
            "declaration_accepted": "y", "submit_report": "提交挑战报告"}
NEED_FORM = {"name": "并发提交的新需求", "category": "firm_specific", "field": "electronic_info",
             "industry": "汽车零部件", "keywords": "机器视觉", "problem": "人工目检漏检率高。",
             "key_points": "检测节拍不大于 1 秒/件。", "goals": "形成可部署的在线检测系统。", "budget_wan": "120.00",
             "period_start": "2026-06-01", "period_end": "2027-05-31", "cooperation": "commissioned",
             "market_id": "1", "save": "保存草稿"}


# --- the world -----------------------------------------------------------------------------------------------

@dataclass
class World:
    """Ids and user names only (the servers own the database once it is built)."""

    users: dict[str, str] = field(default_factory=dict)          # key -> username
    needs: dict[str, int] = field(default_factory=dict)
    bids: dict[str, int] = field(default_factory=dict)
    editions: dict[str, int] = field(default_factory=dict)
    teams: list[str] = field(default_factory=list)                # usernames of the extra teams
    firms: list[str] = field(default_factory=list)                # usernames of the extra firms


class _Builder:
    def __init__(self, uploads: Path) -> None:
        self.w, self.n, self.uploads = World(), 0, uploads

    def org(self, name: str, kind: OrgKind) -> Organization:
        self.n += 1
        body = f"91330200RC{self.n:07d}"[:17]
        org = Organization(name=name, kind=kind, credit_code=body + uscc.calc_check_digit(body), region_code="330200",
                           address="宁波市鄞州区", legal_rep="张三", contact_name="李四", contact_phone="0574-88888888",
                           bank_name="中国银行宁波分行", bank_account=f"3601{self.n:012d}")
        db.session.add(org)
        db.session.flush()
        return org

    def user(self, key: str, role: Role, org: Organization | None) -> User:
        user = User(username=f"race-{key}", role=role, display_name=f"用户{key}", org_id=org.id if org else None)
        user.password_hash = _PASSWORD_HASH
        db.session.add(user)
        db.session.flush()
        self.w.users[key] = user.username
        return user

    def team(self, key: str) -> Team:
        owner = self.user(key, Role.TEAM, self.org(f"{key}牵头大学", OrgKind.UNIVERSITY))
        team = Team(name=f"{key}攻关组", lead_org_id=owner.org_id, owner_id=owner.id, leader_name="王教授",
                    members=[TeamMember(name="赵工", organization_name=f"{key}牵头大学", title="副教授")])
        db.session.add(team)
        db.session.flush()
        return team

    def edition(self, key: str, stage: EditionStage) -> Edition:
        e = Edition(code=f"RACE-{key.upper()}", name=f"并发测试{key}", year=2026, collection_start=date(2026, 2, 1),
                    collection_end=date(2026, 3, 31), bidding_deadline=datetime(2026, 4, 30, 9, 0),
                    review_start=date(2026, 5, 6), review_end=date(2026, 5, 20), final_date=date(2026, 6, 10),
                    results_date=date(2026, 6, 20), stage=stage)
        db.session.add(e)
        db.session.flush()
        ensure_default_rubrics(e)
        self.w.editions[key] = e.id
        return e

    def need(self, key: str, edition: Edition, firm: User, status: NeedStatus) -> Need:
        need = Need(edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status,
                    name=f"并发测试需求{key}", category=NeedCategory.FIRM_SPECIFIC, field=NeedField.ELECTRONIC_INFO,
                    industry="汽车零部件", problem="人工目检漏检率高。", key_points="检测节拍不大于 1 秒/件。",
                    goals="形成可部署的在线检测系统。", budget_wan=Decimal("300.00"), period_start=date(2026, 6, 1),
                    period_end=date(2027, 5, 31), cooperation=CooperationMode.COMMISSIONED,
                    market_id=1, anonymous=False, submitted_at=datetime(2026, 2, 15),
                    published_at=datetime(2026, 2, 20))
        need.keyword_list = ["机器视觉"]
        db.session.add(need)
        db.session.flush()
        self.w.needs[key] = need.id
        return need

    def bid(self, key: str, need: Need, team: Team, status: BidStatus) -> Bid:
        stored = f"race-{key}.pdf"
        (self.uploads / stored).write_bytes(PDF)
        bid = Bid(need_id=need.id, team_id=team.id, status=status, approach=f"{key}的技术路线",
                  innovation="小样本学习。", indicators="漏检率 < 0.1%。", plan="第 1-3 月样机。",
                  price_wan=Decimal("280.00"), duration_months=12,
                  declaration_accepted=True, pdf_stored_name=stored, pdf_original_name="挑战报告.pdf",
                  pdf_size=len(PDF), submitted_at=datetime(2026, 3, 5))
        db.session.add(bid)
        db.session.flush()
        self.w.bids[key] = bid.id
        return bid


def build_world(uploads: Path, teams: int = 0, firms: int = 0) -> World:
    """A firm with a published need in bidding, a need in the final ready to confirm (complete on-site sheets,
    one leader), an awarded need without contract (its results notice closed), one bidding team, `teams` and `firms`
    more; committed."""
    uploads.mkdir(parents=True, exist_ok=True)
    b = _Builder(uploads)
    firm = b.user("firm", Role.FIRM, b.org("并发精工科技有限公司", OrgKind.ENTERPRISE))
    b.user("organizer", Role.ORGANIZER, None)
    judges = [b.user(f"judge{i}", Role.JUDGE, None) for i in range(5)]
    b.team("bidder")
    collecting = b.edition("open", EditionStage.OPEN)
    b.need("open", collecting, firm, NeedStatus.PUBLISHED)

    final = b.edition("final", EditionStage.FINAL)
    need = b.need("final", final, firm, NeedStatus.FINAL)
    panel = judges[3:] + [firm]
    for member in panel:
        db.session.add(PanelMember(need_id=need.id, user_id=member.id, firm_representative=member is firm))
    for key, online, onsite in (("leader", 80, 92), ("second", 88, 80)):   # finals 88.40 and 82.40
        bid = b.bid(key, need, b.team(key), BidStatus.FINALIST)
        for judge in judges[:3]:
            add_sheet(db, bid, judge, online)
        for member in panel:
            add_sheet(db, bid, member, onsite, round_=Round.ONSITE)

    # An awarded need of an edition whose results notice closed (published 1 March, window over on 6 March).
    results = b.edition("results", EditionStage.RESULTS)
    results.results_published_at = datetime(2026, 3, 1, 2, 0)
    awarded = b.need("awarded", results, firm, NeedStatus.AWARDED)
    b.bid("winner", awarded, b.team("winner"), BidStatus.WINNER)
    for i in range(teams):
        b.w.teams.append(b.team(f"team{i}").owner.username)
    firm_org = firm.organization
    for i in range(firms):
        b.w.firms.append(b.user(f"firm{i}", Role.FIRM, firm_org).username)
    db.session.commit()
    return b.w


# --- the servers ---------------------------------------------------------------------------------------------

@dataclass
class Site:
    base: str
    url: str            # the database's
    world: World
    uploads: Path
    log: Path

    def count(self, sql: str, **params) -> int:
        """One number from the database, read outside the servers."""
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql), params).scalar_one()
        finally:
            engine.dispose()


@contextmanager
def _instance_env(instance: Path):
    saved = os.environ.get("CONTEST_INSTANCE")
    os.environ["CONTEST_INSTANCE"] = str(instance)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CONTEST_INSTANCE", None)
        else:
            os.environ["CONTEST_INSTANCE"] = saved


@contextmanager
def served(tmp: Path, kind: str, *, teams: int = 0, firms: int = 0, workers: int = 2, threads: int = 5):
    """The world on a fresh database (`kind` "postgresql": a throwaway cluster; "sqlite": a file) behind gunicorn."""
    instance, storage = tmp / "instance", tmp / "storage"
    instance.mkdir(parents=True)
    (instance / "config.py").write_text(
        "from datetime import datetime\n"
        'SECRET_KEY = "races-secret-of-every-worker"\n'
        f"FROZEN_NOW = datetime({NOW.year}, {NOW.month}, {NOW.day}, {NOW.hour}, {NOW.minute})\n"
        "RATELIMIT_ENABLED = False\n")
    with ExitStack() as stack:
        url = stack.enter_context(cluster())("races") if kind == "postgresql" else f"sqlite:///{tmp / 'contest.sqlite'}"
        with _instance_env(instance):
            migrate(url)
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(storage / "uploads")})
            with app.app_context():
                world = build_world(storage / "uploads" / "bids", teams, firms)
                db.session.remove()
                db.engine.dispose()
        env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(storage)}
        for name in ("SECRET_KEY", "TRUSTED_PROXIES", "RATELIMIT_STORAGE_URI"):
            env.pop(name, None)
        _, base = stack.enter_context(gunicorn(env, tmp / "gunicorn.log", workers=workers, threads=threads))
        yield Site(base, url, world, storage / "uploads", tmp / "gunicorn.log")


# --- the browser ---------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    location: str       # the redirect's path, "" when the answer is no redirect
    text: str


class _Shown(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to look at, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def _answer(opener, request) -> Answer:
    try:
        with opener.open(request, timeout=60) as response:
            return Answer(response.status, "", response.read().decode(errors="replace"))
    except urllib.error.HTTPError as e:
        location = urllib.parse.urlsplit(e.headers.get("Location") or "").path
        return Answer(e.code, location, e.read().decode(errors="replace"))


def _body(fields: dict, file: tuple[str, str, bytes] | None) -> tuple[bytes, str]:
    if file is None:
        return urllib.parse.urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
    boundary = "----contest-race-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    name, filename, content = file
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One user's browser on a site: its own cookies."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _Shown)

    def get(self, path: str) -> Answer:
        return _answer(self.opener, urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict, file: tuple[str, str, bytes] | None = None) -> Answer:
        body, kind = _body(fields, file)
        return _answer(self.opener, urllib.request.Request(self.base + path, data=body, method="POST",
                                                           headers={"Content-Type": kind}))

    def log_in(self, username: str) -> Answer:
        token = csrf_token(self.get("/auth/login").text)
        return self.post("/auth/login", {"csrf_token": token, "username": username, "password": PASSWORD})

    def copy_of(self, path: str, fields: dict, file: tuple[str, str, bytes] | None = None) -> Callable[[], Answer]:
        """A POST frozen as this browser would send it now (cookies included): each call sends the same bytes."""
        body, kind = _body(fields, file)
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        plain = urllib.request.build_opener(_Shown)

        def send() -> Answer:
            return _answer(plain, urllib.request.Request(self.base + path, data=body, method="POST",
                                                         headers={"Content-Type": kind, "Cookie": cookies}))
        return send


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def hidden(html: str, name: str) -> str:
    """The value of a hidden input of the page (e.g. the form's submission_key)."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no {name} field in the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    assert value, f"the {name} field has no value"
    return value.group(1)


def at_once(sends: list[Callable[[], Answer]]) -> list[Answer]:
    """Run every send in its own thread, all released together by a barrier; the answers in order."""
    gun = threading.Barrier(len(sends))

    def fire(send: Callable[[], Answer]) -> Answer:
        gun.wait(timeout=60)
        return send()
    with ThreadPoolExecutor(len(sends)) as pool:
        return list(pool.map(fire, sends))
