"""Score sheets over HTTP: bad points, who may score when, drafts, locking, stale saves, reopening, rubrics."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from contest.domain.rubric import Round
from contest.domain.states import AssignmentStatus, BidStatus, EditionStage, NeedStatus, Role, SheetStatus
from contest.models import Assignment, AuditEvent, PanelMember, ScoreItem, ScoreSheet, SheetReopening
from contest.services.judging import scoring
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

from .conftest import csrf_token_from

FULL = ["25", "20.5", "16", "12", "8"]  # the online default rubric: maxima 30, 25, 20, 15, 10


@pytest.fixture
def online(db, edition, make_need, make_bid, make_user):
    """An edition in online review, a need in review with one submitted bid, and a judge assigned to it."""
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    need = make_need(status=NeedStatus.IN_REVIEW)
    bid = make_bid(need=need)
    judge = make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.flush()
    criteria = list(rubric_for(edition.id, Round.ONLINE).criteria)
    return SimpleNamespace(edition=edition, need=need, bid=bid, judge=judge, criteria=criteria,
                           url=f"/judge/online/{bid.id}")


def form_data(criteria, values, *, submit=False, version="", comment="", extra=None) -> dict:
    data = {f"points-{c.id}": v for c, v in zip(criteria, values)}
    data.update(extra or {})
    data["comment"] = comment
    data["version"] = version
    data["submit_sheet" if submit else "save_draft"] = "1"
    return data


def version_on(html: str) -> str:
    match = re.search(r'name="version" type="hidden" value="([^"]*)"', html)
    assert match, "no version field on the page"
    return match.group(1)


def sheets(db) -> list[ScoreSheet]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ScoreSheet)))


def points_of(sheet: ScoreSheet) -> list[str]:
    return [str(i.points) for i in sorted(sheet.items, key=lambda i: i.criterion.position)]


def actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- bad points ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    ("-1", "须在 0 至 30 之间"),
    ("30.5", "须在 0 至 30 之间"),
    ("很好", "不是数字"),
    ("12.55", "最多保留一位小数"),
])
def test_bad_points_are_refused_and_nothing_is_saved(client, login, db, online, bad, message):
    login(online.judge)
    response = client.post(online.url, data=form_data(online.criteria, [bad, "20", "15", "10", "8"], submit=True))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert sheets(db) == []
    assert db.session.scalar(sa.select(sa.func.count(ScoreItem.id))) == 0


def test_points_for_a_criterion_of_another_rubric_are_refused(client, login, db, online):
    onsite = rubric_for(online.edition.id, Round.ONSITE).criteria[0]
    login(online.judge)
    data = form_data(online.criteria, FULL, extra={f"points-{onsite.id}": "10"})
    response = client.post(online.url, data=data)
    assert response.status_code == 400
    assert "评分指标不属于本轮评分标准" in response.get_data(as_text=True)
    assert sheets(db) == []


def test_a_failed_save_keeps_the_existing_draft(client, login, db, online):
    login(online.judge)
    assert client.post(online.url, data=form_data(online.criteria, ["10"])).status_code == 302
    version = version_on(client.get(online.url).get_data(as_text=True))
    response = client.post(online.url, data=form_data(online.criteria, ["99", "1"], version=version))
    assert response.status_code == 400
    (sheet,) = sheets(db)
    assert points_of(sheet) == ["10.0"]


# --- who may score, and when -----------------------------------------------------------------------

def test_a_bid_not_assigned_to_the_judge_is_404(client, login, db, online, make_user):
    other = make_user(Role.JUDGE)
    login(other)
    assert client.get(online.url).status_code == 404
    assert client.get(online.url + "/file").status_code == 404
    assert client.post(online.url, data=form_data(online.criteria, FULL)).status_code == 404
    assert sheets(db) == []


def test_a_recused_assignment_is_404(client, login, db, online):
    assignment = db.session.scalar(sa.select(Assignment))
    assignment.status = AssignmentStatus.RECUSED
    login(online.judge)
    assert client.post(online.url, data=form_data(online.criteria, FULL)).status_code == 404
    assert sheets(db) == []


def test_a_conflicted_judge_is_refused_even_when_assigned_by_hand(client, login, db, online, make_user):
    conflicted = make_user(Role.JUDGE, org=online.bid.team.lead_org)
    db.session.add(Assignment(bid_id=online.bid.id, judge_id=conflicted.id))
    login(conflicted)
    response = client.post(online.url, data=form_data(online.criteria, FULL, submit=True))
    assert response.status_code == 404                       # as for a bid that is not its own: no conflict named
    assert "利益冲突" not in response.get_data(as_text=True)
    assert sheets(db) == []


@pytest.mark.parametrize("stage, message", [
    (EditionStage.OPEN, "本轮评审尚未开始或已结束"),
    (EditionStage.FINAL, "本轮评审尚未开始或已结束"),
    (EditionStage.RESULTS, "结果已公布，评分已结束"),
])
def test_scoring_outside_the_online_round_is_refused(client, login, db, online, stage, message):
    online.edition.stage = stage
    login(online.judge)
    page = client.get(online.url).get_data(as_text=True)
    assert message in page and 'name="submit_sheet"' not in page
    response = client.post(online.url, data=form_data(online.criteria, FULL, submit=True))
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert sheets(db) == []


# --- draft, submit, lock ---------------------------------------------------------------------------

def test_draft_then_submit_then_locked(client, login, db, online):
    login(online.judge)
    assert "未评" in client.get("/judge/").get_data(as_text=True)
    response = client.post(online.url, data=form_data(online.criteria, ["25", "", "16"], comment="思路清楚"))
    assert response.status_code == 302
    (sheet,) = sheets(db)
    assert sheet.status == SheetStatus.DRAFT and points_of(sheet) == ["25.0", "16.0"]
    page = client.get(online.url).get_data(as_text=True)
    assert 'value="25.0"' in page and "思路清楚" in page
    assert "草稿" in client.get("/judge/").get_data(as_text=True)

    version = version_on(page)
    incomplete = client.post(online.url, data=form_data(online.criteria, ["25", "", "16"], submit=True,
                                                         version=version))
    assert incomplete.status_code == 400 and "请为指标“方案可行性与技术路线”打分" in incomplete.get_data(as_text=True)
    assert sheets(db)[0].status == SheetStatus.DRAFT

    done = client.post(online.url, data=form_data(online.criteria, FULL, submit=True, version=version,
                                                   comment="思路清楚，报价合理"))
    assert done.status_code == 302
    (sheet,) = sheets(db)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert sheet.total == Decimal("81.5")
    assert actions(db)[-2:] == ["sheet.save", "sheet.submit"]
    submit_event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "sheet.submit"))
    assert json.loads(submit_event.detail)["points"]["技术创新性"] == "25.0"
    assert "已提交" in client.get("/judge/").get_data(as_text=True)

    page = client.get(online.url).get_data(as_text=True)
    assert 'name="submit_sheet"' not in page and "81.5" in page
    again = client.post(online.url, data=form_data(online.criteria, ["1"] * 5, submit=True,
                                                    version=str(sheet.version)))
    assert again.status_code == 409
    assert "评分表已提交并锁定" in again.get_data(as_text=True)
    assert points_of(sheets(db)[0]) == ["25.0", "20.5", "16.0", "12.0", "8.0"]


def test_a_comment_over_2000_characters_is_refused(client, login, db, online):
    login(online.judge)
    response = client.post(online.url, data=form_data(online.criteria, FULL, comment="长" * 2001))
    assert response.status_code == 400
    assert sheets(db) == []


# --- stale saves -----------------------------------------------------------------------------------

def test_two_tabs_on_a_new_sheet_the_second_save_is_refused(client, login, db, online):
    login(online.judge)
    first, second = (version_on(client.get(online.url).get_data(as_text=True)) for _ in range(2))
    assert client.post(online.url, data=form_data(online.criteria, ["25"], version=first)).status_code == 302
    response = client.post(online.url, data=form_data(online.criteria, ["5"], version=second))
    assert response.status_code == 409
    assert "该评分表已在其他页面保存过，请刷新页面后再修改" in response.get_data(as_text=True)
    assert points_of(sheets(db)[0]) == ["25.0"]


def test_two_tabs_on_a_draft_the_stale_save_is_refused(client, login, db, online):
    login(online.judge)
    client.post(online.url, data=form_data(online.criteria, ["10"]))
    tab1 = version_on(client.get(online.url).get_data(as_text=True))
    tab2 = version_on(client.get(online.url).get_data(as_text=True))
    assert tab1 == tab2 != ""
    # Only the points change and the clock is frozen: the version must move on all the same.
    assert client.post(online.url, data=form_data(online.criteria, ["10", "20"], version=tab1)).status_code == 302
    response = client.post(online.url, data=form_data(online.criteria, ["3", "3", "3", "3", "3"],
                                                        submit=True, version=tab2))
    assert response.status_code == 409
    assert "该评分表已在其他页面保存过" in response.get_data(as_text=True)
    (sheet,) = sheets(db)
    assert sheet.status == SheetStatus.DRAFT and points_of(sheet) == ["10.0", "20.0"]


def test_a_race_caught_by_the_version_counter_is_a_stale_sheet(app, db, online, clock):
    scoring.save_sheet(judge=online.judge, bid=online.bid, round_=Round.ONLINE, points={online.criteria[0].id: "9"},
                       comment="", version=None, submit=False, now=clock.now)
    db.session.commit()
    sheet = db.session.scalar(sa.select(ScoreSheet))
    loaded_version = sheet.version
    # Another request saves in between: the row's version moves on behind this session's back.
    db.session.execute(sa.update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(version=loaded_version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(scoring.StaleSheet):
        scoring.save_sheet(judge=online.judge, bid=online.bid, round_=Round.ONLINE,
                           points={online.criteria[0].id: "1"}, comment="", version=loaded_version,
                           submit=False, now=clock.now)
    db.session.rollback()
    assert points_of(sheets(db)[0]) == ["9.0"]


# --- reopening -------------------------------------------------------------------------------------

def test_reopen_keeps_history_and_the_judge_can_resubmit(client, login, db, online, make_user):
    organizer = make_user(Role.ORGANIZER)
    login(online.judge)
    client.post(online.url, data=form_data(online.criteria, FULL, submit=True, comment="初次评语"))
    sheet = sheets(db)[0]

    login(organizer)
    refused = client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": ""})
    assert refused.status_code == 400 and sheets(db)[0].status == SheetStatus.SUBMITTED
    response = client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": "第二项分数录入有误"})
    assert response.status_code == 302
    sheet = sheets(db)[0]
    assert sheet.status == SheetStatus.DRAFT and sheet.submitted_at is None
    (reopening,) = db.session.scalars(sa.select(SheetReopening))
    old = json.loads(reopening.snapshot)
    assert old["points"]["方案可行性与技术路线"] == "20.5" and old["total"] == "81.5"
    assert old["comment"] == "初次评语" and reopening.reopened_by_id == organizer.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "sheet.reopen"))
    assert json.loads(event.detail)["old"]["points"]["技术创新性"] == "25.0"

    login(online.judge)
    page = client.get(online.url).get_data(as_text=True)
    assert 'name="submit_sheet"' in page
    fixed = ["25", "15", "16", "12", "8"]
    resubmit = client.post(online.url, data=form_data(online.criteria, fixed, submit=True,
                                                       version=version_on(page), comment="已更正"))
    assert resubmit.status_code == 302
    sheet = sheets(db)[0]
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total == Decimal("76.0")

    login(organizer)
    history = client.get(f"/organizer/bids/{online.bid.id}/sheets").get_data(as_text=True)
    assert "第二项分数录入有误" in history and "81.5" in history and "76.0" in history
    assert online.judge.display_name in history


def test_reopen_is_refused_for_a_draft_and_after_results(client, login, db, online, make_user):
    organizer = make_user(Role.ORGANIZER)
    login(online.judge)
    client.post(online.url, data=form_data(online.criteria, ["1"]))
    sheet = sheets(db)[0]
    login(organizer)
    draft = client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": "核对"})
    assert draft.status_code == 409
    sheet.status = SheetStatus.SUBMITTED
    online.edition.stage = EditionStage.FINAL
    db.session.commit()
    over = client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": "核对"})
    assert over.status_code == 403 and "本轮评审已结束" in over.get_data(as_text=True)
    online.edition.stage = EditionStage.RESULTS
    db.session.commit()
    late = client.post(f"/organizer/sheets/{sheet.id}/reopen", data={"reason": "核对"})
    assert late.status_code == 403 and "结果已公布" in late.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SheetReopening.id))) == 0


def test_only_organizers_reopen(client, login, db, online):
    login(online.judge)
    client.post(online.url, data=form_data(online.criteria, FULL, submit=True))
    assert client.post(f"/organizer/sheets/{sheets(db)[0].id}/reopen", data={"reason": "x"}).status_code == 403
    assert sheets(db)[0].status == SheetStatus.SUBMITTED


# --- rubrics ---------------------------------------------------------------------------------------

def rubric_rows(rows) -> dict:
    data = {}
    for i, (name, points) in enumerate(rows):
        data[f"rows-{i}-name"], data[f"rows-{i}-max_points"], data[f"rows-{i}-description"] = name, points, ""
    return data


def criteria_now(db, edition, round_=Round.ONLINE) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(c.name, f"{c.max_points:f}") for c in rubric_for(edition.id, round_).criteria]


def test_organizer_edits_a_rubric_before_scoring(client, login, db, online, make_user):
    login(make_user(Role.ORGANIZER))
    url = f"/organizer/editions/{online.edition.code}/rubrics/online"
    page = client.get(url).get_data(as_text=True)
    assert "技术创新性" in page and page.count('name="rows-') >= 8 * 3
    response = client.post(url, data=rubric_rows([("创新性", "50"), ("可行性", "30.5"), ("", ""), ("报价", "19.5")]))
    assert response.status_code == 302
    assert criteria_now(db, online.edition) == [("创新性", "50.0"), ("可行性", "30.5"), ("报价", "19.5")]
    assert "rubric.update" in actions(db)


def test_a_rubric_that_does_not_sum_to_100_is_refused(client, login, db, online, make_user):
    login(make_user(Role.ORGANIZER))
    before = criteria_now(db, online.edition)
    response = client.post(f"/organizer/editions/{online.edition.code}/rubrics/online",
                           data=rubric_rows([("创新性", "50"), ("可行性", "30")]))
    assert response.status_code == 400
    assert "各项指标满分之和须为 100 分，现为 80 分" in response.get_data(as_text=True)
    assert criteria_now(db, online.edition) == before


def test_a_rubric_is_locked_once_a_sheet_of_its_round_is_submitted(client, login, db, online, make_user):
    login(online.judge)
    client.post(online.url, data=form_data(online.criteria, FULL, submit=True))
    login(make_user(Role.ORGANIZER))
    before = criteria_now(db, online.edition)
    url = f"/organizer/editions/{online.edition.code}/rubrics/online"
    assert "评分标准已锁定" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=rubric_rows([("创新性", "60"), ("可行性", "40")]))
    assert response.status_code == 409
    assert "本轮已有提交的评分表" in response.get_data(as_text=True)
    assert criteria_now(db, online.edition) == before
    # The other round is still open for edits.
    onsite = client.post(f"/organizer/editions/{online.edition.code}/rubrics/onsite",
                         data=rubric_rows([("现场表现", "100")]))
    assert onsite.status_code == 302
    assert criteria_now(db, online.edition, Round.ONSITE) == [("现场表现", "100.0")]


def test_an_unknown_round_is_404(client, login, online, make_user):
    login(make_user(Role.ORGANIZER))
    assert client.get(f"/organizer/editions/{online.edition.code}/rubrics/semifinal").status_code == 404


# --- on-site panel ---------------------------------------------------------------------------------

@pytest.fixture
def final(db, edition, make_need, make_bid, make_user, make_team):
    """An edition in the final; a need in the final with two finalists; its firm's representative on the panel."""
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    firm_user = make_user(Role.FIRM)
    need = make_need(status=NeedStatus.FINAL, firm=firm_user)
    first = make_bid(need=need, team=make_team(name="甬江视觉团队"), status=BidStatus.FINALIST)
    second = make_bid(need=need, status=BidStatus.FINALIST)
    db.session.add(PanelMember(need_id=need.id, user_id=firm_user.id, firm_representative=True))
    db.session.flush()
    criteria = list(rubric_for(edition.id, Round.ONSITE).criteria)
    return SimpleNamespace(edition=edition, need=need, bids=[first, second], firm_user=firm_user,
                           criteria=criteria, url=f"/judge/panels/{need.id}")


