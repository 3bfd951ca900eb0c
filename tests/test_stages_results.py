"""From a closed bidding window to published results, through HTTP: the organizer's stage changes, the
on-site panel, the firm's confirmation or refusal, the public results and what a team sees of its own."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, FirmDecision, NeedStatus, Role
from contest.models import Assignment, AuditEvent, FirmConfirmation, MailMessage, Notice, PanelMember
from contest.services.judging.rubrics import ensure_default_rubrics

from .test_standings import add_sheet, finals

AFTER_DEADLINE = datetime(2026, 5, 6, 1, 0)   # 09:00 Beijing on 6 May 2026
CODE = "CIC8-NB"


class World:
    """An edition at the close of bidding: two firms, four needs, teams, judges and an organizer."""

    def __init__(self, db, edition, make_user, make_need, make_team, make_bid):
        ensure_default_rubrics(edition)
        edition.finalists_per_need = 2
        self.db, self.edition = db, edition
        self.organizer = make_user(Role.ORGANIZER)
        self.firm_a, self.firm_b = make_user(Role.FIRM), make_user(Role.FIRM)
        self.rep_a = make_user(Role.FIRM, org=self.firm_a.organization)
        self.rep_b = make_user(Role.FIRM, org=self.firm_b.organization)
        self.judges = [make_user(Role.JUDGE) for _ in range(5)]
        for i, judge in enumerate(self.judges):
            judge.display_name = f"评审专家姓名{i}"
        self.teams = [make_team(name=f"揭榜团队{n}") for n in ("甲", "乙", "丙", "丁", "戊")]
        # A judge who works at team 甲's lead organization: conflicted with its bid.
        self.conflicted = make_user(Role.JUDGE, org=self.teams[0].lead_org)
        self.conflicted.display_name = "回避专家"
        self.need_a = make_need(firm=self.firm_a, name="注塑件在线视觉检测")
        self.need_b = make_need(firm=self.firm_a, name="低分需求")
        self.need_c = make_need(firm=self.firm_a, name="无人揭榜需求")
        self.need_d = make_need(firm=self.firm_b, name="匿名企业需求", anonymous=True)
        t = self.teams
        self.a1 = make_bid(need=self.need_a, team=t[0])
        self.a2 = make_bid(need=self.need_a, team=t[1])
        self.a3 = make_bid(need=self.need_a, team=t[2])
        self.a_short = make_bid(need=self.need_a, team=t[3])          # too few sheets: never ranked
        self.a_draft = make_bid(need=self.need_a, team=t[4], status=BidStatus.DRAFT)
        self.b1 = make_bid(need=self.need_b, team=t[1])
        self.c_draft = make_bid(need=self.need_c, team=t[2], status=BidStatus.DRAFT)
        self.d1 = make_bid(need=self.need_d, team=t[3])
        db.session.commit()

    def online_sheets(self):
        """Assignments and submitted online sheets, written directly on the models."""
        plan = {self.a1: [88, 90, 86], self.a2: [80, 78, 82], self.a3: [70, 72, 68], self.a_short: [99, 98],
                self.b1: [50, 55, 52], self.d1: [70, 71, 72]}
        for bid, totals in plan.items():
            for judge, total in zip(self.judges, totals):
                self.db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
                add_sheet(self.db, bid, judge, total)
        self.db.session.commit()

    def onsite_sheets(self, bids_totals, members):
        for bid, total in bids_totals:
            for member in members:
                add_sheet(self.db, bid, member, total, round_=Round.ONSITE)
        self.db.session.commit()


@pytest.fixture
def world(db, edition, make_user, make_need, make_team, make_bid):
    return World(db, edition, make_user, make_need, make_team, make_bid)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_opening_review_before_the_bidding_deadline_is_refused(client, db, world, login):
    login(world.organizer)
    r = client.post(f"/organizer/editions/{CODE}/judging/open-review")
    assert r.status_code == 403
    assert "尚未到，不能开启初评" in text(r)
    db.session.refresh(world.edition)
    db.session.refresh(world.need_a)
    assert world.edition.stage == EditionStage.OPEN and world.need_a.status == NeedStatus.PUBLISHED


def test_stage_pages_are_for_organizers_only(client, world, login):
    login(world.firm_a)
    assert client.get(f"/organizer/editions/{CODE}/judging").status_code == 403
    assert client.post(f"/organizer/editions/{CODE}/judging/open-review").status_code == 403
    login(world.teams[0].owner)
    assert client.get(f"/firm/needs/{world.need_a.id}/ranking").status_code == 403


def test_from_closed_bidding_to_published_results(app, client, db, world, login, clock):
    w = world
    login(w.organizer)
    page = text(client.get(f"/organizer/editions/{CODE}/judging"))
    assert "开启初评" in page and "入围分数线" in page and "尚未截止" in page
    assert "结果尚未公布" in text(client.get(f"/results/{CODE}"))

    # 1. The deadline has passed: open the online review.
    clock(AFTER_DEADLINE)
    r = client.post(f"/organizer/editions/{CODE}/judging/open-review")
    assert r.status_code == 302
    for need in (w.need_a, w.need_b, w.need_c, w.need_d):
        db.session.refresh(need)
    assert [n.status for n in (w.need_a, w.need_b, w.need_c, w.need_d)] == [
        NeedStatus.IN_REVIEW, NeedStatus.IN_REVIEW, NeedStatus.FAILED, NeedStatus.IN_REVIEW]
    db.session.refresh(w.a_draft)
    assert w.a_draft.status == BidStatus.DRAFT                      # drafts are never judged
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "edition.open_review"))
    r = client.post(f"/organizer/editions/{CODE}/judging/open-review")
    assert r.status_code == 409 and "不能开启初评" in text(r)

    # 2. Judges score online (rows written directly); the standings explain who is not ranked.
    w.online_sheets()
    page = text(client.get(f"/organizer/editions/{CODE}/standings"))
    assert "有效评分表 2 份，少于 3 份，不参与排名" in page and "揭榜团队甲" in page and "88.00" in page

    # 3. Finalists: top 2 reaching 60 per need; none qualifying fails the need.
    r = client.post(f"/organizer/editions/{CODE}/judging/finalists")
    assert r.status_code == 302
    for obj in (w.need_a, w.need_b, w.need_d, w.a1, w.a2, w.a3, w.a_short, w.b1, w.d1, w.edition):
        db.session.refresh(obj)
    assert w.edition.stage == EditionStage.FINAL
    assert (w.a1.status, w.a2.status, w.a3.status) == (BidStatus.FINALIST, BidStatus.FINALIST, BidStatus.NOT_SELECTED)
    assert w.a_short.status == BidStatus.NOT_SELECTED                # 99 points, but only two sheets
    assert (w.need_a.status, w.need_b.status, w.b1.status) == (NeedStatus.FINAL, NeedStatus.FAILED,
                                                               BidStatus.NOT_SELECTED)
    assert (w.need_d.status, w.d1.status) == (NeedStatus.FINAL, BidStatus.FINALIST)
    told = db.session.scalars(sa.select(Notice.text).where(Notice.user_id == w.firm_a.id)).all()
    assert any("低分需求" in t and "流榜" in t for t in told)      # the firm of the failed need
    mailed = db.session.scalars(sa.select(MailMessage.body_text).where(MailMessage.user_id == w.firm_a.id)).all()
    assert any("低分需求" in t and "没有达到入围分数线" in t for t in mailed)

    # 4. The on-site panel: a conflicted judge is refused, then experts plus the firm's representative.
    panel_url = f"/organizer/needs/{w.need_a.id}/panel"
    assert "须回避" in text(client.get(panel_url))
    r = client.post(panel_url, data={"judges": [w.judges[0].id, w.conflicted.id], "firm_rep": w.rep_a.id})
    assert r.status_code == 409 and "回避专家" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PanelMember)) == 0
    r = client.post(panel_url, data={"judges": [w.judges[0].id], "firm_rep": w.rep_b.id})
    assert r.status_code == 400 and "企业代表须为该需求发榜企业的账号" in text(r)
    experts = w.judges[:3]
    r = client.post(panel_url, data={"judges": [j.id for j in experts], "firm_rep": w.rep_a.id})
    assert r.status_code == 302
    members = db.session.scalars(sa.select(PanelMember).where(PanelMember.need_id == w.need_a.id)).all()
    assert {(m.user_id, m.firm_representative) for m in members} == {
        *((j.id, False) for j in experts), (w.rep_a.id, True)}
    r = client.post(f"/organizer/needs/{w.need_d.id}/panel", data={"judges": [w.judges[3].id], "firm_rep": w.rep_b.id})
    assert r.status_code == 302

    # Publishing now is refused: two needs are still waiting for their firm.
    r = client.post(f"/organizer/editions/{CODE}/judging/publish")
    assert r.status_code == 409 and "还有 2 个需求尚未确定结果" in text(r)
    assert 'data-undecided="2"' in text(r)

    # 5. The firm sees its ranking but cannot confirm before the panel is complete.
    login(w.firm_a)
    page = text(client.get(f"/firm/needs/{w.need_a.id}/ranking"))
    assert "揭榜团队甲" in page and "揭榜团队乙" in page and "揭榜团队丙" not in page   # finalists only
    # Its representative scores on site: no online score (甲 88, 乙 80) before the panel is complete.
    assert "data-undisclosed" in page and "88.00" not in page and "80.00" not in page
    r = client.post(f"/firm/needs/{w.need_a.id}/confirm")
    assert r.status_code == 409 and "现场评审尚未全部完成，不能确认" in text(r)
    db.session.refresh(w.need_a)
    assert w.need_a.status == NeedStatus.FINAL
    # Another firm's need does not exist for this firm.
    assert client.get(f"/firm/needs/{w.need_d.id}/ranking").status_code == 404
    assert client.post(f"/firm/needs/{w.need_d.id}/confirm").status_code == 404
    assert client.post(f"/firm/needs/{w.need_d.id}/decline", data={"reason": "不合适"}).status_code == 404

    # 6. On-site sheets: every panel member scores both finalists.
    panel = experts + [w.rep_a]
    w.onsite_sheets([(w.a1, 80), (w.a2, 92)], panel)
    page = text(client.get(f"/firm/needs/{w.need_a.id}/ranking"))
    assert "专家A" in page and "专家C" in page and "企业代表" in page
    assert not any(j.display_name in page for j in w.judges)             # judges by code, never by name
    # Final: 甲 0.3×88 + 0.7×80 = 82.40; 乙 0.3×80 + 0.7×92 = 88.40 → 乙 first.
    assert "82.40" in page and "88.40" in page
    r = client.post(f"/firm/needs/{w.need_a.id}/confirm")
    assert r.status_code == 302
    for obj in (w.need_a, w.a1, w.a2):
        db.session.refresh(obj)
    assert (w.need_a.status, w.a2.status, w.a1.status) == (NeedStatus.AWARDED, BidStatus.WINNER,
                                                           BidStatus.NOT_SELECTED)
    decision = db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == w.need_a.id))
    assert (decision.decision, decision.bid_id, decision.decided_by_id) == (FirmDecision.CONFIRM, w.a2.id, w.firm_a.id)
    page = text(client.get(f"/firm/needs/{w.need_a.id}/ranking"))
    assert "已确认 揭榜团队乙 为挑战第一名" in page and "确认第一名为优胜</button>" not in page

    # 7. The other firm declines, a reason is required.
    login(w.firm_b)
    r = client.post(f"/firm/needs/{w.need_d.id}/decline", data={"reason": "  "})
    assert r.status_code == 400
    db.session.refresh(w.need_d)
    assert w.need_d.status == NeedStatus.FINAL
    r = client.post(f"/firm/needs/{w.need_d.id}/decline", data={"reason": "方案与产线条件不匹配"})
    assert r.status_code == 302
    for obj in (w.need_d, w.d1):
        db.session.refresh(obj)
    assert (w.need_d.status, w.d1.status) == (NeedStatus.FAILED, BidStatus.NOT_SELECTED)
    decision = db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == w.need_d.id))
    assert decision.decision == FirmDecision.DECLINE and decision.reason == "方案与产线条件不匹配"

    # Nothing is public before publication: not the results page, not the need's state, not the teams' own.
    page = text(client.get(f"/results/{CODE}"))
    assert "结果尚未公布" in page and "揭榜团队乙" not in page
    client.post("/auth/logout")
    for url in (f"/needs/{w.need_a.id}", f"/needs/{w.need_d.id}", "/needs", "/"):
        page = text(client.get(url))
        assert 'data-status="awarded"' not in page and 'data-status="failed"' not in page, url
    assert 'data-status="results_pending"' in text(client.get(f"/needs/{w.need_a.id}"))
    for team, bid in ((w.teams[0], w.a1), (w.teams[1], w.a2)):
        login(team.owner)
        for url in ("/team/", f"/team/bids/{bid.id}"):
            page = text(client.get(url))
            assert "挑战第一名" not in page and "未入选" not in page and "已揭榜" not in page, url
            assert 'data-status="results_pending"' in page, url

    # 8. Publish: the public sees winners, failed needs and the objection deadline.
    login(w.organizer)
    r = client.post(f"/organizer/editions/{CODE}/judging/publish")
    assert r.status_code == 302
    db.session.refresh(w.edition)
    assert w.edition.stage == EditionStage.RESULTS and w.edition.results_published_at == AFTER_DEADLINE
    page = text(client.get(f"/organizer/editions/{CODE}/judging"))
    assert "异议截止日期" in page and "2026-05-11" in page and "<button" not in page.split('id="next-step"')[1]
    page = "".join(text(client.get(f"/organizer/editions/{CODE}/standings?need={need.id}"))   # one need a page
                   for need in (w.need_a, w.need_d))
    assert "企业不予确认" in page and "方案与产线条件不匹配" in page and "企业已确认挑战第一名" in page
    client.post("/auth/logout")
    page = text(client.get(f"/results/{CODE}"))
    assert "揭榜团队乙" in page and w.teams[1].lead_org.name in page
    assert "揭榜团队甲" not in page
    assert page.count("data-failed") == 3                             # 低分需求, 无人揭榜需求, 匿名企业需求
    assert "2026-05-11" in page                                        # 6 May (Beijing) + 5 days
    assert "匿名企业需求" in page and w.firm_b.organization.name not in page
    assert w.firm_a.organization.name in page
    assert CODE in text(client.get("/results"))

    # 9. Teams see their own rank and score, nothing of the others'.
    login(w.teams[0].owner)
    page = text(client.get("/team/"))
    assert "现场赛第 2 名" in page and "82.40" in page and "88.40" not in page and "揭榜团队乙" not in page
    page = text(client.get(f"/team/bids/{w.a1.id}"))
    assert "现场赛第 2 名" in page and "82.40" in page and "88.40" not in page
    login(w.teams[1].owner)
    page = text(client.get(f"/team/bids/{w.a2.id}"))
    assert "现场赛第 1 名" in page and "88.40" in page and "82.40" not in page
    assert 'data-status="winner"' in page                              # published: the decision shows
    assert client.get(f"/team/bids/{w.a1.id}").status_code == 404


def test_a_first_place_tie_is_flagged_and_cannot_be_confirmed(client, db, edition, make_need, make_bid, make_user,
                                                              login):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    need, (x, y), panel = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85])
    organizer = make_user(Role.ORGANIZER)
    login(organizer)
    page = text(client.get(f"/organizer/editions/{CODE}/standings"))
    assert "并列未能区分，请组织方裁定" in page and "data-unresolved" in page
    login(panel[-1])                                   # the firm's representative is a user of the firm
    r = client.post(f"/firm/needs/{need.id}/confirm")
    assert r.status_code == 409 and "并列" in text(r)
    db.session.refresh(need)
    assert need.status == NeedStatus.FINAL
    assert db.session.scalar(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == need.id)) is None


def test_panel_cannot_change_once_onsite_scoring_started(client, db, edition, make_need, make_bid, make_user, login):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    need, _, panel = finals(db, make_need, make_bid, judges, make_user, [80], [85])
    login(make_user(Role.ORGANIZER))
    r = client.post(f"/organizer/needs/{need.id}/panel", data={"judges": [judges[0].id], "firm_rep": panel[-1].id})
    assert r.status_code == 409 and "现场评审组不能再更改" in text(r)
    assert {m.user_id for m in db.session.scalars(sa.select(PanelMember).where(PanelMember.need_id == need.id))} \
        == {m.id for m in panel}
