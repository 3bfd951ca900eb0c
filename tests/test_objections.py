"""Objections (异议) during the results notice, through HTTP with a frozen clock: who may file, when, with what;
the organizer's ruling and what each party sees of it; an upheld objection reverses the award (the public result
carries a dated note, the firm confirms the next-ranked finalist); and a contract waits for the notice to close
uncontested.

The world is built once per module (a published edition: one need with three finalists and a fourth bid not
selected, another firm's awarded need) and the database is put back before each test.
"""
from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest import create_app
from contest.domain.choices import CooperationMode, NeedCategory, NeedField, OrgKind
from contest.domain.errors import NotPermitted
from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, Membership, NeedStatus, ObjectionStatus, Role
from contest.extensions import db as _db
from contest.models import (
    AuditEvent, Bid, Contract, Edition, Need, Notice, Objection, Organization, PanelMember, Team, TeamMember, User,
)
from contest.services.judging import objections, panels, stages
from contest.services.judging.rubrics import ensure_default_rubrics
from contest.services.records import integrity

from .conftest import _PASSWORD_HASH, PDF, FreshRequestClient
from .test_standings import add_sheet

PUBLISHED = datetime(2026, 6, 20, 2, 0)    # 10:00 Beijing, 20 June: the results are published
DURING = datetime(2026, 6, 22, 2, 0)       # within the window (it ends on 25 June, Beijing, inclusive)
LAST_DAY = datetime(2026, 6, 25, 15, 0)    # 23:00 Beijing on the last day: still open
AFTER = datetime(2026, 6, 25, 16, 30)      # 00:30 Beijing on 26 June: closed
RULED = datetime(2026, 6, 23, 3, 0)        # the organizer's ruling, 23 June (Beijing)
CODE = "CIC8-NB"
MULTIPART = "multipart/form-data"


# --- the world, once per module -------------------------------------------------------------------------------

class _Builder:
    def __init__(self, uploads: Path):
        self.uploads, self.n = uploads, 0
        self.ids: dict[str, int] = {}

    def org(self, name: str, kind: OrgKind = OrgKind.ENTERPRISE) -> Organization:
        self.n += 1
        body = f"91330200AE{self.n:07d}"[:17]
        org = Organization(name=name, kind=kind, credit_code=body + uscc.calc_check_digit(body), region_code="330200",
                           address="宁波市鄞州区", legal_rep="张三", contact_name="李四", contact_phone="0574-88888888",
                           bank_name="中国银行宁波分行", bank_account=f"3601{self.n:012d}")
        _db.session.add(org)
        _db.session.flush()
        return org

    def user(self, key: str, role: Role, org: Organization | None, **kw) -> User:
        user = User(username=f"obj-{key}", role=role, display_name=f"用户{key}", org_id=org.id if org else None,
                    password_hash=_PASSWORD_HASH, **kw)
        _db.session.add(user)
        _db.session.flush()
        self.ids[key] = user.id
        return user

    def team(self, key: str, name: str, lead: str) -> Team:
        owner = self.user(key, Role.TEAM, self.org(lead, OrgKind.UNIVERSITY))
        team = Team(name=name, lead_org_id=owner.org_id, owner_id=owner.id, leader_name="王教授",
                    members=[TeamMember(name="赵工", organization_name=lead, title="副教授")])
        _db.session.add(team)
        _db.session.flush()
        return team

    def need(self, key: str, edition: Edition, firm: User, name: str, status: NeedStatus) -> Need:
        need = Need(edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status, name=name,
                    category=NeedCategory.FIRM_SPECIFIC, field=NeedField.ELECTRONIC_INFO, industry="汽车零部件",
                    problem="人工目检漏检率高。", key_points="检测节拍不大于 1 秒/件。", goals="形成在线检测系统。",
                    budget_wan=Decimal("300.00"), period_start=date(2026, 7, 1), period_end=date(2027, 6, 30),
                    cooperation=CooperationMode.COMMISSIONED, market_id=1, anonymous=False,
                    submitted_at=datetime(2026, 2, 15), published_at=datetime(2026, 2, 20))
        need.keyword_list = ["机器视觉"]
        _db.session.add(need)
        _db.session.flush()
        self.ids[key] = need.id
        return need

    def bid(self, key: str, need: Need, team: Team, status: BidStatus, price: str = "280.00") -> Bid:
        stored = f"objections-{key}.pdf"
        (self.uploads / "bids" / stored).write_bytes(PDF)
        bid = Bid(need_id=need.id, team_id=team.id, status=status, approach=f"{team.name}的技术路线",
                  innovation="小样本学习。", indicators="漏检率 < 0.1%。", plan="第 1-3 月样机。",
                  price_wan=Decimal(price), duration_months=12, declaration_accepted=True, pdf_stored_name=stored,
                  pdf_original_name="挑战报告.pdf", pdf_size=len(PDF), submitted_at=datetime(2026, 4, 1))
        _db.session.add(bid)
        _db.session.flush()
        self.ids[f"bid_{key}"] = bid.id
        return bid


