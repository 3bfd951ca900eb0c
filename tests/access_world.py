"""The world of the access matrix (tests/test_access_matrix.py): two firms, two teams, three judges, the firm's
panel representative and an organizer, with firm A's needs in every stage so that every route has an object.

Editions (the frozen clock is 2026-03-10 10:00 Beijing):
  ACC-OPEN     collecting needs and taking bids: firm A's draft, submitted and published needs; team A's and
               team B's bids on the published one; a second published need nobody has bid on yet.
  ACC-CLOSED   still OPEN but its bidding deadline has passed (the organizer may open the online review).
  ACC-ONLINE   online review: team A's and team B's bids on firm A's need; the assigned judge and the
               conflicted judge (same organization as team A's lead) are assigned to team A's bid.
  ACC-FINAL    on-site final: both bids are finalists; the panel is the assigned judge and the firm's
               representative; the assigned judge has submitted team B's on-site sheet. Another need of firm A
               in the final has no panel yet.
  ACC-DECIDED  in the final with every need decided (none): results may be published.
  ACC-RES      results published: four of firm A's needs awarded to team A, their contracts signed (with scan),
               issued, drafted, and not yet drafted.
  ACC-NOTICE   results published on 8 March, the objection window open (until 13 March): firm A's need awarded to
               team A, team B's bid not selected, and team B's objection to it pending, with its evidence PDF.
Jobs: the organizer's score exports of ACC-FINAL, one done (its result file kept) and one failed.
Notices and mail: firm A's unread notice of its returned draft, and the mail of it, refused for good by the server.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from stdnum.cn import uscc

from contest import create_app
from contest.domain.choices import BrokerLevel, CooperationMode, NeedCategory, NeedField, OrgKind
from contest.domain.rubric import Round
from contest.domain.states import (
    AssignmentStatus, BidStatus, EditionStage, JobStatus, MailState, Membership, NeedStatus, Role, SheetStatus,
)
from contest.extensions import db
from contest.models import (
    Assignment, Bid, Broker, BrokerCredit, Edition, Job, MailMessage, Need, Notice, Objection, Organization,
    PanelMember, ScoreItem, ScoreSheet, Team, TeamMember, User,
)
from contest.services.contracts import drafting, followup, issuing
from contest.services.files import uploads
from contest.services.jobs import results
from contest.services.judging import objections
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

from .conftest import _PASSWORD_HASH, PASSWORD, PDF, FreshRequestClient

NOW = datetime(2026, 3, 10, 2, 0)
ACTORS = ("anonymous", "firm_a", "firm_b", "team_a", "team_b", "judge_assigned", "judge_unassigned",
          "judge_conflicted", "panel_rep", "organizer", "firm_pending", "market_a", "market_b", "broker_a", "broker_b")
# Firm A's needs were collected by market A (海曙区科技大市场, staff market_a); market_b works for another market
# (江北区科技大市场). broker_a is the broker firm A named on its published need; broker_b is another broker.
MARKET_A, MARKET_B = 2, 3

FIRM_A_ORG = "甲方保密精工科技有限公司"
TEAM_A_NAME = "甲队保密视觉攻关组"
TEAM_A_ORG = "甲队牵头保密研究院"
TEAM_A_APPROACH = "甲队保密技术路线：多光谱成像与小样本学习"
TEAM_A_LEADER, TEAM_A_MEMBER = "甲队负责人王某", "甲队成员赵某"
# What a judge of the online round must never see: the team, its members, its organization.
TEAM_A_IDENTITY = (TEAM_A_NAME, TEAM_A_ORG, TEAM_A_LEADER, TEAM_A_MEMBER)
NEED_PREFIX = "甲方保密需求"


@dataclass
class World:
    """Ids (never ORM objects: the database is restored between cases) and what a hidden page must not show."""

    users: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    editions: dict[str, str] = field(default_factory=dict)      # key -> code
    needs: dict[str, int] = field(default_factory=dict)
    bids: dict[str, int] = field(default_factory=dict)
    contracts: dict[str, int] = field(default_factory=dict)
    objection: int = 0                                          # team B's pending objection in ACC-NOTICE
    assignment: int = 0
    onsite_sheet: int = 0
    verify_token: str = ""
    edition_ids: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    terms_form: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    jobs: dict[str, int] = field(default_factory=dict)          # the organizer's score exports: done, failed
    notice: int = 0                                             # firm A's unread notice
    mail: int = 0                                               # a message to firm A the server refused for good
    brokers: dict[str, int] = field(default_factory=dict)       # brk_*: broker profiles and their credits
    events: dict[str, int] = field(default_factory=dict)        # evt_*: market A's matchmaking events and their rows
    api: dict[str, int] = field(default_factory=dict)           # api_*: market A's personal API token


def _credit_code(n: int) -> str:
    body = f"91330200AC{n:07d}"[:17]
    return body + uscc.calc_check_digit(body)


class _Builder:
    def __init__(self) -> None:
        self.w = World()
        self.n = 0

    def org(self, key: str, name: str, kind: OrgKind = OrgKind.ENTERPRISE) -> Organization:
        self.n += 1
        org = Organization(name=name, kind=kind, credit_code=_credit_code(self.n), region_code="330200",
                           address="宁波市鄞州区", legal_rep="张三", contact_name="李四",
                           contact_phone="0574-88888888", bank_name="中国银行宁波分行",
                           bank_account=f"3601{self.n:012d}")
        db.session.add(org)
        db.session.flush()
        self.w.orgs[key] = org.id
        return org

    def user(self, key: str, role: Role, org: Organization | None, market_id: int | None = None) -> User:
        user = User(username=f"acc-{key.replace('_', '-')}", role=role, display_name=f"用户{key}",
                    org_id=org.id if org else None, market_id=market_id)
        user.password_hash = _PASSWORD_HASH
        db.session.add(user)
        db.session.flush()
        self.w.users[key], self.w.usernames[key] = user.id, user.username
        return user

    def edition(self, key: str, code: str, stage: EditionStage, deadline: datetime,
                collect: tuple[date, date]) -> Edition:
        e = Edition(code=code, name=f"访问矩阵{code}", year=2026, collection_start=collect[0],
                    collection_end=collect[1], bidding_deadline=deadline, review_start=date(2026, 5, 6),
                    review_end=date(2026, 5, 20), final_date=date(2026, 6, 10), results_date=date(2026, 6, 20),
                    stage=stage)
        if stage == EditionStage.RESULTS:
            e.results_published_at = datetime(2026, 3, 1)
        db.session.add(e)
        db.session.flush()
        ensure_default_rubrics(e)
        self.w.editions[key], self.w.edition_ids[key] = code, e.id
        return e

    def need(self, key: str, edition: Edition, firm: User, status: NeedStatus, name: str) -> Need:
        need = Need(edition_id=edition.id, firm_org_id=firm.org_id, created_by_id=firm.id, status=status, name=name,
                    category=NeedCategory.FIRM_SPECIFIC, field=NeedField.ELECTRONIC_INFO, industry="汽车零部件",
                    problem="人工目检漏检率高。", key_points="检测节拍不大于 1 秒/件。",
                    goals="形成可部署的在线检测系统。",
                    budget_wan=Decimal("300.00"), period_start=date(2026, 6, 1), period_end=date(2027, 5, 31),
                    cooperation=CooperationMode.COMMISSIONED, market_id=MARKET_A if firm.org_id == self.w.orgs["firm_a"]
                    else MARKET_B, anonymous=False)
        need.keyword_list = ["机器视觉", "缺陷检测"]
        if status not in (NeedStatus.DRAFT, NeedStatus.SUBMITTED):
            need.published_at = datetime(2026, 2, 20)
        if status != NeedStatus.DRAFT:
            need.submitted_at = datetime(2026, 2, 15)
        db.session.add(need)
        db.session.flush()
        self.w.needs[key] = need.id
        return need

    def bid(self, key: str, need: Need, team: Team, status: BidStatus, approach: str) -> Bid:
        stored = f"access-{key}.pdf"
        (uploads.folder() / stored).write_bytes(PDF)
        bid = Bid(need_id=need.id, team_id=team.id, status=status, approach=approach, innovation="小样本缺陷学习。",
                  indicators="漏检率 < 0.1%。", plan="第 1-3 月样机。", price_wan=Decimal("280.00"), duration_months=12,
                  ip_background="发明专利 3 项。", strengths="长期从事工业视觉研究。", declaration_accepted=True,
                  pdf_stored_name=stored, pdf_original_name=f"{team.name}-挑战报告.pdf", pdf_size=len(PDF),
                  submitted_at=None if status == BidStatus.DRAFT else datetime(2026, 3, 5))
        db.session.add(bid)
        db.session.flush()
        self.w.bids[key] = bid.id
        return bid


def build_world() -> World:
    """Build and commit the world; return its ids.

    Call it within a request context: issuing a contract renders its PDF in a request context of its own when
    there is none, and that context's teardown would delete the scan stored just before as uncommitted.
    """
    b = _Builder()
    w = b.w
    firm_a_org, firm_b_org = b.org("firm_a", FIRM_A_ORG), b.org("firm_b", "乙方新材料有限公司")
    team_a_org = b.org("team_a", TEAM_A_ORG, OrgKind.INSTITUTE)
    team_b_org = b.org("team_b", "乙队牵头大学", OrgKind.UNIVERSITY)
    judge_org = b.org("judge", "评审专家所在大学", OrgKind.UNIVERSITY)

    firm_a, firm_b = b.user("firm_a", Role.FIRM, firm_a_org), b.user("firm_b", Role.FIRM, firm_b_org)
    rep = b.user("panel_rep", Role.FIRM, firm_a_org)
    b.user("firm_pending", Role.FIRM, firm_a_org).membership = Membership.PENDING  # knows firm A's name and code
    team_a_user, team_b_user = b.user("team_a", Role.TEAM, team_a_org), b.user("team_b", Role.TEAM, team_b_org)
    judge = b.user("judge_assigned", Role.JUDGE, judge_org)
    b.user("judge_unassigned", Role.JUDGE, judge_org)
    conflicted = b.user("judge_conflicted", Role.JUDGE, team_a_org)
    organizer = b.user("organizer", Role.ORGANIZER, None)
    b.user("market_a", Role.MARKET, None, MARKET_A)
    b.user("market_b", Role.MARKET, None, MARKET_B)
    b.user("broker_a", Role.BROKER, None)
    b.user("broker_b", Role.BROKER, None)
    b.user("disabled", Role.JUDGE, judge_org).active = False

    team_a = Team(name=TEAM_A_NAME, lead_org_id=team_a_org.id, owner_id=team_a_user.id, leader_name=TEAM_A_LEADER,
                  members=[TeamMember(name=TEAM_A_MEMBER, organization_name=TEAM_A_ORG, title="高工")])
    team_b = Team(name="乙队材料攻关组", lead_org_id=team_b_org.id, owner_id=team_b_user.id, leader_name="钱教授",
                  members=[TeamMember(name="孙工", organization_name="乙队牵头大学", title="副教授")])
    db.session.add_all([team_a, team_b])
    db.session.flush()

    collecting = (date(2026, 2, 1), date(2026, 3, 31))
    past = (date(2025, 12, 1), date(2026, 1, 31))
    e_open = b.edition("open", "ACC-OPEN", EditionStage.OPEN, datetime(2026, 4, 30, 9, 0), collecting)
    b.edition("closed", "ACC-CLOSED", EditionStage.OPEN, datetime(2026, 3, 1, 9, 0), past)
    e_online = b.edition("online", "ACC-ONLINE", EditionStage.ONLINE_REVIEW, datetime(2026, 2, 1, 9, 0), past)
    e_final = b.edition("final", "ACC-FINAL", EditionStage.FINAL, datetime(2026, 2, 1, 9, 0), past)
    b.edition("decided", "ACC-DECIDED", EditionStage.FINAL, datetime(2026, 2, 1, 9, 0), past)
    e_res = b.edition("results", "ACC-RES", EditionStage.RESULTS, datetime(2026, 2, 1, 9, 0), past)

    # Collecting and bidding.
    b.need("draft", e_open, firm_a, NeedStatus.DRAFT, f"{NEED_PREFIX}·草稿")
    b.need("submitted", e_open, firm_a, NeedStatus.SUBMITTED, f"{NEED_PREFIX}·待甄别")
    published = b.need("published", e_open, firm_a, NeedStatus.PUBLISHED, f"{NEED_PREFIX}·已发布")
    b.need("unbid", e_open, firm_a, NeedStatus.PUBLISHED, f"{NEED_PREFIX}·无人揭榜")
    b.need("firm_b", e_open, firm_b, NeedStatus.PUBLISHED, "乙方公开需求")
    b.bid("open_a", published, team_a, BidStatus.DRAFT, TEAM_A_APPROACH)
    b.bid("open_b", published, team_b, BidStatus.SUBMITTED, "乙队技术路线")

    # Online review.
    in_review = b.need("online", e_online, firm_a, NeedStatus.IN_REVIEW, f"{NEED_PREFIX}·初评中")
    online_a = b.bid("online_a", in_review, team_a, BidStatus.SUBMITTED, TEAM_A_APPROACH)
    b.bid("online_b", in_review, team_b, BidStatus.SUBMITTED, "乙队技术路线")
    assignment = Assignment(bid_id=online_a.id, judge_id=judge.id, status=AssignmentStatus.ASSIGNED)
    # Assigned before the judge's organization was known: the scoring service must still refuse it.
    db.session.add_all([assignment, Assignment(bid_id=online_a.id, judge_id=conflicted.id)])

    # On-site final.
    final = b.need("final", e_final, firm_a, NeedStatus.FINAL, f"{NEED_PREFIX}·现场赛")
    b.bid("final_a", final, team_a, BidStatus.FINALIST, TEAM_A_APPROACH)
    final_b = b.bid("final_b", final, team_b, BidStatus.FINALIST, "乙队技术路线")
    db.session.add_all([PanelMember(need_id=final.id, user_id=judge.id),
                        PanelMember(need_id=final.id, user_id=rep.id, firm_representative=True)])
    # A second finalist need whose panel is not named yet (it can still be set).
    unpanelled = b.need("final_unpanelled", e_final, firm_a, NeedStatus.FINAL, f"{NEED_PREFIX}·待组评审组")
    b.bid("final_unpanelled_a", unpanelled, team_a, BidStatus.FINALIST, TEAM_A_APPROACH)
    criteria = rubric_for(e_final.id, Round.ONSITE).criteria
    sheet = ScoreSheet(round=Round.ONSITE, bid_id=final_b.id, judge_id=judge.id, status=SheetStatus.SUBMITTED,
                       submitted_at=datetime(2026, 3, 9), comment="现场表现良好",
                       items=[ScoreItem(criterion_id=c.id, points=c.max_points - 2) for c in criteria])
    db.session.add(sheet)

    # Results and contracts.
    awarded = {}
    for key in ("signed", "issued", "drafted", "uncontracted"):
        need = b.need(f"res_{key}", e_res, firm_a, NeedStatus.AWARDED, f"{NEED_PREFIX}·已揭榜·{key}")
        b.bid(f"res_{key}_a", need, team_a, BidStatus.WINNER, TEAM_A_APPROACH)
        b.bid(f"res_{key}_b", need, team_b, BidStatus.NOT_SELECTED, "乙队技术路线")
        awarded[key] = need
    db.session.flush()
    for key in ("signed", "issued", "drafted"):
        contract = drafting.draft_contract(awarded[key], organizer, NOW)
        db.session.flush()
        if key != "drafted":
            issuing.issue_contract(contract, organizer, NOW)
        if key == "signed":
            scan = uploads.check_pdf(io.BytesIO(PDF), "signed.pdf")
            followup.record_signing(contract, organizer, date(2026, 3, 10), scan, NOW)
        db.session.flush()
        w.contracts[key] = contract.id
        if contract.number:
            w.secrets.append(contract.number)
        if key == "signed":
            w.verify_token = contract.verify_token
        if key == "drafted":
            w.terms_form = _terms_form(contract)

    w.objection = _objection(b, firm_a, team_a, team_b, team_b_user)
    _market_work(b, e_open, firm_a)
    _broker_work(b, firm_a, team_a_user)
    _event_work(b, organizer, team_a, team_a_user)
    _api_work(b)
    w.jobs = _jobs(organizer, e_final)
    w.notice, w.mail = _told(firm_a)
    db.session.flush()
    w.assignment, w.onsite_sheet = assignment.id, sheet.id
    db.session.commit()  # in a request context (see build_world's docstring): the stored files are kept
    w.secrets += [FIRM_A_ORG, *TEAM_A_IDENTITY, TEAM_A_APPROACH, NEED_PREFIX]
    return w


def _objection(b: _Builder, firm_a: User, team_a: Team, team_b: Team, filer: User) -> int:
    """ACC-NOTICE: results published two days ago; team B objects to team A's award of firm A's need."""
    e_notice = b.edition("notice", "ACC-NOTICE", EditionStage.RESULTS, datetime(2026, 2, 1, 9, 0),
                         (date(2025, 12, 1), date(2026, 1, 31)))
    e_notice.results_published_at = datetime(2026, 3, 8, 2, 0)
    need = b.need("notice", e_notice, firm_a, NeedStatus.AWARDED, f"{NEED_PREFIX}·公示中")
    winner = b.bid("notice_a", need, team_a, BidStatus.WINNER, TEAM_A_APPROACH)
    b.bid("notice_b", need, team_b, BidStatus.NOT_SELECTED, "乙队技术路线")
    evidence = uploads.check_pdf(io.BytesIO(PDF), "异议证明.pdf")
    objection = Objection(edition_id=e_notice.id, need_id=need.id, bid_id=winner.id, filed_by_id=filer.id,
                          org_id=filer.org_id, reason="甲队现场演示数据与报告不符。", filed_at=datetime(2026, 3, 9),
                          evidence_stored_name=uploads.store_in(objections.evidence_folder(), evidence),
                          evidence_original_name=evidence.original_name, evidence_size=len(evidence.content),
                          evidence_sha256=evidence.sha256)
    db.session.add(objection)
    db.session.flush()
    return objection.id


def _market_work(b: _Builder, e_open: Edition, firm_a: User) -> None:
    """Market A's work: firm A's need waiting for its pre-screening (mkt_review); a firm market A registered on
    its behalf with its consent (mkt_firm), and a draft market A's staff collected for it (mkt_collected)."""
    b.need("mkt_review", e_open, firm_a, NeedStatus.MARKET_REVIEW, f"{NEED_PREFIX}·市场预审中")
    firm = b.org("mkt_firm", "甲市场代注册保密企业有限公司")
    firm.market_id, firm.consent_by, firm.consent_at = MARKET_A, "甲市场企业同意人", datetime(2026, 3, 1)
    collected = b.need("mkt_collected", e_open, firm_a, NeedStatus.DRAFT, "甲市场代征集保密需求")
    collected.firm_org_id, collected.created_by_id = firm.id, b.w.users["market_a"]
    b.w.secrets += ["甲市场代注册保密企业有限公司", "甲市场代征集保密需求"]


