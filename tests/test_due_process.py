"""Due process, through HTTP with frozen time: no need published once bidding has closed, opening the review says
what it will do and closes what would otherwise wait forever, the organizer rules a tie for first place, and an
irreversible action is asked once (with the script) or on a page of its own (without)."""
from datetime import datetime

import sqlalchemy as sa

from contest.domain.states import BidStatus, EditionStage, NeedStatus, Role
from contest.models import AuditEvent, Notice, TieRuling
from contest.services.judging.rubrics import ensure_default_rubrics

from .test_standings import finals

AFTER_DEADLINE = datetime(2026, 5, 6, 1, 0)   # 09:00 Beijing on 6 May 2026; bidding closed on 30 April
CODE = "CIC8-NB"


def text(response) -> str:
    return response.get_data(as_text=True)


def notices_of(db, user) -> list[str]:
    return list(db.session.scalars(sa.select(Notice.text).where(Notice.user_id == user.id)))


def test_a_need_is_not_published_once_bidding_has_closed_until_the_deadline_is_extended(
        client, db, edition, make_need, make_user, login, clock):
    organizer = make_user(Role.ORGANIZER)
    need = make_need(status=NeedStatus.SUBMITTED, name="截止后才甄别的需求")
    login(organizer)
    clock(AFTER_DEADLINE)
    page = text(client.get(f"/organizer/needs/{need.id}"))
    assert "data-publish-refused" in page and "2026-04-30 17:00" in page   # the deadline, in Beijing time
    assert 'value="approve"' not in page and 'value="return"' in page      # only what may be done is offered
    r = client.post(f"/organizer/needs/{need.id}/review", data={"decision": "approve"})
    assert r.status_code == 403 and "2026-04-30 17:00" in text(r) and "延长揭榜截止时间" in text(r)
    db.session.refresh(need)
    assert need.status == NeedStatus.SUBMITTED and need.published_at is None

    edition.bidding_deadline = datetime(2026, 5, 8, 9, 0)      # the organizer extends the deadline
    db.session.commit()
    assert 'value="approve"' in text(client.get(f"/organizer/needs/{need.id}"))
    assert client.post(f"/organizer/needs/{need.id}/review", data={"decision": "approve"}).status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.PUBLISHED


def test_opening_the_review_says_what_it_will_do_then_closes_every_waiting_need(
        client, db, edition, make_need, make_bid, make_user, login, clock):
    organizer = make_user(Role.ORGANIZER)
    firm = make_user(Role.FIRM)
    with_bid = make_need(firm=firm, name="有人揭榜的需求")
    make_bid(need=with_bid)
    no_bid = make_need(firm=firm, name="无人揭榜的需求")
    waiting = make_need(status=NeedStatus.SUBMITTED, firm=firm, name="仍待甄别的需求")
    returned = make_need(status=NeedStatus.RETURNED, firm=firm, name="退回后未再提交的需求")
    login(organizer)
    clock(AFTER_DEADLINE)
    page = text(client.get(f"/organizer/editions/{CODE}/judging"))
    listing = page.split('id="review-opening"')[1].split("</form>")[0]
    assert 'data-to-review="1"' in listing and 'data-to-fail="1"' in listing and 'data-waiting="2"' in listing
    assert "无人揭榜的需求" in listing and "仍待甄别的需求" in listing and "退回后未再提交的需求" in listing
    assert "有人揭榜的需求" not in listing
    # the form asks before it is sent, and says what will happen in numbers
    assert "1 个需求进入评审；1 个无人揭榜的需求流榜；2 个尚未完成甄别或修改的需求不再发布" in listing

    # Without the script, the server asks on a page of its own, and nothing has moved.
    asked = client.post(f"/organizer/editions/{CODE}/judging/open-review", data={"confirmed": ""})
    assert asked.status_code == 200 and "请确认" in text(asked) and "2 个尚未完成甄别或修改的需求不再发布" in text(asked)
    assert 'name="confirmed" value="1"' in text(asked)
    db.session.refresh(edition)
    assert edition.stage == EditionStage.OPEN

    r = client.post(f"/organizer/editions/{CODE}/judging/open-review")
    assert r.status_code == 302
    client.get(r.headers["Location"])      # the job runs in the test's worker (see tests/conftest.py)
    for need in (with_bid, no_bid, waiting, returned):
        db.session.refresh(need)
    assert (with_bid.status, no_bid.status) == (NeedStatus.IN_REVIEW, NeedStatus.FAILED)
    assert waiting.status == returned.status == NeedStatus.REJECTED          # nothing left waiting forever
    assert waiting.reviews[-1].comment == returned.reviews[-1].comment == "揭榜已截止，该需求未完成甄别，本届不再发布"
    told = notices_of(db, firm)
    assert any("无人揭榜的需求" in n and "流榜" in n for n in told)
    assert any("仍待甄别的需求" in n for n in told) and any("退回后未再提交的需求" in n for n in told)
    # a returned need cannot be resubmitted into a closed edition
    login(firm)
    assert "提交甄别" not in text(client.get(f"/firm/needs/{returned.id}"))