def _build(uploads: Path) -> dict[str, int]:
    """The edition CIC8-NB, judged, confirmed and published on PUBLISHED (through the services)."""
    (uploads / "bids").mkdir(parents=True, exist_ok=True)
    b = _Builder(uploads)
    edition = Edition(code=CODE, name="第八届中国创新挑战赛（宁波）", year=2026, collection_start=date(2026, 2, 1),
                      collection_end=date(2026, 3, 31), bidding_deadline=datetime(2026, 4, 30, 9, 0),
                      review_start=date(2026, 5, 6), review_end=date(2026, 5, 20), final_date=date(2026, 6, 10),
                      results_date=date(2026, 6, 20), stage=EditionStage.FINAL, finalists_per_need=3)
    _db.session.add(edition)
    _db.session.flush()
    ensure_default_rubrics(edition)
    organizer = b.user("organizer", Role.ORGANIZER, None)
    firm_org = b.org("甬江精密注塑有限公司")
    firm = b.user("firm", Role.FIRM, firm_org)
    b.user("firm_colleague", Role.FIRM, firm_org)
    b.user("firm_pending", Role.FIRM, firm_org, membership=Membership.PENDING)
    other_firm = b.user("other_firm", Role.FIRM, b.org("北仑新材料有限公司"))
    b.user("outsider_firm", Role.FIRM, b.org("余姚未参赛企业有限公司"))
    judges = [b.user(f"judge{i}", Role.JUDGE, None) for i in range(5)]
    teams = {key: b.team(key, name, lead) for key, name, lead in (
        ("first", "视觉检测第一队", "宁波大学"), ("second", "光谱成像第二队", "宁波诺丁汉大学"),
        ("third", "缺陷学习第三队", "中科院宁波材料所"), ("fourth", "未入围第四队", "浙大宁波理工学院"),
        ("outsider", "未揭榜的团队", "宁波工程学院"))}
    need = b.need("need", edition, firm, "注塑件在线视觉检测", NeedStatus.FINAL)
    panel = judges[3:] + [firm]
    for member in panel:
        _db.session.add(PanelMember(need_id=need.id, user_id=member.id, firm_representative=member is firm))
    # final = 0.3 × online + 0.7 × on-site: 88.40, 82.40, 72.70
    for key, online, onsite, price in (("first", 80, 92, "350.00"), ("second", 88, 80, "260.00"),
                                       ("third", 70, 74, "200.00")):
        bid = b.bid(key, need, teams[key], BidStatus.FINALIST, price)
        for judge in judges[:3]:
            add_sheet(_db, bid, judge, online)
        for member in panel:
            add_sheet(_db, bid, member, onsite, round_=Round.ONSITE)
    fourth = b.bid("fourth", need, teams["fourth"], BidStatus.NOT_SELECTED)
    for judge in judges[:3]:
        add_sheet(_db, fourth, judge, 50)
    # Another firm's need, awarded at once (its firm is a party of the edition too).
    other = b.need("other_need", edition, other_firm, "海水淡化膜抗污染改性", NeedStatus.AWARDED)
    b.bid("other_winner", other, b.team("other_team", "膜材料攻关组", "宁波工程材料研究院"), BidStatus.WINNER)
    _db.session.flush()
    panels.confirm_winner(need, firm, datetime(2026, 6, 12, 2, 0))
    stages.publish_results(edition, organizer, PUBLISHED)
    _db.session.commit()
    return b.ids