def _broker_work(b: _Builder, firm_a: User, team_a_user: User) -> None:
    """broker_a's profile (market A) with two pending credits: firm A named it on its published need
    (brk_need_credit), team A on its bid on that need (brk_bid_credit); broker_b has a profile of its own."""
    for key, name, market in (("broker_a", "甲经纪人", MARKET_A), ("broker_b", "乙经纪人", MARKET_B)):
        broker = Broker(user_id=b.w.users[key], name=name, level=BrokerLevel.INTERMEDIATE,
                        certificate_no=f"ACC-{key.upper()}", market_id=market, fields="electronic_info")
        db.session.add(broker)
        db.session.flush()
        b.w.brokers[f"brk_{key[-1]}"] = broker.id
    for key, side in (("brk_need_credit", {"need_id": b.w.needs["published"]}),
                      ("brk_bid_credit", {"bid_id": b.w.bids["open_a"]})):
        credit = BrokerCredit(broker_id=b.w.brokers["brk_a"], named_by_id=firm_a.id if "need_id" in side
                              else team_a_user.id, named_at=datetime(2026, 3, 6), **side)
        db.session.add(credit)
        db.session.flush()
        b.w.brokers[key] = credit.id


def _api_work(b: _Builder) -> None:
    """Market A's staff member's personal API token (api_token); its name is market A's business."""
    from contest.models import ApiToken
    from contest.services.api.tokens import token_digest

    secret = "ctk_access-matrix-token"
    token = ApiToken(user_id=b.w.users["market_a"], name="甲市场保密接口令牌", token_hash=token_digest(secret),
                     prefix=secret[:12], scopes="needs:write", created_at=NOW)
    db.session.add(token)
    db.session.flush()
    b.w.api["api_token"] = token.id
    b.w.secrets.append("甲市场保密接口令牌")


