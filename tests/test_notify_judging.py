"""The judging workflow tells the people it concerns, by mail over a real SMTP server: a firm of its needs'
screening, bids and results, a team of its own bid only (never another team's, not even one of its own lead
organization), a judge of a number of reports (never a team), the organizers of what they must handle; each in
their own language, with an absolute link to the page to look at; results at their publication and not before."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.models import Assignment, Edition, MailMessage, ScoreSheet, User
from contest.services.judging import panels, stages
from contest.services.judging.rubrics import ensure_default_rubrics
from contest.services.notify import sweep

from .mail_server import inbox, smtp_session, text_of  # noqa: F401 (fixtures)
from .test_judges_assignment import assign, in_review, make_judge, organizer, sheet  # noqa: F401 (fixtures)
from .test_stages_results import AFTER_DEADLINE, CODE, World
from .test_standings import finals
from .test_team import MULTIPART, bid_form

SITE = "https://contest.example.cn"


def to(inbox, user) -> list:
    return inbox.to(user.email)


def only(inbox, user):
    """The one mail the user got."""
    mails = to(inbox, user)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    return mails[0]


def addressees(inbox) -> list[str]:
    return sorted(str(m["To"].addresses[0].addr_spec) for m in inbox.messages)


def emails(*users) -> list[str]:
    return sorted(u.email for u in users)


def subjects(inbox, user) -> set[str]:
    return {str(m["Subject"]) for m in to(inbox, user)}


def bodies(inbox, user) -> str:
    return "\n".join(text_of(m) for m in to(inbox, user))


# --- needs and bids ----------------------------------------------------------------------------------------

def test_screening_decisions_reach_every_account_of_the_firm_in_its_language_and_no_one_else(
        client, db, inbox, make_user, make_need, login):
    firm = make_user(Role.FIRM)
    colleague = make_user(Role.FIRM, org=firm.organization, language="en")
    other_firm = make_user(Role.FIRM)
    returned = make_need(status=NeedStatus.SUBMITTED, firm=firm, name="注塑件视觉检测")
    published = make_need(status=NeedStatus.SUBMITTED, firm=firm, name="电池极片缺陷检测")
    rejected = make_need(status=NeedStatus.SUBMITTED, firm=firm, name="与大赛无关的需求")
    make_need(status=NeedStatus.SUBMITTED, firm=other_firm, name="他人的需求")
    login(make_user(Role.ORGANIZER))

    r = client.post(f"/organizer/needs/{returned.id}/review", data={"decision": "return", "comment": "请补充检测节拍指标"})
    assert r.status_code == 302
    assert addressees(inbox) == emails(firm, colleague)
    mail = only(inbox, firm)
    assert mail["Subject"] == "您的需求“注塑件视觉检测”被退回修改"
    assert "请补充检测节拍指标" in text_of(mail) and f"{SITE}/firm/needs/{returned.id}" in text_of(mail)
    english = only(inbox, colleague)      # the lead's catalogue of the events' texts must be merged for this
    assert english["Subject"] == "Your need “注塑件视觉检测” was returned for changes"
    assert "Comment: 请补充检测节拍指标" in text_of(english) and f"{SITE}/firm/needs/{returned.id}" in text_of(english)

    inbox.clear()
    assert client.post(f"/organizer/needs/{published.id}/review", data={"decision": "approve"}).status_code == 302
    mail = only(inbox, firm)
    assert mail["Subject"] == "您的需求“电池极片缺陷检测”已发布"
    assert "2026-04-30 17:00" in text_of(mail)            # the bidding deadline, Beijing time
    assert addressees(inbox) == emails(firm, colleague)

    inbox.clear()
    r = client.post(f"/organizer/needs/{rejected.id}/review", data={"decision": "reject", "comment": "不属于技术需求"})
    assert r.status_code == 302
    assert only(inbox, firm)["Subject"] == "您的需求“与大赛无关的需求”未予发布"
    assert "不属于技术需求" in text_of(only(inbox, firm)) and addressees(inbox) == emails(firm, colleague)


def test_a_team_gets_a_receipt_for_its_bid_and_its_withdrawal_and_no_other_team_hears_of_it(
        client, db, inbox, make_user, make_team, make_need, login):
    team = make_team(name="甬江视觉团队")
    sibling = make_team(user=make_user(Role.TEAM, org=team.lead_org), name="同单位另一团队")
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm, name="注塑件视觉检测")
    login(team.owner)

    r = client.post(f"/team/needs/{need.id}/bid", data=bid_form(), content_type=MULTIPART)
    assert r.status_code == 302
    bid_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    mail = only(inbox, team.owner)
    assert mail["Subject"] == "您对“注塑件视觉检测”的挑战报告已提交"
    body = text_of(mail)
    assert "2026-03-10 10:00" in body and "2026-04-30 17:00" in body      # when, and the deadline: Beijing time
    assert f"{SITE}/team/bids/{bid_id}" in body
    assert addressees(inbox) == [team.owner.email]                         # not the firm, not the sibling team

    inbox.clear()
    assert client.post(f"/team/bids/{bid_id}/withdraw").status_code == 302
    assert only(inbox, team.owner)["Subject"] == "您对“注塑件视觉检测”的挑战报告已撤回"
    assert addressees(inbox) == [team.owner.email] and to(inbox, sibling.owner) == []


# --- the stages of judging ---------------------------------------------------------------------------------

@pytest.fixture
def world(db, edition, make_user, make_need, make_team, make_bid):
    """test_stages_results' edition at the close of bidding, with a team of 甲's lead organization that only
    drafted, a need of firm B still waiting for screening, and team 乙 reading English."""
    w = World(db, edition, make_user, make_need, make_team, make_bid)
    w.sibling = make_team(user=make_user(Role.TEAM, org=w.teams[0].lead_org), name="甲单位另一团队")
    make_bid(need=w.need_b, team=w.sibling, status=BidStatus.DRAFT)
    w.waiting = make_need(status=NeedStatus.SUBMITTED, firm=w.firm_b, name="仍待甄别的需求")
    w.teams[1].owner.language = "en"
    db.session.commit()
    return w


def team_names(w) -> list[str]:
    return [t.name for t in (*w.teams, w.sibling)]


def to_final(db, w, clock) -> None:
    """Open the review, score online, confirm the finalists (the services, as the jobs run them)."""
    clock(AFTER_DEADLINE)
    stages.open_online_review(w.edition, w.organizer, AFTER_DEADLINE)
    db.session.commit()
    w.online_sheets()
    stages.confirm_finalists(w.edition, w.organizer, AFTER_DEADLINE)
    db.session.commit()


def test_opening_the_review_tells_each_firm_of_its_needs_and_each_team_of_its_own_bids(
        client, db, inbox, world, login, clock):
    w = world
    login(w.organizer)
    clock(AFTER_DEADLINE)
    assert client.post(f"/organizer/editions/{CODE}/judging/open-review").status_code == 302

    for firm_user in (w.firm_a, w.rep_a):
        assert subjects(inbox, firm_user) == {"您的需求“注塑件在线视觉检测”进入在线初评", "您的需求“低分需求”进入在线初评",
                                              "您的需求“无人揭榜需求”已流榜"}
        body = bodies(inbox, firm_user)
        assert "的 4 份挑战报告进入评审" in body and "的 1 份挑战报告进入评审" in body   # need A: 4 submitted, 1 draft
        assert "已流榜：揭榜截止时无人揭榜" in body and "2026-05-20" in body
        assert f"{SITE}/firm/needs/{w.need_a.id}" in body
        assert not any(name in body for name in team_names(w))              # a count, never a team
    assert subjects(inbox, w.firm_b) == {"您的需求“匿名企业需求”进入在线初评", "您的需求“仍待甄别的需求”未予发布"}
    assert "本届不再发布" in bodies(inbox, w.firm_b)

    # Each team hears of each of its own submitted bids (乙 and 丁 have two): 甲's bid once.
    team_a = only(inbox, w.teams[0].owner)
    assert team_a["Subject"] == "您对“注塑件在线视觉检测”的挑战报告进入在线初评"
    assert f"{SITE}/team/bids/{w.a1.id}" in text_of(team_a) and "匿名评审" in text_of(team_a)
    assert len(to(inbox, w.teams[3].owner)) == 2 and len(to(inbox, w.teams[1].owner)) == 2
    assert "Your bid for “低分需求” is in online review" in subjects(inbox, w.teams[1].owner)   # in English
    # Nobody else: not the team that only drafted, not the other team of 甲's lead organization, no judge.
    assert addressees(inbox) == emails(w.firm_a, w.rep_a, w.firm_a, w.rep_a, w.firm_a, w.rep_a, w.firm_b, w.rep_b,
                                       w.firm_b, w.rep_b, w.teams[0].owner, w.teams[1].owner, w.teams[1].owner,
                                       w.teams[2].owner, w.teams[3].owner, w.teams[3].owner)


def test_confirming_the_finalists_tells_each_team_of_its_bids_and_each_firm_how_many(
        client, db, inbox, world, login, clock):
    w = world
    clock(AFTER_DEADLINE)
    stages.open_online_review(w.edition, w.organizer, AFTER_DEADLINE)
    db.session.commit()
    w.online_sheets()
    inbox.clear()
    login(w.organizer)
    assert client.post(f"/organizer/editions/{CODE}/judging/finalists").status_code == 302

    finalist = only(inbox, w.teams[0].owner)
    assert finalist["Subject"] == "您对“注塑件在线视觉检测”的挑战报告入围现场评审"
    assert "2026-06-10" in text_of(finalist) and f"{SITE}/team/bids/{w.a1.id}" in text_of(finalist)
    assert only(inbox, w.teams[2].owner)["Subject"] == "您对“注塑件在线视觉检测”的挑战报告未入围现场评审"
    assert subjects(inbox, w.teams[3].owner) == {"您对“注塑件在线视觉检测”的挑战报告未入围现场评审",
                                                 "您对“匿名企业需求”的挑战报告入围现场评审"}
    assert subjects(inbox, w.teams[1].owner) == {"Your bid for “注塑件在线视觉检测” is a finalist",
                                                 "Your bid for “低分需求” is not a finalist"}
    for firm_user in (w.firm_a, w.rep_a):
        assert subjects(inbox, firm_user) == {"您的需求“注塑件在线视觉检测”有 2 个团队入围现场评审", "您的需求“低分需求”已流榜"}
        body = bodies(inbox, firm_user)
        assert "没有达到入围分数线" in body and f"{SITE}/firm/needs/{w.need_a.id}/ranking" in body
        assert not any(name in body for name in team_names(w))
    assert subjects(inbox, w.firm_b) == {"您的需求“匿名企业需求”有 1 个团队入围现场评审"}
    assert to(inbox, w.teams[4].owner) == to(inbox, w.sibling.owner) == to(inbox, w.organizer) == []
    assert not any(to(inbox, j) for j in w.judges)


def test_the_final_schedule_and_the_firms_decisions_are_told_and_no_result_before_publication(
        client, db, inbox, world, login, clock):
    w = world
    to_final(db, w, clock)
    inbox.clear()
    login(w.organizer)
    experts = w.judges[:3]
    r = client.post(f"/organizer/needs/{w.need_a.id}/panel", data={"judges": [j.id for j in experts],
                                                                     "firm_rep": w.rep_a.id})
    assert r.status_code == 302
    # The panel (its experts and the firm's representative), the firm, the two finalist teams.
    assert addressees(inbox) == emails(*experts, w.firm_a, w.rep_a, w.teams[0].owner, w.teams[1].owner)
    assert only(inbox, experts[0])["Subject"] == "“注塑件在线视觉检测”的现场评审安排"
    assert "2026-06-10" in text_of(only(inbox, experts[0]))
    assert f"{SITE}/judge/panels/{w.need_a.id}" in text_of(only(inbox, w.rep_a))
    assert f"{SITE}/firm/needs/{w.need_a.id}/ranking" in text_of(only(inbox, w.firm_a))
    assert f"{SITE}/team/bids/{w.a1.id}" in text_of(only(inbox, w.teams[0].owner))
    assert not any(name in text_of(m) for m in inbox.messages for name in team_names(w))

    w.onsite_sheets([(w.a1, 80), (w.a2, 92)], experts + [w.rep_a])      # 乙 first
    panels.set_panel(w.need_d, w.organizer, [w.judges[3].id], w.rep_b.id, AFTER_DEADLINE)
    w.onsite_sheets([(w.d1, 75)], [w.judges[3], w.rep_b])
    inbox.clear()
    login(w.firm_a)
    assert client.post(f"/firm/needs/{w.need_a.id}/confirm").status_code == 302
    assert addressees(inbox) == emails(w.organizer, w.teams[1].owner)    # the organizers and the winner only
    assert only(inbox, w.organizer)["Subject"] == "“注塑件在线视觉检测”的发榜企业已确认优胜团队"
    assert f"{SITE}/organizer/needs/{w.need_a.id}" in text_of(only(inbox, w.organizer))
    assert f"{SITE}/team/bids/{w.a2.id}" in text_of(only(inbox, w.teams[1].owner))

    inbox.clear()
    login(w.firm_b)
    assert client.post(f"/firm/needs/{w.need_d.id}/decline", data={"reason": "方案与产线条件不匹配"}).status_code == 302
    assert addressees(inbox) == emails(w.organizer, w.teams[3].owner)    # the organizers and the first-ranked team
    declined = only(inbox, w.teams[3].owner)
    assert declined["Subject"] == "“匿名企业需求”的发榜企业不予确认优胜团队" and "方案与产线条件不匹配" in text_of(declined)

    # Every need is decided: still, no result has been written for anyone before publication.
    results = sa.select(sa.func.count(MailMessage.id)).where(MailMessage.event.like("results.%"))
    assert db.session.scalar(results) == 0


def test_publishing_tells_each_team_only_its_own_result_and_each_firm_its_ranking(
        client, db, inbox, world, login, clock):
    w = world
    to_final(db, w, clock)
    panels.set_panel(w.need_a, w.organizer, [j.id for j in w.judges[:3]], w.rep_a.id, AFTER_DEADLINE)
    w.onsite_sheets([(w.a1, 80), (w.a2, 92)], w.judges[:3] + [w.rep_a])
    panels.confirm_winner(w.need_a, w.firm_a, AFTER_DEADLINE)
    panels.set_panel(w.need_d, w.organizer, [w.judges[3].id], w.rep_b.id, AFTER_DEADLINE)
    w.onsite_sheets([(w.d1, 75)], [w.judges[3], w.rep_b])
    panels.decline(w.need_d, w.firm_b, "方案与产线条件不匹配", AFTER_DEADLINE)
    db.session.commit()
    assert not [m for m in inbox.messages if "揭榜结果已公布" in str(m["Subject"])]
    inbox.clear()
    login(w.organizer)
    assert client.post(f"/organizer/editions/{CODE}/judging/publish").status_code == 302

    # 甲: second on site, 82.40 (0.3 × 88 + 0.7 × 80); nothing of 乙's 88.40 or of who came first.
    mail = only(inbox, w.teams[0].owner)
    assert mail["Subject"] == "“注塑件在线视觉检测”的揭榜结果已公布"
    body = text_of(mail)
    assert "现场赛第 2 名 · 最终得分 82.40" in body and f"{SITE}/team/bids/{w.a1.id}" in body
    assert "88.40" not in body and not any(name in body for name in team_names(w))
    # 乙 reads English: the winner of need A (88.40), and first online on the failed need B (52.33).
    body = bodies(inbox, w.teams[1].owner)
    assert "Winner (first place): on-site final rank 1 · final score 88.40" in body
    assert "Online review rank 1 · online review score 52.33" in body and "82.40" not in body
    assert "初评第 3 名 · 初评得分 70.00" in text_of(only(inbox, w.teams[2].owner))
    body = bodies(inbox, w.teams[3].owner)
    assert "有效评分表 2 份，不参与排名" in body and "现场赛第 1 名 · 最终得分 73.80" in body
    # Each firm: its needs' rankings (public now), with the teams' names.
    for firm_user in (w.firm_a, w.rep_a):
        body = bodies(inbox, firm_user)
        assert len(to(inbox, firm_user)) == 3                               # needs A, B (failed) and C (no bid)
        assert "第 1 名：揭榜团队乙，最终得分 88.40（优胜团队）" in body and "第 2 名：揭榜团队甲，最终得分 82.40" in body
        assert "无团队入围现场赛，该需求已流榜。" in body and f"{SITE}/firm/needs/{w.need_a.id}/ranking" in body
        assert "揭榜团队丁" not in body                                      # another firm's need
    assert "第 1 名：揭榜团队丁，最终得分 73.80" in text_of(only(inbox, w.firm_b))
    assert to(inbox, w.teams[4].owner) == to(inbox, w.sibling.owner) == to(inbox, w.organizer) == []
    assert not any(to(inbox, j) for j in w.judges)


def test_a_tie_ruling_tells_the_firm(client, db, inbox, edition, make_need, make_bid, make_user, login):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    need, (x, y), panel = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85])
    creator, rep = db.session.get(User, need.created_by_id), panel[-1]       # the firm's two accounts
    login(make_user(Role.ORGANIZER))
    r = client.post(f"/organizer/needs/{need.id}/tie-ruling",
                    data={f"tie-{need.id}-bid_id": y.id, f"tie-{need.id}-reason": "乙队样机已通过企业产线试运行"})
    assert r.status_code == 303
    assert addressees(inbox) == emails(creator, rep)                         # not the judges, not the teams
    mail = only(inbox, rep)
    assert mail["Subject"] == f"组织方已裁定“{need.name}”并列第一名的排序"
    assert f"{SITE}/firm/needs/{need.id}/ranking" in text_of(mail)


# --- judges ------------------------------------------------------------------------------------------------

def test_judges_hear_how_many_reports_they_have_and_by_when_never_which_team(
        client, db, inbox, login, organizer, in_review, make_judge):
    made = in_review(per_bid=2)                      # three bids, two judges each
    judges = [make_judge() for _ in range(3)]
    login(organizer)
    assert client.post(f"/organizer/editions/{CODE}/assign", data={"seed": "0"}).status_code == 302
    loads = dict(db.session.execute(sa.select(Assignment.judge_id, sa.func.count()).group_by(Assignment.judge_id))
                 .tuples().all())
    assert sum(loads.values()) == 6
    assert addressees(inbox) == emails(*(j for j in judges if loads.get(j.id)))
    names = [b.team.name for _, bids in made for b in bids] + [b.team.lead_org.name for _, bids in made for b in bids]
    for judge in judges:
        if not loads.get(judge.id):
            continue
        mail = only(inbox, judge)
        assert mail["Subject"] == f"您有 {loads[judge.id]} 份新的初评任务"
        body = text_of(mail)
        assert "2026-05-20" in body and f"{SITE}/judge/" in body
        assert not any(name in body for name in names)                       # blind: no team, no organization

    # One more judge, put on one bid by hand: told of one report, linked to it.
    extra = make_judge()
    (_, (bid, *_)), *_ = made
    inbox.clear()
    r = client.post(f"/organizer/editions/{CODE}/assignments/add", data={"bid_id": bid.id, "judge_id": extra.id})
    assert r.status_code == 302
    assert addressees(inbox) == [extra.email]
    mail = only(inbox, extra)
    assert mail["Subject"] == "您有 1 份新的初评任务" and f"{SITE}/judge/online/{bid.id}" in text_of(mail)
    assert bid.team.name not in text_of(mail)


def test_a_recusal_tells_the_substitute_and_the_organizers(client, db, inbox, login, organizer, in_review,
                                                           make_judge):
    (_, (b1, _)), _ = in_review(per_bid=1)
    quitter, substitute = make_judge(), make_judge()
    mine = assign(db, b1, quitter)
    login(quitter)
    r = client.post(f"/judge/assignments/{mine.id}/recuse", data={"reason": "本人曾指导该方案"})
    assert r.status_code == 302
    assert addressees(inbox) == emails(organizer, substitute)
    mail = only(inbox, substitute)
    assert mail["Subject"] == f"您有一份新的初评任务：挑战报告 #{b1.id}"
    assert f"{SITE}/judge/online/{b1.id}" in text_of(mail) and "2026-05-20" in text_of(mail)
    assert b1.team.name not in text_of(mail)
    told = text_of(only(inbox, organizer))
    assert "本人曾指导该方案" in told and substitute.display_name in told and quitter.display_name in told
    assert f"{SITE}/organizer/editions/{CODE}/assignments" in told


def test_reminders_and_reopened_sheets_reach_the_judge_and_a_disclosure_the_team(
        client, db, inbox, login, organizer, in_review, make_judge):
    (_, (b1, b2)), _ = in_review(per_bid=2)
    late, done = make_judge(), make_judge()
    for bid in (b1, b2):
        assign(db, bid, late)
        assign(db, bid, done)
        sheet(db, bid, done)
    login(organizer)
    assert client.post(f"/organizer/editions/{CODE}/progress/remind").status_code == 302
    assert addressees(inbox) == [late.email]
    mail = only(inbox, late)
    assert mail["Subject"] == "提醒：您还有 2 份评分表未提交" and "2026-05-20" in text_of(mail)

    inbox.clear()
    submitted = db.session.scalar(sa.select(ScoreSheet).where(ScoreSheet.bid_id == b1.id,
                                                              ScoreSheet.judge_id == done.id))
    r = client.post(f"/organizer/sheets/{submitted.id}/reopen", data={"reason": "第三项评分与评语不一致"})
    assert r.status_code == 302
    assert addressees(inbox) == [done.email]
    mail = only(inbox, done)
    assert mail["Subject"] == f"组织方重开了您对挑战报告 #{b1.id} 的评分表"
    assert "第三项评分与评语不一致" in text_of(mail) and f"{SITE}/judge/online/{b1.id}" in text_of(mail)
    assert b1.team.name not in text_of(mail)

    inbox.clear()
    assert client.post(f"/organizer/bids/{b2.id}/disclose", data={"reason": "报告封面印有团队名称"}).status_code == 302
    assert addressees(inbox) == [b2.team.owner.email]
    mail = only(inbox, b2.team.owner)
    assert "披露团队身份" in str(mail["Subject"]) and "报告封面印有团队名称" in text_of(mail)
    assert f"{SITE}/team/bids/{b2.id}" in text_of(mail)


# --- bidding closed ----------------------------------------------------------------------------------------

def test_when_bidding_closes_each_firm_hears_once_how_many_bids_its_need_received(
        db, inbox, edition, make_user, make_need, make_bid, make_team, clock):
    firm, quiet_firm, withdrawn_firm = make_user(Role.FIRM), make_user(Role.FIRM), make_user(Role.FIRM)
    need = make_need(firm=firm, name="注塑件视觉检测")
    teams = [make_team(name=f"揭榜团队{n}") for n in "甲乙丙丁"]
    make_bid(need=need, team=teams[0])
    make_bid(need=need, team=teams[1])
    make_bid(need=need, team=teams[2], status=BidStatus.DRAFT)
    make_bid(need=need, team=teams[3], status=BidStatus.WITHDRAWN)
    make_need(firm=quiet_firm, name="无人揭榜需求")
    make_need(firm=withdrawn_firm, name="已撤回需求", status=NeedStatus.WITHDRAWN)
    db.session.commit()

    sweep.sweep(now=clock.now)                          # bidding still open: nothing
    db.session.commit()
    assert inbox.messages == []

    clock(datetime(2026, 4, 30, 9, 5))                  # 17:05 Beijing, five minutes after the deadline
    sweep.sweep(now=clock.now)
    db.session.commit()
    assert addressees(inbox) == emails(firm, quiet_firm)
    mail = only(inbox, firm)
    assert mail["Subject"] == "您的需求“注塑件视觉检测”揭榜截止：收到 2 份挑战报告"
    assert f"{SITE}/firm/needs/{need.id}" in text_of(mail)
    assert not any(t.name in text_of(mail) or t.lead_org.name in text_of(mail) for t in teams)
    assert "收到 0 份挑战报告" in str(only(inbox, quiet_firm)["Subject"])

    inbox.clear()
    clock.shift(timedelta(minutes=1))
    sweep.sweep(now=clock.now)                          # the next minute's sweep: told once
    db.session.commit()
    assert inbox.messages == []


def test_bids_closed_long_ago_tell_no_one(db, inbox, edition, make_user, make_need, make_bid, clock):
    make_bid(need=make_need(firm=make_user(Role.FIRM)))
    db.session.commit()
    clock(datetime(2026, 5, 15, 2, 0))                  # two weeks after the deadline
    sweep.sweep(now=clock.now)
    db.session.commit()
    assert inbox.messages == []


# --- at scale ----------------------------------------------------------------------------------------------

RECIPIENT_READS = re.compile(r"\bFROM (user_account|team|mail_preference)\b")


def test_a_stage_change_finds_the_people_to_tell_in_the_same_statements_whatever_the_number_of_bids(
        db, edition, make_user, make_need, make_bid, count_queries):
    """Opening the review and publishing the results tell every firm and team of an edition: the accounts and
    their mail choices are read in a fixed number of statements, not one per need or per bid."""
    organizer = make_user(Role.ORGANIZER)
    later = Edition(code="CIC9-NB", name="第九届", year=2027, collection_start=edition.collection_start,
                    collection_end=edition.collection_end, bidding_deadline=edition.bidding_deadline,
                    review_start=edition.review_start, review_end=edition.review_end, final_date=edition.final_date,
                    results_date=edition.results_date)
    db.session.add(later)
    db.session.flush()
    for e, needs, bids_each in ((edition, 1, 1), (later, 4, 3)):
        for _ in range(needs):
            need = make_need(edition_id=e.id)
            for _ in range(bids_each):
                make_bid(need=need)
    db.session.commit()

    reads = {}
    for e in (edition, later):
        with count_queries() as statements:
            stages.open_online_review(e, organizer, AFTER_DEADLINE)
            db.session.flush()
        db.session.commit()                             # both measures start from an expired session
        reads[e.code] = [s for s in statements if RECIPIENT_READS.search(s)]
    told = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    assert told == (1 + 1) + (4 + 12)                   # each need's firm and each bid's team, once
    assert len(reads["CIC9-NB"]) == len(reads["CIC8-NB"]), "\n\n".join(reads["CIC9-NB"])
