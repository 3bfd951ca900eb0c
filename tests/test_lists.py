"""Lists that scale: search, sort by each column both ways, pagination keeping the query, harmless bad values,
a constant number of statements, bulk screening, standings and assignments one need at a time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contest.domain.states import EditionStage, JobStatus, MailState, NeedStatus, Role
from contest.models import AuditEvent, Bid, Job, MailMessage, Need, Objection
from contest.services.records import audit

from contest.domain.contracts import ContractStatus

from .test_organizer import organizer, text  # noqa: F401  (fixture)
from .test_role_homes import make_contract, make_edition  # noqa: F401  (fixture)


def need_order(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-need="(\d+)"', page)]


def submitted(make_need, n, **kw):
    kw.setdefault("submitted_at", datetime(2026, 3, 2, 1, 0) + timedelta(hours=n))
    return make_need(status=NeedStatus.SUBMITTED, **kw)


# --- the organizer's needs -----------------------------------------------------------------------------------

@pytest.fixture
def three_needs(make_need, make_user, make_org):
    firms = [make_user(Role.FIRM, org=make_org(name=name)) for name in ("Beta 企业", "Alpha 企业", "Gamma 企业")]
    return [make_need(firm=firms[0], name="B 激光焊接质量监测", budget_wan=Decimal("300.00"), keywords="焊缝"),
            make_need(firm=firms[1], name="C 注塑件视觉检测", budget_wan=Decimal("100.00"), keywords="机器视觉,ABC_x"),
            make_need(firm=firms[2], name="A 电池热失控预警", budget_wan=Decimal("200.00"), keywords="储能",
                      status=NeedStatus.SUBMITTED)]


def test_search_finds_and_hides_needs(client, organizer, three_needs):
    weld, vision, battery = three_needs
    assert need_order(text(client.get("/organizer/needs?q=视觉"))) == [vision.id]
    assert need_order(text(client.get("/organizer/needs?q=alpha 企"))) == [vision.id]     # the firm's name
    assert need_order(text(client.get("/organizer/needs?q=abc_X"))) == [vision.id]     # keywords, any case
    assert need_order(text(client.get("/organizer/needs?q=C%25x"))) == []                # % is a character
    assert need_order(text(client.get("/organizer/needs?q=  焊接  "))) == [weld.id]


@pytest.mark.parametrize("key, expected", [("id", (0, 1, 2)), ("name", (2, 0, 1)), ("firm", (1, 0, 2)),
                                           ("budget", (1, 2, 0)), ("status", (0, 1, 2))])
def test_each_column_sorts_the_needs_both_ways(client, organizer, three_needs, key, expected):
    ids = [three_needs[i].id for i in expected]
    page = text(client.get(f"/organizer/needs?sort={key}&dir=asc"))
    assert need_order(page) == ids
    assert 'aria-sort="ascending"' in page
    down = text(client.get(f"/organizer/needs?sort={key}&dir=desc"))
    assert need_order(down) == list(reversed(need_order(page)))
    assert 'aria-sort="descending"' in down


def test_pagination_keeps_the_search_and_the_sort(app, client, organizer, make_need):
    app.config["PAGE_SIZE"] = 3
    found = [make_need(name=f"视觉检测 {i}", keywords="甲") for i in range(5)]
    make_need(name="焊接", keywords="乙")
    page = text(client.get("/organizer/needs?q=视觉&sort=name&dir=desc"))
    assert need_order(page) == [n.id for n in found[::-1][:3]]
    link = re.search(r'href="([^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "q=" in link and "sort=name" in link and "dir=desc" in link
    assert need_order(text(client.get(link))) == [n.id for n in found[::-1][3:]]
    sort_link = re.search(r'data-sort-key="budget">\s*<a [^>]*href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "q=" in sort_link and "page=" not in sort_link     # a new order starts on its first page, search kept


# Every list page of the organizer, the firm and the team, with its sort keys (fixtures below make their rows).
LIST_PAGES = {
    "needs": ("organizer", "/organizer/needs", ("id", "name", "firm", "field", "budget", "status")),
    "queue": ("organizer", "/organizer/queue", ("submitted", "name", "firm", "field", "budget")),
    "bids": ("organizer", "/organizer/needs/{need}/bids", ("submitted", "team", "org", "price", "months", "status")),
    "users": ("organizer", "/organizer/users", ("username", "name", "role", "org", "created")),
    "judges": ("organizer", "/organizer/judges", ("name", "org")),
    "editions": ("organizer", "/organizer/editions", ("code", "name", "year", "deadline")),
    "contracts": ("organizer", "/organizer/editions/CIC8-NB/contracts", ("number", "project", "amount", "status")),
    "objections": ("organizer", "/organizer/editions/CIC8-NB/objections?show=all", ("id", "need", "filed", "status")),
    "audit": ("organizer", "/organizer/audit", ("time", "action")),
    "mail": ("organizer", "/organizer/mail", ("time", "event", "state")),
    "jobs": ("organizer", "/organizer/jobs", ("id", "kind", "status", "edition")),
    "firm_needs": ("firm", "/firm/needs", ("created", "name", "edition", "budget", "status")),
    "firm_objections": ("firm", "/firm/objections", ("need", "filed", "status")),
    "team_bids": ("team", "/team/", ("need", "price", "submitted")),
    "team_objections": ("team", "/team/objections", ("need", "filed", "status")),
}


@pytest.fixture
def world(db, make_user, make_need, make_bid, make_team, make_org, make_edition):
    """Rows on every list: a firm with needs (one submitted), a team with bids, a judge, and a way to add more."""
    firm = make_user(Role.FIRM)
    team_user = make_user(Role.TEAM)
    team = make_team(user=team_user)
    organizer = make_user(Role.ORGANIZER)
    make_user(Role.JUDGE, org=make_org())

    def grow(n: int):
        for i in range(n):
            need = make_need(firm=firm, name=f"需求 {i}")
            submitted(make_need, i, firm=firm, name=f"待甄别 {i}")
            bid = make_bid(need=need, team=team)
            make_bid(need=first)
            make_contract(db, need, bid, ContractStatus.ISSUED if i % 2 else ContractStatus.DRAFT)
            make_edition(EditionStage.OPEN, days=365 * (i + 1))
            make_user(Role.JUDGE, org=make_org())
            audit.record(organizer, "need.approve", need, {"comment": ""})
            db.session.add_all([
                Objection(edition_id=need.edition_id, need_id=need.id, bid_id=bid.id, filed_by_id=firm.id,
                          org_id=firm.org_id, reason="数据不符", filed_at=datetime(2026, 3, 9)),
                Objection(edition_id=need.edition_id, need_id=need.id, bid_id=bid.id, filed_by_id=team_user.id,
                          org_id=team_user.org_id, reason="数据不符", filed_at=datetime(2026, 3, 9)),
                MailMessage(user_id=firm.id, recipient="firm@example.com", event="need.returned", subject=f"退回 {i}",
                            body_text="请修改", body_html="", message_id=f"<lists.{i}.{need.id}@example.cn>",
                            state=MailState.FAILED, attempts=1, next_attempt_at=datetime(2026, 3, 9)),
                Job(kind="scores.export", params={"fmt": "csv"}, status=JobStatus.FAILED, started_by_id=organizer.id,
                    edition_id=need.edition_id, failure_id="job.crashed", failure_params={"error_id": "0badc0de"}),
            ])
        db.session.flush()

    first = make_need(firm=firm, name="第一项需求")
    make_contract(db, first, make_bid(need=first, team=team), ContractStatus.ISSUED)
    return {"organizer": organizer, "firm": firm, "team": team_user, "grow": grow, "need": first}


def _url(name, world):
    return LIST_PAGES[name][1].format(need=world["need"].id)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_each_list_sorts_by_each_column_both_ways_and_searches(client, login, world, name):
    role, _, keys = LIST_PAGES[name]
    login(world[role])
    url = _url(name, world)
    joiner = "&" if "?" in url else "?"
    for key in keys:
        for direction, aria in (("asc", "ascending"), ("desc", "descending")):
            response = client.get(f"{url}{joiner}sort={key}&dir={direction}")
            assert response.status_code == 200, (key, direction)
            assert re.search(rf'aria-sort="{aria}" data-sort-key="{key}"', text(response)), (key, direction)
    page = text(client.get(f"{url}{joiner}q=%E6%9F%A5%E6%97%A0%E6%AD%A4%E9%A1%B9"))   # 查无此项
    assert 'role="search"' in page


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("query", ["sort=nope&dir=up", "sort=__class__&dir=desc", "q=" + "%25_" * 200,
                                   "sort=id&dir=", "q=%27%22<b>x", "dir=desc&page=-3", "_external=1&sort=name"])
def test_bad_sort_direction_and_search_are_harmless(client, login, world, name, query):
    role = LIST_PAGES[name][0]
    login(world[role])
    url = _url(name, world)
    response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
    assert response.status_code == 200
    assert "<b>x" not in text(response)          # the search is shown escaped, never as markup


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_runs_as_many_statements_whatever_its_rows(client, db, login, world, count_queries, name):
    role = LIST_PAGES[name][0]
    login(world[role])
    url = _url(name, world)
    db.session.commit()
    with count_queries() as small:
        before = client.get(url)
    world["grow"](6)
    db.session.commit()
    with count_queries() as large:
        after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert after.get_data(as_text=True).count("<tr") > before.get_data(as_text=True).count("<tr"), "no rows added"
    assert len(large) == len(small), "\n\n".join(large)


# --- bulk screening ------------------------------------------------------------------------------------------

def test_bulk_approval_publishes_each_need_with_its_own_audit_event(client, db, organizer, make_need):
    needs = [submitted(make_need, i, name=f"待甄别 {i}") for i in range(3)]
    db.session.commit()
    page = text(client.get("/organizer/queue"))
    assert all(f'name="need" value="{n.id}"' in page for n in needs) and "data-confirm" in page
    response = client.post("/organizer/queue/review", data={"need": [str(needs[0].id), str(needs[2].id)],
                                                           "decision": "approve", "confirmed": "1"})
    assert response.status_code == 302
    for need in needs:
        db.session.refresh(need)
    assert [n.status for n in needs] == [NeedStatus.PUBLISHED, NeedStatus.SUBMITTED, NeedStatus.PUBLISHED]
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "need.approve")).all()
    assert sorted(e.object_id for e in events) == sorted([needs[0].id, needs[2].id])
    assert "已通过并发布 2 项需求" in text(client.get("/organizer/queue"))


def test_bulk_return_needs_one_comment_and_asks_first_without_script(client, db, organizer, make_need):
    needs = [submitted(make_need, i, name=f"待甄别 {i}") for i in range(2)]
    db.session.commit()
    ids = [str(n.id) for n in needs]
    refused = client.post("/organizer/queue/review", data={"need": ids, "decision": "return", "comment": "  "})
    assert refused.status_code == 400 and "退回修改时必须填写意见" in text(refused)
    asked = client.post("/organizer/queue/review", data={"need": ids, "decision": "return", "comment": "请补充指标",
                                                         "confirmed": ""})
    assert asked.status_code == 200 and "待甄别 0" in text(asked) and 'name="confirmed" value="1"' in text(asked)
    assert all(db.session.get(Need, n.id).status == NeedStatus.SUBMITTED for n in needs)
    done = client.post("/organizer/queue/review", data={"need": ids, "decision": "return", "comment": "请补充指标",
                                                       "confirmed": "1"})
    assert done.status_code == 302
    for need in needs:
        db.session.refresh(need)
        assert need.status == NeedStatus.RETURNED and need.reviews[-1].comment == "请补充指标"
    assert len(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "need.return")).all()) == 2


def test_bulk_screening_names_the_needs_it_cannot_take_and_leaves_them(client, db, organizer, make_need):
    waiting = submitted(make_need, 0, name="仍待甄别")
    published = make_need(name="早已发布")
    db.session.commit()
    response = client.post("/organizer/queue/review", follow_redirects=True,
                           data={"need": [str(waiting.id), str(published.id)], "decision": "approve", "confirmed": "1"})
    page = text(response)
    assert "已通过并发布 1 项需求：仍待甄别" in page and "未处理：早已发布" in page
    db.session.refresh(published)
    assert published.status == NeedStatus.PUBLISHED and not published.reviews
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.object_id == published.id, AuditEvent.action == "need.approve")) == 0


def test_bulk_screening_without_a_need_or_a_decision_is_refused(client, db, organizer, make_need):
    need = submitted(make_need, 0)
    db.session.commit()
    assert client.post("/organizer/queue/review", data={"decision": "approve"}).status_code == 400
    assert client.post("/organizer/queue/review", data={"need": "abc", "decision": "approve"}).status_code == 400
    assert client.post("/organizer/queue/review", data={"need": str(need.id), "decision": "reject",
                                                        "comment": "x"}).status_code == 400
    db.session.refresh(need)
    assert need.status == NeedStatus.SUBMITTED


def test_bulk_screening_after_the_bidding_deadline_publishes_nothing(client, db, clock, organizer, make_need,
                                                                     edition):
    need = submitted(make_need, 0, name="截止后的需求")
    db.session.commit()
    clock(edition.bidding_deadline + timedelta(hours=1))
    assert "data-no-publish" in text(client.get("/organizer/queue"))
    response = client.post("/organizer/queue/review", data={"need": str(need.id), "decision": "approve"})
    assert response.status_code == 409 and "未处理：截止后的需求" in text(response)
    assert client.post("/organizer/queue/review", data={"need": "99999", "decision": "approve"}).status_code == 404
    db.session.refresh(need)
    assert need.status == NeedStatus.SUBMITTED


# --- standings and assignments: one need at a time -----------------------------------------------------------

@pytest.fixture
def reviewed(db, edition, make_need, make_bid):
    """The edition in online review with `n` needs of two bids each."""
    from contest.domain.states import EditionStage

    def make(n: int):
        edition.stage = EditionStage.ONLINE_REVIEW
        made = [make_need(status=NeedStatus.IN_REVIEW, name=f"评审中需求 {i}") for i in range(n)]
        for need in made:
            make_bid(need=need), make_bid(need=need)
        db.session.flush()
        return made
    return make


def bids_of(db, need) -> set[int]:
    return set(db.session.scalars(sa.select(Bid.id).where(Bid.need_id == need.id)))


def bid_rows(page: str) -> set[int]:
    return {int(b) for b in re.findall(r'<tr data-bid="(\d+)"', page)}


@pytest.mark.parametrize("page", ["standings", "assignments"])
def test_standings_and_assignments_show_one_needs_bids_with_an_index(client, db, organizer, reviewed, page):
    needs = reviewed(3)
    db.session.commit()
    second = needs[1]
    shown = text(client.get(f"/organizer/editions/CIC8-NB/{page}?need={second.id}"))
    assert bid_rows(shown) == bids_of(db, second)
    assert all(f'data-index-need="{n.id}"' in shown for n in needs)           # the index names every need
    assert re.search(rf'href="[^"]*need={second.id}[^"]*"\s+aria-current="true"', shown)
    first = text(client.get(f"/organizer/editions/CIC8-NB/{page}"))             # none asked: the first need
    assert bid_rows(first) == bids_of(db, needs[0])
    filtered = text(client.get(f"/organizer/editions/CIC8-NB/{page}?q=需求 2&need={second.id}"))
    assert 'data-index-need' in filtered and f'data-index-need="{second.id}"' not in filtered
    assert bid_rows(filtered) == bids_of(db, needs[2])   # not the filtered-out one
    other_field = text(client.get(f"/organizer/editions/CIC8-NB/{page}?field=marine"))
    assert "data-index-need" not in other_field and not bid_rows(other_field)
    assert client.get(f"/organizer/editions/CIC8-NB/{page}?need=abc&field=nope").status_code == 200


@pytest.mark.parametrize("page", ["standings", "assignments"])
def test_per_need_pages_run_as_many_statements_whatever_the_edition(app, client, db, organizer, reviewed,
                                                                    count_queries, page):
    app.config["PAGE_SIZE"] = 3
    needs = reviewed(2)
    db.session.commit()
    with count_queries() as small:
        assert client.get(f"/organizer/editions/CIC8-NB/{page}?need={needs[1].id}").status_code == 200
    reviewed(6)
    db.session.commit()
    with count_queries() as large:
        page_text = text(client.get(f"/organizer/editions/CIC8-NB/{page}?need={needs[1].id}"))
    assert len(large) == len(small), "\n\n".join(large)
    assert len(re.findall(r'data-index-need="', page_text)) == 3                 # a page of the index
    assert len(bid_rows(page_text)) == 2                                         # one need's bids


def test_adjusting_a_needs_judges_comes_back_to_that_need(client, db, organizer, reviewed, make_user):
    needs = reviewed(2)
    judge = make_user(Role.JUDGE)
    db.session.commit()
    bid = sorted(bids_of(db, needs[1]))[0]
    response = client.post("/organizer/editions/CIC8-NB/assignments/add", data={"bid_id": str(bid),
                                                                               "judge_id": str(judge.id)})
    assert response.status_code == 302 and f"need={needs[1].id}" in response.headers["Location"]
    page = text(client.get(response.headers["Location"]))
    assert judge.display_name in page and bid_rows(page) == bids_of(db, needs[1])
