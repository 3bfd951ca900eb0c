"""Matchmaking events (对接活动): scheduling by a market's staff and the organizer, registration, attendance,
contacts, the tracing of a contact to the team's bid and its contract, the yearly counts, the list's cost."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from contest.domain.states import BidStatus, NeedStatus, Role
from contest.models import AuditEvent, EventContact, EventNeed, EventRegistration, MatchEvent, Notice

from .conftest import market_id
from .test_contracts import World, signed

CITY, HAISHU, JIANGBEI = 1, 2, 3
NOW = datetime(2026, 3, 10, 2, 0)   # the tests' frozen clock: 10:00 Beijing


def text(response) -> str:
    return response.get_data(as_text=True)


def event_form(need_refs: str = "", **overrides) -> dict:
    data = {"market_id": str(HAISHU), "title": "海曙区智能制造专场对接会", "starts_at": "2026-03-20T14:30",
            "place": "海曙区科技大市场三楼报告厅", "fields": ["electronic_info", "mechatronics"],
            "description": "企业需求发布与团队路演", "needs": need_refs}
    data.update(overrides)
    return data


def make_event(db, user, market: int = HAISHU, starts_at: datetime = NOW + timedelta(days=5), needs=(),
               cancelled: bool = False, title: str = "对接活动") -> MatchEvent:
    event = MatchEvent(market_id=market, title=title, starts_at=starts_at, place="科技大市场", fields="electronic_info",
                       description="", cancelled=cancelled, created_by_id=user.id)
    db.session.add(event)
    db.session.flush()
    db.session.add_all([EventNeed(event_id=event.id, need_id=n.id) for n in needs])
    db.session.flush()
    return event


@pytest.fixture
def staff(make_user):
    return make_user(Role.MARKET, market_id=HAISHU)


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


# --- scheduling -------------------------------------------------------------------------------------------

def test_market_staff_schedule_an_event_in_beijing_time_presenting_their_markets_need(client, db, login, staff,
                                                                                       make_need):
    need = make_need(market_id=HAISHU, name="注塑件在线视觉检测")
    other = make_need(market_id=HAISHU, name="磁性材料烧结工艺优化")
    login(staff)
    r = client.post("/events/new", data=event_form(f"{need.id}\n磁性材料烧结"))
    assert r.status_code == 302, text(r)
    event = db.session.scalars(sa.select(MatchEvent)).one()
    assert event.starts_at == datetime(2026, 3, 20, 6, 30)   # 14:30 Beijing is 06:30 UTC
    assert event.market_id == HAISHU and event.fields == "electronic_info,mechatronics"
    assert set(db.session.scalars(sa.select(EventNeed.need_id))) == {need.id, other.id}
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "event.schedule")) is not None
    page = text(client.get(f"/events/{event.id}"))
    assert "2026-03-20 14:30" in page and "注塑件在线视觉检测" in page


def test_market_staff_cannot_schedule_for_another_market(client, db, login, staff):
    login(staff)
    r = client.post("/events/new", data=event_form(market_id=str(JIANGBEI)))
    assert r.status_code == 403
    assert "只能为本市场安排对接活动" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchEvent)) == 0


def test_market_staff_cannot_present_another_markets_need_but_the_organizer_can(client, db, login, staff, organizer,
                                                                              make_need):
    need = make_need(market_id=JIANGBEI, name="江北区的需求")
    login(staff)
    r = client.post("/events/new", data=event_form(str(need.id)))
    assert r.status_code == 400 and "不是本市场征集的已发布需求" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchEvent)) == 0
    login(organizer)
    r = client.post("/events/new", data=event_form(str(need.id), market_id=str(CITY)))
    assert r.status_code == 302, text(r)
    assert db.session.scalar(sa.select(MatchEvent.market_id)) == CITY


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "此项必填"),
    ({"starts_at": "2026-03-01T09:00"}, "活动时间须晚于当前时间"),
    ({"starts_at": "明天下午"}, "活动时间"),
    ({"fields": []}, "请至少选择一个技术领域"),
    ({"fields": ["warp_drive"]}, "请选择有效的技术领域"),
    ({"needs": "999999"}, "未找到“999999”对应的已发布需求"),
    ({"needs": "不存在的需求名称"}, "未找到“不存在的需求名称”对应的已发布需求"),
])
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_saved(client, db, login, staff, overrides, message):
    login(staff)
    r = client.post("/events/new", data=event_form(**overrides))
    assert 400 <= r.status_code < 500
    assert message in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchEvent)) == 0


def test_a_draft_need_cannot_be_presented(client, db, login, staff, make_need):
    draft = make_need(status=NeedStatus.DRAFT, market_id=HAISHU)
    login(staff)
    r = client.post("/events/new", data=event_form(str(draft.id)))
    assert r.status_code == 400 and "对应的已发布需求" in text(r)


def test_editing_the_time_tells_the_registrants_and_cancelling_keeps_the_event(client, db, login, staff, make_user):
    event = make_event(db, staff)
    firm = make_user(Role.FIRM)
    db.session.add(EventRegistration(event_id=event.id, user_id=firm.id))
    login(staff)
    r = client.post(f"/events/{event.id}/edit", data=event_form(starts_at="2026-03-25T09:00"))
    assert r.status_code == 302, text(r)
    assert db.session.get(MatchEvent, event.id).starts_at == datetime(2026, 3, 25, 1, 0)
    notices = list(db.session.scalars(sa.select(Notice.text).where(Notice.user_id == firm.id)))
    assert any("时间或地点有变更" in n for n in notices)
    r = client.post(f"/events/{event.id}/cancel")
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(MatchEvent, event.id).cancelled is True
    assert any("已取消" in n for n in db.session.scalars(sa.select(Notice.text).where(Notice.user_id == firm.id)))
    assert {"event.update", "event.cancel"} <= set(db.session.scalars(sa.select(AuditEvent.action)))
    assert "已取消" in text(client.get("/events/"))


def test_another_markets_staff_do_not_see_the_events_management_and_judges_are_refused(client, db, login, staff,
                                                                                     make_user):
    event = make_event(db, staff)
    login(make_user(Role.MARKET, market_id=JIANGBEI))
    assert client.get(f"/events/{event.id}/manage").status_code == 404
    assert client.get(f"/events/{event.id}").status_code == 200
    login(make_user(Role.JUDGE))
    assert client.get("/events/").status_code == 403


# --- registration and attendance ----------------------------------------------------------------------------

def test_a_team_registers_once_and_sees_the_event_among_its_own(client, db, login, staff, make_team, make_user):
    event = make_event(db, staff, title="甬江专场")
    make_event(db, staff, title="别的活动")
    team = make_team()
    login(team.owner)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    r = client.post(f"/events/{event.id}/register")
    assert r.status_code == 409 and "您已报名该活动" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRegistration)) == 1
    mine = text(client.get("/events/?mine=1"))
    assert "甬江专场" in mine and "别的活动" not in mine
    assert client.post(f"/events/{event.id}/unregister").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRegistration)) == 0


def test_cancelled_and_past_events_refuse_registration(client, db, login, staff, make_user):
    cancelled = make_event(db, staff, cancelled=True)
    past = make_event(db, staff, starts_at=NOW - timedelta(hours=1))
    login(make_user(Role.FIRM))
    r = client.post(f"/events/{cancelled.id}/register")
    assert r.status_code == 409 and "该活动已取消" in text(r)
    r = client.post(f"/events/{past.id}/register")
    assert r.status_code == 409 and "不能再报名" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRegistration)) == 0


def test_attendance_is_marked_once_the_event_has_started(client, db, login, staff, make_user, clock):
    event = make_event(db, staff, starts_at=NOW + timedelta(hours=2))
    firm = make_user(Role.FIRM)
    entry = EventRegistration(event_id=event.id, user_id=firm.id)
    db.session.add(entry)
    db.session.flush()
    login(staff)
    url = f"/events/{event.id}/registrations/{entry.id}/attendance"
    r = client.post(url, data={"attended": "1"})
    assert r.status_code == 409 and "活动开始后才能登记" in text(r)
    clock.shift(timedelta(hours=3))
    assert client.post(url, data={"attended": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(EventRegistration, entry.id).attended is True
    page = text(client.get(f"/events/{event.id}/manage"))
    assert firm.organization.name in page and 'data-attended="yes"' in page


# --- contacts and tracing -----------------------------------------------------------------------------------

def test_a_contact_is_recorded_once_per_need_and_team(client, db, login, staff, make_need, make_team):
    need = make_need(market_id=HAISHU)
    event = make_event(db, staff, starts_at=NOW - timedelta(hours=1), needs=[need])
    team = make_team(name="宁波大学视觉团队")
    login(staff)
    body = {"need_id": str(need.id), "team_id": "0", "team_name": "视觉团队", "note": "约定下周现场考察"}
    assert client.post(f"/events/{event.id}/contacts", data=body).status_code == 302
    r = client.post(f"/events/{event.id}/contacts", data=body)
    assert r.status_code == 409 and "已登记过需求" in text(r) and "宁波大学视觉团队" in text(r)
    contact = db.session.scalars(sa.select(EventContact)).one()
    assert contact.team_id == team.id and contact.note == "约定下周现场考察"


def test_a_contact_must_name_a_presented_need_and_a_known_team(client, db, login, staff, make_need, make_team):
    presented, other = make_need(market_id=HAISHU), make_need(market_id=HAISHU)
    event = make_event(db, staff, starts_at=NOW - timedelta(hours=1), needs=[presented])
    make_team(name="甲团队")
    make_team(name="甲团队二组")
    login(staff)
    r = client.post(f"/events/{event.id}/contacts", data={"need_id": str(other.id), "team_name": "甲团队"})
    assert r.status_code == 400 and "只能登记本活动推介的需求" in text(r)
    r = client.post(f"/events/{event.id}/contacts", data={"need_id": str(presented.id), "team_name": "团队"})
    assert r.status_code == 400 and "的团队有 2 个" in text(r)
    r = client.post(f"/events/{event.id}/contacts", data={"need_id": str(presented.id), "team_name": "没有这个"})
    assert r.status_code == 400 and "没有名称包含“没有这个”的团队" in text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventContact)) == 0


@pytest.fixture
def contract_world(db, edition, make_user, make_need, make_team, make_bid):
    return World(db, edition, make_user, make_need, make_team, make_bid)


def test_an_event_contact_is_traced_to_the_teams_winning_bid_and_its_signed_contract(client, db, login, clock,
                                                                                      contract_world, make_user):
    w = contract_world
    city_staff = make_user(Role.MARKET, market_id=market_id("宁波科技大市场"))
    w.need.status = NeedStatus.PUBLISHED   # presented while bidding was open
    login(city_staff)
    r = client.post("/events/new", data=event_form(str(w.need.id), market_id=str(CITY), starts_at="2026-03-10T14:00"))
    assert r.status_code == 302, text(r)
    event = db.session.scalars(sa.select(MatchEvent)).one()
    login(w.team.owner)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    clock.shift(timedelta(hours=6))   # the event has started
    login(city_staff)
    r = client.post(f"/events/{event.id}/contacts", data={"need_id": str(w.need.id), "team_id": str(w.team.id)})
    assert r.status_code == 302, text(r)
    page = text(client.get(f"/events/{event.id}/manage"))
    assert 'data-bid="' + str(w.bid.id) + '"' in page and 'data-contract=""' in page
    w.need.status = NeedStatus.AWARDED    # the team won; the organizer drafts, issues and registers the signing
    db.session.commit()
    login(w.organizer)
    contract = signed(client, w)
    login(city_staff)
    page = text(client.get(f"/events/{event.id}/manage"))
    assert f'data-contract="{contract.id}"' in page and contract.number in page
    assert "挑战第一名" in page and "已签订" in page
    summary = text(client.get("/events/traced"))
    row = summary.split(f'data-market="{CITY}"')[1]
    for key, value in (("contacts", 1), ("bids", 1), ("winners", 1), ("contracts", 1)):
        assert f"data-{key}>{value}<" in row


def test_a_draft_or_withdrawn_bid_is_not_traced(client, db, login, staff, make_need, make_team, make_bid):
    need = make_need(market_id=HAISHU)
    team = make_team()
    make_bid(need=need, team=team, status=BidStatus.DRAFT)
    event = make_event(db, staff, starts_at=NOW - timedelta(hours=1), needs=[need])
    db.session.add(EventContact(event_id=event.id, need_id=need.id, team_id=team.id, recorded_by_id=staff.id))
    login(staff)
    page = text(client.get(f"/events/{event.id}/manage"))
    assert 'data-bid=""' in page and "尚未揭榜" in page


# --- yearly counts and the list's cost ------------------------------------------------------------------------

def test_yearly_counts_count_held_events_per_market_and_year(client, db, login, staff, organizer, make_user,
                                                             make_need, make_team, make_bid):
    need = make_need(market_id=HAISHU)
    team, other_team = make_team(), make_team()
    make_bid(need=need, team=team)
    held_2025 = make_event(db, staff, starts_at=datetime(2025, 12, 31, 17, 0), needs=[need])  # 1 Jan 2026 Beijing
    held_2025b = make_event(db, staff, starts_at=datetime(2025, 6, 1, 2, 0))
    make_event(db, staff, starts_at=datetime(2025, 7, 1, 2, 0), cancelled=True)
    make_event(db, staff, starts_at=NOW + timedelta(days=3))                                    # not held yet
    make_event(db, organizer, market=JIANGBEI, starts_at=datetime(2025, 8, 1, 2, 0))
    firm = make_user(Role.FIRM)
    db.session.add_all([EventRegistration(event_id=held_2025.id, user_id=firm.id, attended=True),
                        EventRegistration(event_id=held_2025.id, user_id=team.owner_id, attended=False),
                        EventRegistration(event_id=held_2025b.id, user_id=other_team.owner_id, attended=True),
                        EventContact(event_id=held_2025.id, need_id=need.id, team_id=team.id, recorded_by_id=staff.id),
                        EventContact(event_id=held_2025.id, need_id=need.id, team_id=other_team.id,
                                     recorded_by_id=staff.id)])
    login(organizer)
    page = text(client.get("/events/yearly"))
    row_2026 = page.split(f'data-year="2026" data-market="{HAISHU}"')[1].split("</tr>")[0]
    for key, value in (("events", 1), ("registrations", 2), ("attended", 1), ("contacts", 2), ("contacts-bid", 1),
                       ("contracts", 0)):
        assert f"data-{key}>{value}<" in row_2026
    row_2025 = page.split(f'data-year="2025" data-market="{HAISHU}"')[1].split("</tr>")[0]
    assert "data-events>1<" in row_2025 and "data-attended>1<" in row_2025
    assert f'data-year="2025" data-market="{JIANGBEI}"' in page
    only_2025 = text(client.get("/events/yearly?year=2025"))
    assert 'data-year="2026"' not in only_2025 and f'data-market="{JIANGBEI}"' in only_2025
    login(staff)
    own = text(client.get("/events/yearly"))
    assert f'data-market="{JIANGBEI}"' not in own and f'data-market="{HAISHU}"' in own


def test_the_events_list_costs_the_same_statements_whatever_the_number_of_events(client, db, login, staff,
                                                                                  make_user, count_queries):
    firm = make_user(Role.FIRM)
    for n in range(2):
        event = make_event(db, staff, title=f"活动{n}")
        db.session.add(EventRegistration(event_id=event.id, user_id=firm.id))
    login(firm)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/events/").status_code == 200
    for n in range(12):
        event = make_event(db, staff, market=JIANGBEI if n % 2 else HAISHU, title=f"更多活动{n}")
        db.session.add(EventRegistration(event_id=event.id, user_id=make_user(Role.TEAM).id))
    db.session.commit()
    with count_queries() as many:
        page = text(client.get("/events/"))
    assert "更多活动11" in page
    assert len(many) == len(few)


def test_the_events_list_filters_by_market_and_year_and_searches(client, db, login, staff, make_user):
    make_event(db, staff, title="海曙专场", starts_at=NOW + timedelta(days=2))
    make_event(db, staff, market=JIANGBEI, title="江北专场", starts_at=NOW + timedelta(days=2))
    make_event(db, staff, title="去年的活动", starts_at=datetime(2025, 5, 1, 2, 0))
    login(make_user(Role.BROKER))
    page = text(client.get(f"/events/?market={JIANGBEI}"))
    assert "江北专场" in page and "海曙专场" not in page
    page = text(client.get("/events/?year=2025"))
    assert "去年的活动" in page and "海曙专场" not in page
    page = text(client.get("/events/?q=海曙"))
    assert "海曙专场" in page and "江北专场" not in page


def test_the_event_page_traces_every_contact_in_the_same_statements_whatever_their_number(
        client, db, login, staff, make_need, make_team, make_bid, count_queries):
    need = make_need(market_id=HAISHU)
    event = make_event(db, staff, starts_at=NOW - timedelta(hours=1), needs=[need])

    def contact():
        team = make_team()
        make_bid(need=need, team=team)
        db.session.add(EventContact(event_id=event.id, need_id=need.id, team_id=team.id, recorded_by_id=staff.id))

    contact()
    login(staff)
    db.session.commit()
    with count_queries() as few:
        assert client.get(f"/events/{event.id}/manage").status_code == 200
    for _ in range(8):
        contact()
    db.session.commit()
    with count_queries() as many:
        page = text(client.get(f"/events/{event.id}/manage"))
    assert page.count("data-contact=") == 9 and page.count('data-bid=""') == 0
    assert len(many) == len(few)
