"""The data tests/test_crash_atomicity.py's gunicorn server works on, dated relative to the real clock.

An edition open for bids (two teams, one published need) and an edition in its final, where one need is
FINAL with two finalists, complete on-site sheets and one clear first place, waiting for its firm's decision.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from contest import create_app
from contest.domain.choices import OrgKind
from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.extensions import db
from contest.models import Bid, Edition, Need, Organization, PanelMember, Team, TeamMember, User
from contest.services.judging.rubrics import ensure_default_rubrics
from tests.conftest import _PASSWORD_HASH, PDF, _credit_code, bid_data, need_data
from tests.test_standings import add_sheet


@dataclass(frozen=True)
class World:
    open_need: int
    uploading_team: str     # usernames (password tests.conftest.PASSWORD)
    blocked_team: str
    final_need: int
    firm: str


class _Maker:
    """Rows of the world, numbered so names and credit codes stay unique."""

    def __init__(self, uploads: Path):
        self.n = 900
        self.uploads = uploads

    def org(self, kind: OrgKind) -> Organization:
        self.n += 1
        org = Organization(name=f"崩溃测试机构{self.n}", kind=kind, credit_code=_credit_code(self.n),
                           region_code="330212", address="宁波市鄞州区", legal_rep="张三", contact_name="李四", contact_phone="0574-88888888",
                           bank_name="中国银行宁波分行", bank_account=f"3601{self.n:012d}")
        db.session.add(org)
        db.session.flush()
        return org

    def user(self, role: Role, org: Organization | None = None) -> User:
        if org is None and role in (Role.FIRM, Role.TEAM):
            org = self.org(OrgKind.ENTERPRISE if role == Role.FIRM else OrgKind.UNIVERSITY)
        self.n += 1
        user = User(username=f"{role.value}{self.n}", role=role, display_name=f"用户{self.n}", password_hash=_PASSWORD_HASH,
                    org_id=org.id if org else None)
        db.session.add(user)
        db.session.flush()
        return user

    def team(self) -> Team:
        owner = self.user(Role.TEAM)
        team = Team(name=f"崩溃测试团队{self.n}", lead_org_id=owner.org_id, owner_id=owner.id, leader_name="王教授",
                    members=[TeamMember(name="赵工", organization_name="宁波大学")])
        db.session.add(team)
        db.session.flush()
        return team

    def edition(self, code: str, today: date, stage: EditionStage) -> Edition:
        edition = Edition(code=code, name=f"崩溃测试届次 {code}", year=today.year, stage=stage,
                          collection_start=today - timedelta(days=60), collection_end=today + timedelta(days=5),
                          bidding_deadline=datetime.combine(today + timedelta(days=10), datetime.min.time()),
                          review_start=today + timedelta(days=15), review_end=today + timedelta(days=20),
                          final_date=today + timedelta(days=25), results_date=today + timedelta(days=30))
        db.session.add(edition)
        db.session.flush()
        ensure_default_rubrics(edition)
        return edition

    def need(self, edition: Edition, firm: User, status: NeedStatus, published: datetime) -> Need:
        data = need_data(name=f"崩溃测试需求{self.n}")
        keywords = data.pop("keywords")
        need = Need(edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status,
                    published_at=published, **data)
        need.keyword_list = keywords.split(",")
        db.session.add(need)
        db.session.flush()
        return need

    def finalist(self, need: Need, judges: list[User], panel: list[User], online: int, onsite: int) -> Bid:
        team = self.team()
        stored = f"crashfixture{self.n}.pdf"
        (self.uploads / "bids").mkdir(parents=True, exist_ok=True)
        (self.uploads / "bids" / stored).write_bytes(PDF)
        bid = Bid(need_id=need.id, team_id=team.id, status=BidStatus.FINALIST, pdf_stored_name=stored,
                  pdf_original_name="report.pdf", pdf_size=len(PDF), pdf_sha256=hashlib.sha256(PDF).hexdigest(),
                  submitted_at=need.published_at + timedelta(days=1), **bid_data())
        db.session.add(bid)
        db.session.flush()
        for judge in judges:
            add_sheet(db, bid, judge, online)
        for member in panel:
            add_sheet(db, bid, member, onsite, round_=Round.ONSITE)
        return bid


def build(url: str, uploads: Path) -> World:
    """Create the world in the database at url (migrated), bid files under uploads/bids; returns its handles."""
    app = create_app({"TESTING": True, "SECRET_KEY": "crash-world", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_FOLDER": str(uploads)})
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    make = _Maker(uploads)
    with app.app_context():
        firm = make.user(Role.FIRM)
        open_edition = make.edition("CRASH-OPEN", now.date(), EditionStage.OPEN)
        open_need = make.need(open_edition, firm, NeedStatus.PUBLISHED, now - timedelta(days=3))
        uploading, blocked = make.team(), make.team()
        final_edition = make.edition("CRASH-FINAL", now.date() - timedelta(days=40), EditionStage.FINAL)
        final_firm = make.user(Role.FIRM)
        final_need = make.need(final_edition, final_firm, NeedStatus.FINAL, now - timedelta(days=50))
        judges = [make.user(Role.JUDGE) for _ in range(5)]
        panel = judges[3:] + [final_firm]
        for member in panel:
            db.session.add(PanelMember(need_id=final_need.id, user_id=member.id,
                                       firm_representative=member is final_firm))
        make.finalist(final_need, judges[:3], panel, online=80, onsite=90)
        make.finalist(final_need, judges[:3], panel, online=70, onsite=80)
        db.session.commit()
        world = World(open_need.id, uploading.owner.username, blocked.owner.username, final_need.id,
                      final_firm.username)
        db.session.remove()
        db.engine.dispose()
    return world