def _event_work(b: _Builder, organizer: User, team_a: Team, team_a_user: User) -> None:
    """Market A's matchmaking events presenting firm A's published need, team A registered for both: one to come
    (evt_upcoming, registration evt_upcoming_reg) and one held yesterday (evt_past, registration evt_past_reg)
    where team A's contact with the need was recorded (evt_contact)."""
    from contest.models import EventContact, EventNeed, EventRegistration, MatchEvent

    for key, starts_at in (("evt_upcoming", datetime(2026, 3, 15, 6, 0)), ("evt_past", datetime(2026, 3, 9, 6, 0))):
        event = MatchEvent(market_id=MARKET_A, title=f"甲市场对接活动·{key[4:]}", starts_at=starts_at,
                           place="海曙区科技大市场", fields="electronic_info", created_by_id=b.w.users["market_a"])
        db.session.add(event)
        db.session.flush()
        registration = EventRegistration(event_id=event.id, user_id=team_a_user.id, registered_at=datetime(2026, 3, 1))
        db.session.add_all([EventNeed(event_id=event.id, need_id=b.w.needs["published"]), registration])
        db.session.flush()
        b.w.events[key], b.w.events[f"{key}_reg"] = event.id, registration.id
    contact = EventContact(event_id=b.w.events["evt_past"], need_id=b.w.needs["published"], team_id=team_a.id,
                           note="约定现场考察", recorded_by_id=organizer.id)
    db.session.add(contact)
    db.session.flush()
    b.w.events["evt_contact"] = contact.id