@pytest.fixture(scope="module")
def published(tmp_path_factory, databases):
    folder = tmp_path_factory.mktemp("objections")
    url = databases.fresh(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTEST_INSTANCE", str(folder / "instance"))
        patch.delenv("DATABASE_URL", raising=False)
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": url,
                          "UPLOAD_FOLDER": str(folder / "uploads"), "FROZEN_NOW": PUBLISHED,
                          "PAGE_CACHE_FRESH_SECONDS": 0})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        ids = _build(folder / "uploads")
        _db.session.remove()
        _db.engine.dispose()
    snapshot = databases.snapshot(url, folder)
    yield SimpleNamespace(app=app, url=url, snapshot=snapshot, ids=ids, uploads=folder / "uploads")
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def app(published, databases):
    """The module's app on the published world as it was built (conftest's client, db and login use it)."""
    app = published.app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
        databases.restore(published.url, published.snapshot)
        shutil.rmtree(published.uploads / "objections", ignore_errors=True)
        app.config["FROZEN_NOW"] = DURING
        yield app
        _db.session.remove()


@pytest.fixture
def w(published, db):
    """The world's rows by key: w.user("second"), w.need, w.bid("first")."""
    ids = published.ids

    class World:
        need_id = ids["need"]

        @staticmethod
        def user(key: str) -> User:
            return db.session.get(User, ids[key])

        @staticmethod
        def bid(key: str) -> Bid:
            return db.session.get(Bid, ids[f"bid_{key}"])

        @property
        def need(self) -> Need:
            return db.session.get(Need, ids["need"])

    return World()


def text(response) -> str:
    return response.get_data(as_text=True)


def file_objection(client, who: str, need_id: int, reason: str | None = "现场答辩材料与挑战报告承诺的指标不一致。",
                   pdf: bytes | None = None, filename: str = "证明材料.pdf"):
    data = {} if reason is None else {"reason": reason}
    if pdf is not None:
        data["evidence"] = (io.BytesIO(pdf), filename)
    return client.post(f"/{who}/needs/{need_id}/objection", data=data, content_type=MULTIPART)


def rule(client, objection_id: int, decision: str, reason: str):
    return client.post(f"/organizer/objections/{objection_id}/rule",
                       data={"decision": decision, "reason": reason, "confirmed": "1"})


def all_objections(db) -> list[Objection]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Objection).order_by(Objection.id)))


def evidence_files(published) -> list[Path]:
    folder = published.uploads / "objections"
    return sorted(folder.iterdir()) if folder.exists() else []


def notices_of(db, user: User) -> list[str]:
    return list(db.session.scalars(sa.select(Notice.text).where(Notice.user_id == user.id).order_by(Notice.id)))


def events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def results_row(client, need_id: int) -> str:
    page = text(client.get(f"/results/{CODE}"))
    start = page.index(f'data-need="{need_id}"')
    return page[start:page.index("</tr>", start)]


# --- who may file, and when ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["before_publication", "after_window", "unrelated_team", "unrelated_firm",
                                  "no_reason", "blank_reason"])
def test_a_refused_objection_saves_nothing_and_says_why(client, db, w, login, clock, published, case):
    who, account, status, message = {
        "before_publication": ("team", "fourth", 409, "本届结果尚未公布，不能提出异议"),
        "after_window": ("team", "fourth", 403, "异议期已于 2026-06-25 结束"),
        "unrelated_team": ("team", "outsider", 403, "只有本届提交过挑战报告的揭榜团队或发布过需求的发榜企业"),
        "unrelated_firm": ("firm", "outsider_firm", 403, "只有本届提交过挑战报告的揭榜团队或发布过需求的发榜企业"),
        "no_reason": ("team", "fourth", 400, "此项必填"),
        "blank_reason": ("team", "fourth", 400, "此项必填"),
    }[case]
    if case == "before_publication":
        edition = db.session.scalar(sa.select(Edition).where(Edition.code == CODE))
        edition.stage, edition.results_published_at = EditionStage.FINAL, None
        db.session.commit()
    if case == "after_window":
        clock(AFTER)
    login(w.user(account))
    reason = {"no_reason": None, "blank_reason": "   \n "}.get(case, "评分存在明显错误。")
    r = file_objection(client, who, w.need_id, reason=reason, pdf=PDF)
    assert r.status_code == status and message in text(r), text(r)[-3000:]
    assert all_objections(db) == [] and evidence_files(published) == []
    assert not events(db, "objection.file")
    if case != "no_reason" and case != "blank_reason":
        # The page says the same before anything is posted, and offers no form.
        page = text(client.get(f"/{who}/needs/{w.need_id}/objection"))
        assert message in page and 'name="reason"' not in page