def test_the_firm_representative_scores_its_own_need_on_site(client, login, db, final):
    login(final.firm_user)
    page = client.get(final.url).get_data(as_text=True)
    assert "甬江视觉团队" in page and "form-control-lg" in page
    bid = final.bids[0]
    response = client.post(f"{final.url}/{bid.id}", data=form_data(final.criteria, ["28", "20", "18", "9", "14"],
                                                                     submit=True))
    assert response.status_code == 302 and response.headers["Location"].endswith("finalist=2")
    (sheet,) = sheets(db)
    assert sheet.round == Round.ONSITE and sheet.judge_id == final.firm_user.id and sheet.total == Decimal("89.0")
    second = client.get(final.url + "?finalist=2").get_data(as_text=True)
    assert "第 2 / 2 个入围团队" in second and "上一个" in second
    locked = client.post(f"{final.url}/{bid.id}", data=form_data(final.criteria, ["1"] * 5, submit=True,
                                                                 version=str(sheet.version)))
    assert locked.status_code == 409 and "评分表已提交并锁定" in locked.get_data(as_text=True)
    assert sheets(db)[0].total == Decimal("89.0")


def test_a_firm_user_of_another_firm_is_404_on_the_panel(client, login, db, final, make_user):
    login(make_user(Role.FIRM))
    assert client.get(final.url).status_code == 404
    bid = final.bids[0]
    assert client.post(f"{final.url}/{bid.id}", data=form_data(final.criteria, ["1"] * 5)).status_code == 404
    assert sheets(db) == []