def _jobs(organizer: User, edition: Edition) -> dict[str, int]:
    """The organizer's score exports of the final: one done (its file kept), one failed (it may be retried)."""
    done = Job(kind="scores.export", params={"fmt": "csv", "codes": False}, status=JobStatus.DONE, done=2, total=2,
               started_by_id=organizer.id, edition_id=edition.id, created_at=NOW, started_at=NOW, finished_at=NOW,
               attempts=1, result_filename="ACC-FINAL-评分明细.csv", result_mimetype="text/csv; charset=utf-8")
    failed = Job(kind="scores.export", params={"fmt": "csv", "codes": False}, status=JobStatus.FAILED,
                 started_by_id=organizer.id, edition_id=edition.id, created_at=NOW, started_at=NOW, finished_at=NOW,
                 attempts=1, failure_id="job.crashed", failure_params={"error_id": "0badc0de"})
    db.session.add_all([done, failed])
    db.session.flush()
    done.result_name = results.final_name(done.id, done.result_filename)
    results.path(done.result_name).write_bytes("届次,需求编号\r\n".encode("utf-8-sig"))
    return {"done": done.id, "failed": failed.id}


def _told(firm_a: User) -> tuple[int, int]:
    """Firm A was told its draft was returned: an unread notice, and a mail the server refused for good."""
    notice = Notice(user_id=firm_a.id, text=f"您的需求“{NEED_PREFIX}·草稿”被退回修改", event="need.returned",
                    link="/firm/needs", created_at=NOW)
    mail = MailMessage(user_id=firm_a.id, recipient="acc-firm-a@example.com", event="need.returned",
                       subject=notice.text, body_text="请按意见修改后重新提交。", body_html="",
                       message_id="<access-matrix.1@contest.example.cn>", state=MailState.FAILED, attempts=1,
                       last_error="550 5.1.1 Mailbox unavailable", next_attempt_at=NOW, created_at=NOW)
    db.session.add_all([notice, mail])
    db.session.flush()
    return notice.id, mail.id