def test_the_window_includes_its_last_day_in_beijing(client, db, w, login, clock):
    clock(LAST_DAY)
    login(w.user("fourth"))
    assert file_objection(client, "team", w.need_id).status_code == 302
    assert len(all_objections(db)) == 1


def test_a_pending_account_cannot_file(client, db, w, login):
    pending = w.user("firm_pending")
    login(pending)
    r = file_objection(client, "firm", w.need_id)
    assert r.status_code == 302 and r.headers["Location"].endswith("/auth/membership")
    assert all_objections(db) == []
    with pytest.raises(NotPermitted) as refused:
        objections.check_file(w.need, pending, DURING)
    assert refused.value.message_id == "objection.not_member"


def test_a_bad_pdf_is_refused_and_nothing_is_stored(client, db, w, login, published):
    login(w.user("fourth"))
    r = file_objection(client, "team", w.need_id, pdf=b"<html>not a pdf</html>", filename="evil.pdf")
    assert 400 <= r.status_code < 500
    assert all_objections(db) == [] and evidence_files(published) == []


# --- filed, then rejected ------------------------------------------------------------------------------------

def test_a_losing_team_files_with_a_pdf_and_the_organizer_rejects_it(client, db, w, login, clock, published):
    fourth, first, firm = w.user("fourth"), w.user("first"), w.user("firm")
    login(fourth)
    page = text(client.get(f"/results/{CODE}"))
    assert f'href="/team/needs/{w.need_id}/objection"' in page
    r = file_objection(client, "team", w.need_id, pdf=PDF, filename="../../证明材料.pdf")
    assert r.status_code == 302 and r.headers["Location"].endswith("/team/objections")
    [objection] = all_objections(db)
    assert (objection.status, objection.filed_by_id, objection.bid_id) == (
        ObjectionStatus.PENDING, fourth.id, w.bid("first").id)
    assert objection.evidence_original_name == "证明材料.pdf" and objection.evidence_size == len(PDF)
    assert evidence_files(published) == [published.uploads / "objections" / objection.evidence_stored_name]
    assert integrity.row_files_present() == [] and integrity.files_without_rows() == []  # the check knows the file
    assert [e.object_id for e in events(db, "objection.file")] == [objection.id]
    # One pending objection per filer and need.
    again = file_objection(client, "team", w.need_id, reason="再次提出。")
    assert again.status_code == 409 and "已有一项待裁定的异议" in text(again)
    assert len(all_objections(db)) == 1
    mine = text(client.get("/team/objections"))
    assert "现场答辩材料与挑战报告承诺的指标不一致" in mine and "待组织方裁定" in mine
    # The firm of the need, its colleague and the contested team are told (not who filed it); so are organizers.
    for user in (firm, w.user("firm_colleague"), first, w.user("organizer")):
        assert any("收到一项异议" in n for n in notices_of(db, user)), user.username
    assert not notices_of(db, w.user("firm_pending"))
    assert "未入围第四队" not in "".join(notices_of(db, first) + notices_of(db, firm))
    # The evidence goes to the organizer alone.
    assert client.get(f"/organizer/objections/{objection.id}/evidence").status_code == 403
    login(w.user("organizer"))
    listing = text(client.get(f"/organizer/editions/{CODE}/objections"))
    assert f'data-objection="{objection.id}"' in listing and "视觉检测第一队" in listing
    detail = text(client.get(f"/organizer/objections/{objection.id}"))
    assert "现场答辩材料与挑战报告承诺的指标不一致" in detail and "data-confirm=" in detail
    download = client.get(f"/organizer/objections/{objection.id}/evidence")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")

    # The ruling is asked once, then recorded (even after the window has closed).
    clock(AFTER)
    unconfirmed = client.post(f"/organizer/objections/{objection.id}/rule",
                              data={"decision": "rejected", "reason": "经核查，现场答辩内容与报告一致。", "confirmed": ""})
    assert unconfirmed.status_code == 200 and 'name="confirmed"' in text(unconfirmed)
    assert all_objections(db)[0].status == ObjectionStatus.PENDING
    missing = rule(client, objection.id, "rejected", "")
    assert missing.status_code == 400 and all_objections(db)[0].status == ObjectionStatus.PENDING
    r = rule(client, objection.id, "rejected", "经核查，现场答辩内容与报告一致。")
    assert r.status_code == 303
    [objection] = all_objections(db)
    assert (objection.status, objection.ruling_reason, objection.ruled_at) == (
        ObjectionStatus.REJECTED, "经核查，现场答辩内容与报告一致。", AFTER)
    [event] = events(db, "objection.rule")
    assert json.loads(event.detail)["decision"] == "rejected" and event.actor_id == w.user("organizer").id
    assert rule(client, objection.id, "upheld", "改判。").status_code == 409
    # Nothing else changed: the award stands, on every page.
    assert (w.need.status, w.bid("first").status) == (NeedStatus.AWARDED, BidStatus.WINNER)
    assert not events(db, "need.award_reversed")
    assert "视觉检测第一队" in results_row(client, w.need_id) and "data-reversed" not in results_row(client, w.need_id)
    # Both parties see the ruling: the filer, the firm of the need and the contested team.
    for user, path in ((fourth, "/team/objections"), (firm, "/firm/objections"), (first, "/team/objections")):
        login(user)
        page = text(client.get(path))
        assert "经核查，现场答辩内容与报告一致。" in page and "异议不成立" in page, user.username
        assert any("不成立" in n for n in notices_of(db, user)), user.username
    assert "现场答辩材料与挑战报告承诺的指标不一致" not in page  # the contested team sees the ruling, not the filing


