"""Judges' profiles, recusal, the online assignment (automatic and by hand), progress and reminders."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from contest.domain.choices import NeedField
from contest.domain.rubric import Round
from contest.domain.states import AssignmentStatus, EditionStage, NeedStatus, Role, SheetStatus
from contest.models import (
    Assignment, AuditEvent, DeclaredConflict, JudgeExpertise, MailMessage, Notice, ScoreSheet, User,
)
from contest.services.judging.conflicts import judge_conflicted
from contest.services.judging.judges import declared_org_ids, update_profile
from tests.conftest import csrf_token_from

ASSIGNED, RECUSED = AssignmentStatus.ASSIGNED, AssignmentStatus.RECUSED


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, username="organizer1")


@pytest.fixture
def make_judge(db, make_user):
    """make_judge(org=..., fields=[NeedField...], declared=[Organization...]) -> an active judge."""
    def make(org=None, fields=(), declared=(), **kw) -> User:
        judge = make_user(Role.JUDGE, org=org, **kw)
        db.session.add_all([JudgeExpertise(judge_id=judge.id, field=f) for f in fields])
        db.session.add_all([DeclaredConflict(judge_id=judge.id, org_id=o.id) for o in declared])
        db.session.flush()
        return judge
    return make


@pytest.fixture
def in_review(db, edition, make_need, make_bid):
    """Put the edition in online review: its needs IN_REVIEW, with submitted bids (set on the models directly).

    in_review(bids_per_need=[2, 1], fields=[...]) -> list of (need, [bids])
    """
    def make(bids_per_need=(2, 1), fields=(NeedField.ELECTRONIC_INFO, NeedField.NEW_MATERIALS), per_bid=3):
        edition.stage = EditionStage.ONLINE_REVIEW
        edition.judges_per_bid, edition.min_sheets = per_bid, min(per_bid, 3)
        made = []
        for n, field in zip(bids_per_need, fields):
            need = make_need(status=NeedStatus.IN_REVIEW, field=field)
            made.append((need, [make_bid(need=need) for _ in range(n)]))
        db.session.flush()
        return made
    return make


def assign(db, bid, judge, status=ASSIGNED, reason=""):
    a = Assignment(bid_id=bid.id, judge_id=judge.id, status=status, recusal_reason=reason)
    db.session.add(a)
    db.session.flush()
    return a


def sheet(db, bid, judge, status=SheetStatus.SUBMITTED):
    s = ScoreSheet(round=Round.ONLINE, bid_id=bid.id, judge_id=judge.id, status=status,
                   submitted_at=datetime(2026, 5, 7) if status == SheetStatus.SUBMITTED else None)
    db.session.add(s)
    db.session.flush()
    return s


def active_pairs(db) -> set[tuple[int, int]]:
    return set(db.session.execute(sa.select(Assignment.bid_id, Assignment.judge_id)
                                  .where(Assignment.status == ASSIGNED)).tuples())


# --- role guards --------------------------------------------------------------------------------

ORGANIZER_GETS = ["/organizer/editions/CIC8-NB/assignments", "/organizer/editions/CIC8-NB/progress",
                  "/organizer/judges"]
ORGANIZER_POSTS = ["/organizer/editions/CIC8-NB/assign", "/organizer/editions/CIC8-NB/assignments/add",
                   "/organizer/editions/CIC8-NB/progress/remind"]


@pytest.mark.parametrize("role", [Role.TEAM, Role.FIRM, Role.JUDGE])
def test_organizer_judging_pages_refuse_other_roles(client, make_user, login, edition, role):
    login(make_user(role))
    for url in ORGANIZER_GETS:
        assert client.get(url).status_code == 403, url
    for url in ORGANIZER_POSTS:
        assert client.post(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.TEAM, Role.FIRM, Role.ORGANIZER])
def test_judge_profile_pages_refuse_other_roles(client, make_user, login, role):
    login(make_user(role))
    assert client.get("/judge/profile").status_code == 403
    assert client.post("/judge/profile", data={}).status_code == 403
    assert client.post("/judge/notices/read").status_code == 403


def test_unknown_edition_is_404(client, login, organizer):
    login(organizer)
    assert client.get("/organizer/editions/NOPE/assignments").status_code == 404
    assert client.get("/organizer/editions/NOPE/progress").status_code == 404


# --- profile ------------------------------------------------------------------------------------

def test_judge_saves_profile_fields_and_conflicts(client, db, login, make_org, make_judge):
    own, other, declared = make_org("宁波工程学院"), make_org("宁波材料所"), make_org("某某科技有限公司")
    judge = make_judge(org=own, fields=[NeedField.MARINE])
    login(judge)
    page = client.get("/judge/profile")
    assert page.status_code == 200 and "宁波材料所" in text(page)
    response = client.post("/judge/profile", data={
        "org_id": str(other.id), "expertise": ["electronic_info", "new_materials"],
        "conflict_org_ids": [str(declared.id), str(own.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, judge.id).org_id == other.id
    assert set(db.session.scalars(sa.select(JudgeExpertise.field).where(JudgeExpertise.judge_id == judge.id))) == {
        NeedField.ELECTRONIC_INFO, NeedField.NEW_MATERIALS}
    assert set(db.session.scalars(sa.select(DeclaredConflict.org_id).where(
        DeclaredConflict.judge_id == judge.id))) == {declared.id, own.id}
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "judge.profile",
                                                         AuditEvent.object_id == judge.id)) is not None
    # The saved profile shows again.
    page = text(client.get("/judge/profile"))
    assert re.search(r'<input checked[^>]*value="new_materials"', page)
    assert not re.search(r'<input checked[^>]*value="marine"', page)


def test_profile_rejects_unknown_organization(client, db, login, make_judge):
    judge = make_judge()
    login(judge)
    response = client.post("/judge/profile", data={"org_id": "99999", "conflict_org_ids": ["88888"]})
    assert response.status_code == 400
    assert "所选单位不存在" in text(response)
    db.session.expire_all()
    assert db.session.get(User, judge.id).org_id is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeclaredConflict)) == 0


def test_organizer_edits_a_judges_profile(client, db, login, organizer, make_org, make_judge):
    judge, org = make_judge(), make_org("宁波大学科学技术学院")
    login(organizer)
    assert "评审专家" in text(client.get("/organizer/judges"))
    response = client.post(f"/organizer/judges/{judge.id}/profile", data={
        "org_id": str(org.id), "expertise": ["marine"]})
    assert response.status_code == 302
    page = text(client.get("/organizer/judges"))
    assert "宁波大学科学技术学院" in page and "海洋" in page


# --- automatic assignment -----------------------------------------------------------------------

def test_auto_assign_gives_each_bid_its_judges_without_conflicts(client, db, login, organizer, make_org,
                                                                in_review, make_judge):
    (n1, (b1, b2)), (n2, (b3,)) = in_review()
    member_org = make_org("宁波大学")  # every fixture team has a member from 宁波大学
    conflicted = {
        make_judge(org=b1.team.lead_org, fields=[NeedField.ELECTRONIC_INFO]): {b1.id},
        make_judge(org=member_org, fields=[NeedField.ELECTRONIC_INFO]): {b1.id, b2.id, b3.id},
        make_judge(org=n2.firm, fields=[NeedField.NEW_MATERIALS]): {b3.id},
        make_judge(declared=[b2.team.lead_org], fields=[NeedField.ELECTRONIC_INFO]): {b2.id},
    }
    for f in (NeedField.ELECTRONIC_INFO, NeedField.ELECTRONIC_INFO, NeedField.NEW_MATERIALS, NeedField.MARINE):
        make_judge(fields=[f])  # free judges: they make full assignment feasible
    login(organizer)
    response = client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "7"})
    assert response.status_code == 302
    pairs = active_pairs(db)
    for bid in (b1, b2, b3):
        assert len([p for p in pairs if p[0] == bid.id]) == 3
    for judge, bids in conflicted.items():
        assert not any((b, judge.id) in pairs for b in bids)
    for bid_id, judge_id in pairs:
        assert not judge_conflicted(db.session.get(User, judge_id), db.session.get(type(b1), bid_id))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.auto"))
    assert event is not None and '"assigned": 9' in event.detail
    page = text(client.get("/organizer/editions/CIC8-NB/assignments"))
    assert b1.team.name in page and "评审专家不足" not in page


def test_short_bids_are_listed_at_the_top(client, db, login, organizer, in_review, make_judge):
    (_, (b1, b2)), (_, (b3,)) = in_review(per_bid=3)
    free, conflicted = make_judge(), make_judge(org=b3.team.lead_org)
    login(organizer)
    response = client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "0"}, follow_redirects=True)
    page = text(response)
    assert "评审专家不足的挑战报告（3 份）" in page
    for bid in (b1, b2, b3):
        assert f'data-short-bid="{bid.id}"' in page
    assert page.index("评审专家不足的挑战报告") < page.index(f'data-bid="{b1.id}"')
    # Each bid gets every judge it can have: the conflicted one only b1 and b2.
    assert active_pairs(db) == {(b1.id, free.id), (b2.id, free.id), (b3.id, free.id),
                                (b1.id, conflicted.id), (b2.id, conflicted.id)}


def test_auto_assign_refused_once_a_sheet_exists(client, db, login, organizer, in_review, make_judge):
    (_, (b1, _b2)), _ = in_review(per_bid=1)
    j1, j2 = make_judge(), make_judge()
    assign(db, b1, j1)
    sheet(db, b1, j1, SheetStatus.DRAFT)
    login(organizer)
    response = client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "0"})
    assert response.status_code == 409
    assert "手动调整" in text(response)
    assert active_pairs(db) == {(b1.id, j1.id)}
    assert j2.id not in {j for _, j in active_pairs(db)}


def test_auto_assign_refused_outside_online_review(client, db, login, organizer, edition, in_review, make_judge):
    in_review(per_bid=1)
    make_judge()
    edition.stage = EditionStage.OPEN
    login(organizer)
    response = client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "0"})
    assert response.status_code == 403
    assert "初评阶段" in text(response)
    assert active_pairs(db) == set()


def test_auto_assign_replaces_but_never_puts_a_recused_judge_back(client, db, login, organizer, in_review,
                                                                  make_judge):
    (_, (b1, b2)), (_, (b3,)) = in_review(per_bid=2)
    j1, j2, j3 = make_judge(), make_judge(), make_judge()
    assign(db, b1, j1, RECUSED, reason="曾与该团队合作")
    assign(db, b2, j1)
    login(organizer)
    assert client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "3"}).status_code == 302
    pairs = active_pairs(db)
    assert (b1.id, j1.id) not in pairs
    assert {j for b, j in pairs if b == b1.id} == {j2.id, j3.id}
    assert all(len([p for p in pairs if p[0] == b.id]) == 2 for b in (b1, b2, b3))
    recused = db.session.scalar(sa.select(Assignment).where(Assignment.status == RECUSED))
    assert recused.judge_id == j1.id and recused.recusal_reason == "曾与该团队合作"
    page = text(client.get("/organizer/editions/CIC8-NB/assignments"))
    assert "曾与该团队合作" in page


def test_auto_assign_needs_a_csrf_token(app, client, db, login, organizer, in_review, make_judge):
    in_review(per_bid=1)
    make_judge()
    login(organizer)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "0"}).status_code == 400
    assert active_pairs(db) == set()
    token = csrf_token_from(text(client.get("/organizer/editions/CIC8-NB/assignments")))
    response = client.post("/organizer/editions/CIC8-NB/assign", data={"seed": "0", "csrf_token": token})
    assert response.status_code == 302 and len(active_pairs(db)) == 3


# --- manual adjustments -------------------------------------------------------------------------

def test_manual_add_of_a_conflicted_pair_is_refused(client, db, login, organizer, in_review, make_judge):
    (_, (b1, _)), _ = in_review()
    judge = make_judge(org=b1.team.lead_org)
    login(organizer)
    response = client.post("/organizer/editions/CIC8-NB/assignments/add",
                           data={"bid_id": str(b1.id), "judge_id": str(judge.id)})
    assert response.status_code == 409
    assert b1.team.lead_org.name in text(response) and "牵头单位" in text(response)
    assert active_pairs(db) == set()


def test_manual_add_refuses_declared_conflict_duplicate_and_non_judge(client, db, login, organizer, in_review,
                                                                     make_judge, make_user):
    (n1, (b1, _)), _ = in_review()
    declared = make_judge(declared=[n1.firm])
    ok = make_judge()
    login(organizer)
    add = "/organizer/editions/CIC8-NB/assignments/add"
    response = client.post(add, data={"bid_id": str(b1.id), "judge_id": str(declared.id)})
    assert response.status_code == 409 and "声明回避" in text(response)
    assert client.post(add, data={"bid_id": str(b1.id), "judge_id": str(ok.id)}).status_code == 302
    assert client.post(add, data={"bid_id": str(b1.id), "judge_id": str(ok.id)}).status_code == 409
    team_user = b1.team.owner
    assert client.post(add, data={"bid_id": str(b1.id), "judge_id": str(team_user.id)}).status_code == 400
    assert client.post(add, data={"bid_id": "", "judge_id": str(ok.id)}).status_code == 400
    assert active_pairs(db) == {(b1.id, ok.id)}
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.add")) is not None


def test_manual_remove_refused_after_the_judge_submitted(client, db, login, organizer, in_review, make_judge):
    (_, (b1, b2)), _ = in_review()
    j1 = make_judge()
    done, pending = assign(db, b1, j1), assign(db, b2, j1)
    sheet(db, b1, j1)
    login(organizer)
    url = "/organizer/editions/CIC8-NB/assignments/{}/remove"
    response = client.post(url.format(done.id))
    assert response.status_code == 409 and "已提交" in text(response)
    assert client.post(url.format(pending.id)).status_code == 302
    assert active_pairs(db) == {(b1.id, j1.id)}
    assert client.post(url.format(99999)).status_code == 404


def test_assignment_page_runs_a_constant_number_of_queries(client, db, login, organizer, in_review, make_judge,
                                                          count_queries, make_need, make_bid):
    (_, (b1, b2)), (_, (b3,)) = in_review(per_bid=2)
    judges = [make_judge(fields=[NeedField.ELECTRONIC_INFO]) for _ in range(2)]
    assign(db, b1, judges[0])
    login(organizer)
    db.session.commit()  # both measures start from an expired session
    with count_queries() as small:
        assert client.get("/organizer/editions/CIC8-NB/assignments").status_code == 200
    more = [make_judge(org=b2.team.lead_org) for _ in range(3)]
    extra = make_need(status=NeedStatus.IN_REVIEW)
    for bid in [b2, b3, *[make_bid(need=extra) for _ in range(3)]]:
        assign(db, bid, judges[1])
        assign(db, bid, more[0], RECUSED, reason="回避")
    sheet(db, b2, judges[1])
    db.session.commit()
    with count_queries() as large:
        page = client.get("/organizer/editions/CIC8-NB/assignments")
    assert page.status_code == 200
    assert len(large) == len(small), "\n\n".join(large)


# --- recusal ------------------------------------------------------------------------------------

def test_recusal_reassigns_to_an_eligible_judge_and_tells_the_organizers(client, db, login, organizer, in_review,
                                                                        make_judge):
    (_, (b1, b2)), _ = in_review(per_bid=2)
    j1, j2 = make_judge(), make_judge()
    conflicted = make_judge(org=b1.team.lead_org)   # least loaded, lowest id: but conflicted
    busy, spare = make_judge(), make_judge()
    mine = assign(db, b1, j1)
    assign(db, b1, j2)
    assign(db, b2, busy)
    login(j1)
    assert "申请回避" in text(client.get("/judge/profile"))
    page = client.get(f"/judge/assignments/{mine.id}/recuse")
    assert page.status_code == 200 and b1.team.name not in text(page)
    response = client.post(f"/judge/assignments/{mine.id}/recuse", data={"reason": "本人曾指导该方案"})
    assert response.status_code == 302
    db.session.expire_all()
    mine = db.session.get(Assignment, mine.id)
    assert mine.status == RECUSED and mine.recusal_reason == "本人曾指导该方案"
    on_b1 = {j for b, j in active_pairs(db) if b == b1.id}
    assert on_b1 == {j2.id, spare.id}
    assert conflicted.id not in on_b1 and j1.id not in on_b1
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == organizer.id))
    assert notice is not None and f"#{b1.id}" in notice.text
    mail = db.session.scalar(sa.select(MailMessage).where(MailMessage.user_id == organizer.id))
    assert "本人曾指导该方案" in mail.body_text and spare.display_name in mail.body_text
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.recuse")) is not None
    login(organizer)
    page = text(client.get("/organizer/editions/CIC8-NB/assignments"))
    assert f'data-notice="{notice.id}"' in page and f'data-recused="{mine.id}"' in page
    response = client.post("/organizer/notices/read", data={"next": "/organizer/editions/CIC8-NB/assignments"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/assignments")
    assert f'data-notice="{notice.id}"' not in text(client.get("/organizer/editions/CIC8-NB/assignments"))
    assert client.post("/organizer/notices/read", data={"next": "//evil.example"}).headers["Location"] == "/organizer/"


def test_recusal_without_a_substitute_leaves_the_bid_short(client, db, login, organizer, in_review, make_judge):
    (_, (b1, _)), _ = in_review(per_bid=1)
    j1 = make_judge()
    make_judge(org=b1.team.lead_org)
    mine = assign(db, b1, j1)
    login(j1)
    assert client.post(f"/judge/assignments/{mine.id}/recuse", data={"reason": "亲属在该单位"}).status_code == 302
    assert active_pairs(db) == set()
    mail = db.session.scalar(sa.select(MailMessage).where(MailMessage.user_id == organizer.id))
    assert "不足" in mail.body_text and "亲属在该单位" in mail.body_text
    login(organizer)
    assert f'data-short-bid="{b1.id}"' in text(client.get("/organizer/editions/CIC8-NB/assignments"))


def test_recusal_refusals(client, db, login, edition, in_review, make_judge):
    (_, (b1, b2)), _ = in_review()
    j1, other = make_judge(), make_judge()
    submitted, pending = assign(db, b1, j1), assign(db, b2, j1)
    theirs = assign(db, b1, other)
    sheet(db, b1, j1)
    login(j1)
    url = "/judge/assignments/{}/recuse"
    assert client.post(url.format(submitted.id), data={"reason": "理由"}).status_code == 409
    assert client.post(url.format(pending.id), data={"reason": "  "}).status_code == 400
    assert client.post(url.format(theirs.id), data={"reason": "理由"}).status_code == 404
    edition.stage = EditionStage.FINAL
    db.session.commit()
    response = client.post(url.format(pending.id), data={"reason": "理由"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)
                             .where(Assignment.status == RECUSED)) == 0


# --- progress and reminders ---------------------------------------------------------------------

def test_progress_counts_and_reminders(client, db, login, organizer, in_review, make_judge):
    (n1, (b1, b2)), (n2, (b3,)) = in_review()
    j1, j2, j3 = make_judge(), make_judge(), make_judge()
    for bid, judge in ((b1, j1), (b2, j1), (b1, j2), (b3, j3)):
        assign(db, bid, judge)
    assign(db, b3, j2, RECUSED, reason="回避")
    sheet(db, b1, j1)
    sheet(db, b2, j1, SheetStatus.DRAFT)
    sheet(db, b3, j3)
    login(organizer)
    page = text(client.get("/organizer/editions/CIC8-NB/progress"))

    def row(attr: str, key: int) -> str:
        start = page.index(f'data-{attr}="{key}"')
        return page[start:page.index("</tr>", start)]

    assert 'data-count="bids">2<' in row("need", n1.id)
    assert 'data-count="expected">3<' in row("need", n1.id) and 'data-count="submitted">1<' in row("need", n1.id)
    assert 'data-count="expected">1<' in row("need", n2.id) and 'data-count="submitted">1<' in row("need", n2.id)
    first = row("judge", j1.id)
    assert all(f'data-count="{k}">{v}<' in first for k, v in
               (("assigned", 2), ("drafts", 1), ("submitted", 1), ("late", 1)))
    assert 'data-count="late">1<' in row("judge", j2.id) and 'data-count="late">0<' in row("judge", j3.id)

    response = client.post("/organizer/editions/CIC8-NB/progress/remind", follow_redirects=True)
    assert "已提醒 2 位评审专家" in text(response)
    reminded = dict(db.session.execute(sa.select(Notice.user_id, sa.func.count(Notice.id)).group_by(Notice.user_id))
                    .tuples().all())
    assert reminded == {j1.id: 1, j2.id: 1}
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "progress.remind")) is not None

    login(j1)
    dashboard = text(client.get("/judge/"))
    assert "1 份评分表未提交" in dashboard
    assert client.post("/judge/notices/read").status_code == 302
    assert "份评分表未提交" not in text(client.get("/judge/"))
    assert db.session.scalar(sa.select(Notice.read_at).where(Notice.user_id == j1.id)) is not None
    assert db.session.scalar(sa.select(Notice.read_at).where(Notice.user_id == j2.id)) is None


def test_reminder_refused_outside_online_review(client, db, login, organizer, edition, in_review, make_judge):
    (_, (b1, _)), _ = in_review()
    assign(db, b1, make_judge())
    edition.stage = EditionStage.FINAL
    login(organizer)
    assert client.post("/organizer/editions/CIC8-NB/progress/remind").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0


def test_during_the_online_round_a_judge_cannot_change_its_organization_or_conflicts(client, db, login, make_org,
                                                                                     make_judge, edition, organizer):
    """Declaring one organization at a time and watching which bids turn conflicted would unmask the bids."""
    own, other = make_org(name="评审所在大学"), make_org(name="某研究院")
    judge = make_judge(org=own)
    edition.stage = EditionStage.ONLINE_REVIEW
    login(judge)
    page = client.get("/judge/profile").get_data(as_text=True)
    assert "已锁定" in page
    response = client.post("/judge/profile", data={"org_id": str(own.id), "conflict_org_ids": [str(other.id)],
                                                   "expertise": ["electronic_info"]})
    assert response.status_code == 409 and "已锁定" in response.get_data(as_text=True)
    assert client.post("/judge/profile", data={"org_id": str(other.id)}).status_code == 409
    db.session.expire_all()
    assert db.session.get(User, judge.id).org_id == own.id and declared_org_ids(judge) == []
    kept = client.post("/judge/profile", data={"org_id": str(own.id), "expertise": ["electronic_info"]})
    assert kept.status_code == 302                                    # its fields may still change
    update_profile(db.session.get(User, judge.id), organizer, org_id=own.id, fields=[],
                   conflict_org_ids=[other.id])                        # the organizer may
    assert declared_org_ids(db.session.get(User, judge.id)) == [other.id]