def test_a_conflicted_expert_on_the_panel_is_refused(client, login, db, final, make_user):
    expert = make_user(Role.JUDGE, org=final.bids[0].team.lead_org)
    db.session.add(PanelMember(need_id=final.need.id, user_id=expert.id))
    login(expert)
    response = client.post(f"{final.url}/{final.bids[0].id}", data=form_data(final.criteria, ["1"] * 5))
    assert response.status_code == 403
    assert sheets(db) == []
    # The same expert may score the other finalist, with which there is no conflict.
    ok = client.post(f"{final.url}/{final.bids[1].id}", data=form_data(final.criteria, ["1"] * 5))
    assert ok.status_code == 302


def test_online_criteria_are_refused_on_an_onsite_sheet(client, login, db, final):
    login(final.firm_user)
    online_criterion = rubric_for(final.edition.id, Round.ONLINE).criteria[0]
    data = form_data(final.criteria, ["1"] * 5, extra={f"points-{online_criterion.id}": "1"})
    response = client.post(f"{final.url}/{final.bids[0].id}", data=data)
    assert response.status_code == 400
    assert "评分指标不属于本轮评分标准" in response.get_data(as_text=True)
    assert sheets(db) == []


def test_a_firm_user_cannot_reach_the_online_pages(client, login, final):
    login(final.firm_user)
    assert client.get("/judge/").status_code == 403


def test_a_sheet_post_needs_the_csrf_token(app, client, login, db, online):
    login(online.judge)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(online.url, data=form_data(online.criteria, FULL)).status_code == 400
    assert sheets(db) == []
    page = client.get(online.url).get_data(as_text=True)
    data = form_data(online.criteria, FULL, extra={"csrf_token": csrf_token_from(page)})
    assert client.post(online.url, data=data).status_code == 302
    assert len(sheets(db)) == 1