# --- upheld: the award reversed, the next finalist confirmed, the contract -----------------------------------

def test_an_upheld_objection_reverses_the_award_and_the_next_finalist_gets_the_contract(client, db, w, login, clock):
    second, firm, organizer = w.user("second"), w.user("firm"), w.user("organizer")
    login(second)
    assert file_objection(client, "team", w.need_id, reason="第一名团队报价与承诺指标不符。").status_code == 302
    [objection] = all_objections(db)

    # While the window is open (and an objection pending) the contract cannot be drafted; the page says why.
    login(organizer)
    page = text(client.get(f"/organizer/editions/{CODE}/contracts"))
    row = page[page.index(f'data-awaiting="{w.need_id}"'):]
    row = row[:row.index("</tr>")]
    assert "异议期至 2026-06-25（含）结束" in row and "/contract" not in row
    r = client.post(f"/organizer/needs/{w.need_id}/contract")
    assert r.status_code == 409 and "异议期至 2026-06-25（含）结束" in text(r)

    clock(RULED)
    assert rule(client, objection.id, "upheld", "经复核，第一名团队现场演示数据不实。").status_code == 303
    need, first, second_bid, third, fourth = (w.need, w.bid("first"), w.bid("second"), w.bid("third"),
                                              w.bid("fourth"))
    assert need.status == NeedStatus.FINAL
    assert (first.status, second_bid.status, third.status, fourth.status) == (
        BidStatus.NOT_SELECTED, BidStatus.FINALIST, BidStatus.FINALIST, BidStatus.NOT_SELECTED)
    [reversed_event] = events(db, "need.award_reversed")
    assert json.loads(reversed_event.detail)["reinstated"] == [second_bid.id, third.id]
    assert any("成立" in n for n in notices_of(db, second))
    assert any("重新确认" in n for n in notices_of(db, firm))
    assert any("已撤销" in n for n in notices_of(db, first.team.owner))

    # The public result: a dated note, no stale winner, the need pending again.
    client.post("/auth/logout")
    row = results_row(client, w.need_id)
    assert "2026-06-23 经异议复核，原结果撤销，改由企业重新确认" in row
    assert "data-winner" not in row and "视觉检测第一队" not in row and "待企业重新确认" in row
    assert "结果待公布" in text(client.get(f"/needs/{w.need_id}"))
    assert "视觉检测第一队" not in text(client.get(f"/results/{CODE}"))

    # The firm is offered the next-ranked finalist, and confirms it.
    login(firm)
    ranking = text(client.get(f"/firm/needs/{w.need_id}/ranking"))
    assert "确认后 光谱成像第二队 即为本需求的挑战第一名" in ranking
    assert "data-reversed" in ranking and "原确认结果（2026-06-12 10:00）已撤销" in ranking
    assert "经复核，第一名团队现场演示数据不实。" in text(client.get("/firm/objections"))
    r = client.post(f"/firm/needs/{w.need_id}/confirm", data={"confirmed": "1"})
    assert r.status_code in (302, 303)
    need, second_bid, third = w.need, w.bid("second"), w.bid("third")
    assert (need.status, second_bid.status, third.status) == (NeedStatus.AWARDED, BidStatus.WINNER,
                                                              BidStatus.NOT_SELECTED)
    client.post("/auth/logout")
    row = results_row(client, w.need_id)
    assert "光谱成像第二队" in row and "data-winner" in row and "2026-06-23 经异议复核" in row

    # After the window, with nothing pending, the contract is drafted with the second team's organization.
    login(organizer)
    clock(AFTER)
    page = text(client.get(f"/organizer/editions/{CODE}/contracts"))
    assert f'action="/organizer/needs/{w.need_id}/contract"' in page
    r = client.post(f"/organizer/needs/{w.need_id}/contract")
    assert r.status_code == 302, text(r)[-2000:]
    contract = db.session.scalar(sa.select(Contract).where(Contract.need_id == w.need_id))
    assert contract.bid_id == second_bid.id
    assert json.loads(contract.party_b)["name"] == "宁波诺丁汉大学"
    assert contract.total_amount == Decimal("2600000.00")