def test_a_tie_for_first_place_is_ruled_by_the_organizer_and_unblocks_the_firm(
        client, db, edition, make_need, make_bid, make_user, login):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    need, (x, y), panel = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85])
    firm_user = panel[-1]
    organizer = make_user(Role.ORGANIZER)
    login(firm_user)
    page = text(client.get(f"/firm/needs/{need.id}/ranking"))
    assert "须由组织方裁定" in page and f'action="/firm/needs/{need.id}/confirm"' not in page   # not offered

    login(organizer)
    page = text(client.get(f"/organizer/editions/{CODE}/standings"))
    assert f"/organizer/needs/{need.id}/tie-ruling" in page
    page = text(client.get(f"/organizer/needs/{need.id}/tie-ruling"))
    assert x.team.name in page and y.team.name in page and "data-confirm" in page
    r = client.post(f"/organizer/needs/{need.id}/tie-ruling", data={"tie-{}-bid_id".format(need.id): y.id,
                                                                      f"tie-{need.id}-reason": "  "})
    assert r.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(TieRuling.id))) == 0
    r = client.post(f"/organizer/needs/{need.id}/tie-ruling", data={f"tie-{need.id}-bid_id": 99999999,
                                                                      f"tie-{need.id}-reason": "理由"})
    assert r.status_code == 400 and "不在并列第一的名单中" in text(r)
    r = client.post(f"/organizer/needs/{need.id}/tie-ruling",
                    data={f"tie-{need.id}-bid_id": y.id, f"tie-{need.id}-reason": "乙队样机已通过企业产线试运行"})
    assert r.status_code == 303
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "need.tie_ruling"))
    assert event.actor_id == organizer.id and "乙队样机已通过企业产线试运行" in event.detail
    assert any("并列第一名" in n for n in notices_of(db, firm_user))
    # ruled once: no second ruling is offered or taken
    assert f"/organizer/needs/{need.id}/tie-ruling" not in text(client.get(f"/organizer/editions/{CODE}/standings"))
    r = client.post(f"/organizer/needs/{need.id}/tie-ruling",
                    data={f"tie-{need.id}-bid_id": x.id, f"tie-{need.id}-reason": "改判"})
    assert r.status_code == 409

    login(firm_user)
    page = text(client.get(f"/firm/needs/{need.id}/ranking"))
    assert f"确认后 {y.team.name} 即为本需求的挑战第一名" in page and "乙队样机已通过企业产线试运行" in page
    assert client.post(f"/firm/needs/{need.id}/confirm").status_code == 302
    db.session.refresh(y)
    db.session.refresh(x)
    assert (y.status, x.status) == (BidStatus.WINNER, BidStatus.NOT_SELECTED)


def test_an_irreversible_action_is_asked_once_and_nothing_happens_before(client, db, make_bid, login):
    bid = make_bid()
    login(bid.team.owner)
    page = text(client.get(f"/team/bids/{bid.id}"))
    form = page.split(f'action="/team/bids/{bid.id}/withdraw"')[1].split(">")[0]
    assert 'data-confirm="撤回后该挑战报告不再参加评审' in form           # static/js/confirm.js asks this
    asked = client.post(f"/team/bids/{bid.id}/withdraw", data={"confirmed": ""})   # no script
    assert asked.status_code == 200 and "撤回后该挑战报告不再参加评审" in text(asked)
    assert f'action="/team/bids/{bid.id}/withdraw"' in text(asked)
    db.session.refresh(bid)
    assert bid.status == BidStatus.SUBMITTED
    assert client.post(f"/team/bids/{bid.id}/withdraw", data={"confirmed": "1"}).status_code == 302
    db.session.refresh(bid)
    assert bid.status == BidStatus.WITHDRAWN
    # once withdrawn, neither 修改 nor 撤回 is offered
    page = text(client.get(f"/team/bids/{bid.id}"))
    assert f"/team/bids/{bid.id}/edit" not in page and f"/team/bids/{bid.id}/withdraw" not in page