def _terms_form(contract) -> dict[str, str]:
    """The draft's terms as its page would post them back (a valid body)."""
    data: dict[str, str] = {}
    for key in drafting.TERM_FIELDS:
        value = getattr(contract, key)
        value = getattr(value, "value", value)
        data[key] = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    for side in ("party_a", "party_b"):
        details = drafting.party(contract, side)
        data.update({f"{side}-{key}": details.get(key) or "" for key in drafting.PARTY_FIELDS})
    for n, i in enumerate(contract.instalments):
        data.update({f"instalments-{n}-amount": str(i.amount), f"instalments-{n}-due": i.due_date.isoformat(),
                     f"instalments-{n}-condition": i.condition})
    return data


def logged_in_world(tmp: Path, databases) -> tuple[Flask, World, dict[str, dict], str, Path]:
    """An app on a fresh database holding the world, each actor's logged-in session (what a test client carries
    to act as that actor), the database's URL and the uploads folder: the access matrix's and the fuzz test's."""
    database_url, folder = databases.fresh(tmp), tmp / "uploads"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTEST_INSTANCE", str(tmp / "instance"))
        patch.delenv("DATABASE_URL", raising=False)
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": database_url,
                          "UPLOAD_FOLDER": str(folder), "FROZEN_NOW": NOW, "PAGE_CACHE_FRESH_SECONDS": 0})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        with app.test_request_context("/"):
            world = build_world()
        sessions = {}
        for actor in ACTORS[1:]:
            client = app.test_client()
            answer = client.post("/auth/login", data={"username": world.usernames[actor], "password": PASSWORD})
            assert answer.status_code == 302, f"{actor} could not log in"
            with client.session_transaction() as session:
                sessions[actor] = {k: v for k, v in session.items() if k != "_flashes"}
        db.session.remove()
    return app, world, sessions, database_url, folder