def test_after_a_reversal_the_firm_may_decline_and_the_need_fails(client, db, w, login, clock):
    login(w.user("fourth"))
    assert file_objection(client, "team", w.need_id).status_code == 302
    [objection] = all_objections(db)
    login(w.user("organizer"))
    clock(RULED)
    assert rule(client, objection.id, "upheld", "原结果撤销。").status_code == 303
    login(w.user("firm"))
    r = client.post(f"/firm/needs/{w.need_id}/decline", data={"reason": "剩余团队方案不满足产线要求", "confirmed": "1"})
    assert r.status_code in (302, 303)
    assert w.need.status == NeedStatus.FAILED
    row = results_row(client, w.need_id)
    assert "data-failed" in row and "2026-06-23 经异议复核，原结果撤销" in row and "data-winner" not in row


def test_drafting_waits_for_every_pending_objection_to_be_ruled(client, db, w, login, clock):
    login(w.user("other_firm"))  # a firm of the edition objects to another firm's result
    assert file_objection(client, "firm", w.need_id).status_code == 302
    [objection] = all_objections(db)
    clock(AFTER)
    login(w.user("organizer"))
    page = text(client.get(f"/organizer/editions/{CODE}/contracts"))
    assert "该需求有 1 项异议待裁定，裁定后方可起草合同" in page
    r = client.post(f"/organizer/needs/{w.need_id}/contract")
    assert r.status_code == 409 and "该需求有 1 项异议待裁定" in text(r)
    assert db.session.scalar(sa.select(sa.func.count(Contract.id))) == 0
    assert rule(client, objection.id, "rejected", "异议理由不成立。").status_code == 303
    assert client.post(f"/organizer/needs/{w.need_id}/contract").status_code == 302
    contract = db.session.scalar(sa.select(Contract).where(Contract.need_id == w.need_id))
    assert contract.bid_id == w.bid("first").id


def test_the_contracts_page_reads_pending_objections_in_its_one_statement(client, db, w, login, clock, count_queries):
    login(w.user("organizer"))
    clock(AFTER)
    db.session.expire_all()
    with count_queries() as two:
        assert client.get(f"/organizer/editions/{CODE}/contracts").status_code == 200
    login(w.user("fourth"))
    clock(DURING)
    assert file_objection(client, "team", w.need_id).status_code == 302
    login(w.user("organizer"))
    clock(AFTER)
    db.session.expire_all()
    with count_queries() as still_two:
        page = text(client.get(f"/organizer/editions/{CODE}/contracts"))
    assert "1 项异议待裁定" in page
    assert len(still_two) == len(two)


def test_the_objection_lists_run_a_constant_number_of_statements(client, db, w, login, count_queries):
    def counted(who: str, path: str) -> int:
        login(w.user(who))
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    lists = (("organizer", f"/organizer/editions/{CODE}/objections?show=all"), ("firm", "/firm/objections"),
             ("first", "/team/objections"))
    login(w.user("fourth"))
    assert file_objection(client, "team", w.need_id).status_code == 302
    one = [counted(who, path) for who, path in lists]
    for who, kind in (("second", "team"), ("third", "team"), ("other_firm", "firm")):
        login(w.user(who))
        assert file_objection(client, kind, w.need_id).status_code == 302
    assert len(all_objections(db)) == 4
    assert [counted(who, path) for who, path in lists] == one
