"""The role home pages lead: each lists what its user must do next, soonest deadline first, with the deadline, a
count and a link to the page that does it; what is done is left out, finished editions fold away, and each home
runs the same number of statements whatever the amount of data."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest

from contest.domain.contracts import ContractStatus
from contest.domain.rubric import Round
from contest.domain.states import BidStatus, EditionStage, NeedStatus, ObjectionStatus, Role, SheetStatus
from contest.models import Assignment, Contract, Edition, Objection, PanelMember, ScoreSheet

NOW = datetime(2026, 3, 10, 2, 0)   # the app fixture's frozen clock: 10:00 Beijing
_codes = count(1)


@pytest.fixture
def make_edition(db):
    """An edition at a stage, with its calendar shifted by `days` from the `edition` fixture's."""
    def make(stage: EditionStage, days: int = 0, **kw) -> Edition:
        n = next(_codes)
        shift = timedelta(days=days)
        values = dict(code=f"T{n}-NB", name=f"测试届次{n}", year=2020 + n, collection_start=date(2026, 2, 1) + shift,
                      collection_end=date(2026, 3, 31) + shift, bidding_deadline=datetime(2026, 4, 30, 9, 0) + shift,
                      review_start=date(2026, 5, 6) + shift, review_end=date(2026, 5, 20) + shift,
                      final_date=date(2026, 6, 10) + shift, results_date=date(2026, 6, 20) + shift, stage=stage)
        values.update(kw)
        edition = Edition(**values)
        db.session.add(edition)
        db.session.flush()
        return edition
    return make


def todo_rows(html: str) -> list[tuple[str, str]]:
    """The to-do rows of a page in order: (key, the row's HTML)."""
    return re.findall(r'<(?:tr|li)[^>]*data-todo="([^"]+)"[^>]*>(.*?)</(?:tr|li)>', html, re.S)


def row_count(row: str) -> int:
    return int(re.search(r"data-todo-count>\s*(\d+)\s*<", row).group(1))


def before_details(html: str) -> str:
    return html.split("<details", 1)[0]


def inside_details(html: str) -> str:
    return html.split("<details", 1)[1].split("</details>", 1)[0] if "<details" in html else ""


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- judge --------------------------------------------------------------------------------------------------------

def judge_world(db, make_user, make_edition, make_need, make_bid, judge=None, bids: int = 3):
    """A judge with sheets due: `bids` online bids in an edition in review (one already submitted), the panel of a
    final sooner than that review's end, and an assignment in an edition whose results are out."""
    judge = judge or make_user(Role.JUDGE)
    review = make_edition(EditionStage.ONLINE_REVIEW)                  # review ends 2026-05-20
    final = make_edition(EditionStage.FINAL, days=-60)                 # final on 2026-04-11
    past = make_edition(EditionStage.RESULTS, days=-365, results_published_at=datetime(2025, 6, 20))
    in_review = make_need(status=NeedStatus.IN_REVIEW, edition_id=review.id, name="在评需求")
    online = [make_bid(need=in_review) for _ in range(bids)]
    for bid in online:
        db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.add(ScoreSheet(round=Round.ONLINE, bid_id=online[0].id, judge_id=judge.id,
                              status=SheetStatus.SUBMITTED, submitted_at=NOW))
    final_need = make_need(status=NeedStatus.FINAL, edition_id=final.id, name="现场赛需求")
    for _ in range(2):
        make_bid(need=final_need, status=BidStatus.FINALIST)
    db.session.add(PanelMember(need_id=final_need.id, user_id=judge.id))
    old_need = make_need(status=NeedStatus.AWARDED, edition_id=past.id, name="往届需求")
    old_bid = make_bid(need=old_need, status=BidStatus.WINNER)
    db.session.add(Assignment(bid_id=old_bid.id, judge_id=judge.id))
    db.session.flush()
    return judge, online, final_need, old_bid


def test_judge_home_lists_the_sheets_due_soonest_first_and_folds_finished_rounds(
        client, db, login, make_user, make_edition, make_need, make_bid):
    judge, online, final_need, old_bid = judge_world(db, make_user, make_edition, make_need, make_bid)
    login(judge)
    html = page(client, "/judge/")
    rows = todo_rows(html)
    assert [key for key, _ in rows] == ["judge.panel", "judge.online"]      # the final (11 Apr) before 20 May
    panel, sheets = rows[0][1], rows[1][1]
    assert row_count(panel) == 2 and "2026-04-11" in panel and f'href="/judge/panels/{final_need.id}"' in panel
    assert row_count(sheets) == 2 and "2026-05-20" in sheets and f'href="/judge/online/{online[1].id}"' in sheets
    # the finished edition's assignment is there, folded inside a closed <details>
    assert f"/judge/online/{old_bid.id}" not in before_details(html)
    assert f"/judge/online/{old_bid.id}" in inside_details(html)
    assert "<details open" not in html


def test_judge_home_omits_what_is_done(client, db, login, make_user, make_edition, make_need, make_bid):
    judge, online, final_need, _ = judge_world(db, make_user, make_edition, make_need, make_bid, bids=1)
    login(judge)
    html = page(client, "/judge/")
    assert [key for key, _ in todo_rows(html)] == ["judge.panel"]      # its one online sheet is in
    assert "目前没有待提交的评分表" not in html


# --- team ---------------------------------------------------------------------------------------------------------

def test_team_home_lists_open_reports_and_results_soonest_first(
        client, db, login, make_user, make_team, make_edition, make_need, make_bid, edition):
    user = make_user(Role.TEAM)
    team = make_team(user=user)
    sooner = make_edition(EditionStage.OPEN, days=-20)                     # bidding closes 10 Apr
    draft = make_bid(need=make_need(edition_id=edition.id, name="草稿需求"), team=team, status=BidStatus.DRAFT)
    submitted = make_bid(need=make_need(edition_id=sooner.id, name="已交需求"), team=team)
    make_bid(need=make_need(edition_id=edition.id, name="撤回需求"), team=team, status=BidStatus.WITHDRAWN)
    closed = make_edition(EditionStage.OPEN, days=-60)                     # bidding closed on 1 Mar
    make_bid(need=make_need(edition_id=closed.id, name="已截止需求"), team=team)
    published = make_edition(EditionStage.RESULTS, days=-300, results_published_at=NOW - timedelta(days=1))
    make_bid(need=make_need(status=NeedStatus.AWARDED, edition_id=published.id, name="已公示需求"), team=team,
             status=BidStatus.NOT_SELECTED)
    login(user)
    html = page(client, "/team/")
    rows = todo_rows(html)
    assert [key for key, _ in rows] == ["team.results", "team.submitted", "team.draft"]
    results, open_bid, own_draft = (r for _, r in rows)
    assert row_count(results) == 1 and f'href="/results/{published.code}"' in results
    assert "2026-03-14" in results                                          # published 9 Mar + 5 days
    assert "已交需求" in open_bid and "2026-04-10" in open_bid and f"/team/bids/{submitted.id}/edit" in open_bid
    assert "草稿需求" in own_draft and "2026-04-30" in own_draft and f"/team/bids/{draft.id}/edit" in own_draft
    assert "撤回需求" not in " ".join(r for _, r in rows) and "已截止需求" not in " ".join(r for _, r in rows)


def test_team_home_counts_objections_awaiting_a_ruling(client, db, login, make_user, make_team, make_edition,
                                                       make_need, make_bid):
    user = make_user(Role.TEAM)
    team = make_team(user=user)
    past = make_edition(EditionStage.RESULTS, days=-300, results_published_at=datetime(2025, 6, 1))
    need = make_need(status=NeedStatus.AWARDED, edition_id=past.id)
    bid = make_bid(need=need, team=team, status=BidStatus.WINNER)
    filer = make_user(Role.FIRM)
    for status in (ObjectionStatus.PENDING, ObjectionStatus.REJECTED):
        ruled = {} if status == ObjectionStatus.PENDING else {"ruled_by_id": filer.id, "ruled_at": datetime(2025, 6, 4)}
        db.session.add(Objection(edition_id=past.id, need_id=need.id, bid_id=bid.id, filed_by_id=filer.id,
                                 reason="理由", filed_at=datetime(2025, 6, 3), status=status,
                                 ruling_reason="" if not ruled else "不成立", **ruled))
    login(user)
    rows = todo_rows(page(client, "/team/"))
    assert [key for key, _ in rows] == ["team.objections"]
    assert row_count(rows[0][1]) == 1 and 'href="/team/objections"' in rows[0][1]


# --- firm ---------------------------------------------------------------------------------------------------------

def make_contract(db, need, bid, status: ContractStatus, **kw) -> Contract:
    issued = status != ContractStatus.DRAFT
    contract = Contract(edition_id=need.edition_id, need_id=need.id, bid_id=bid.id, status=status,
                        project_name=need.name, party_a=json.dumps({"name": "甲"}), party_b=json.dumps({"name": "乙"}),
                        total_amount=Decimal("1000000.00"), sequence=need.id if issued else None,
                        number=f"T-{need.id}" if issued else None,
                        pdf_sha256=hashlib.sha256(b"x").hexdigest() if issued else None, **kw)
    db.session.add(contract)
    db.session.flush()
    return contract


def firm_world(db, make_user, make_edition, make_need, make_bid, edition, firm=None):
    firm = firm or make_user(Role.FIRM)
    returned = make_need(status=NeedStatus.RETURNED, firm=firm, name="退回需求")
    draft = make_need(status=NeedStatus.DRAFT, firm=firm, name="草稿需求")
    final = make_edition(EditionStage.FINAL, days=-60)                      # results on 21 Apr
    to_confirm = make_need(status=NeedStatus.FINAL, firm=firm, edition_id=final.id, name="待确认需求")
    for _ in range(2):                                   # the firm's account sits on its panel, nothing scored yet
        make_bid(need=to_confirm, status=BidStatus.FINALIST)
    db.session.add(PanelMember(need_id=to_confirm.id, user_id=firm.id, firm_representative=True))
    awarded = make_need(status=NeedStatus.AWARDED, firm=firm, edition_id=final.id, name="签约需求")
    contract = make_contract(db, awarded, make_bid(need=awarded, status=BidStatus.WINNER), ContractStatus.ISSUED,
                             sign_date=date(2026, 7, 1))
    published = make_need(firm=firm, name="揭榜中需求")
    for status in (BidStatus.SUBMITTED, BidStatus.SUBMITTED, BidStatus.DRAFT, BidStatus.WITHDRAWN):
        make_bid(need=published, status=status)
    signed = make_need(status=NeedStatus.AWARDED, firm=firm, edition_id=final.id, name="已签需求")
    make_contract(db, signed, make_bid(need=signed, status=BidStatus.WINNER), ContractStatus.SIGNED)
    return firm, returned, draft, to_confirm, contract, published


def test_firm_lands_on_its_home_which_leads(client, db, login, make_user, make_edition, make_need, make_bid, edition):
    firm, returned, draft, to_confirm, contract, published = firm_world(db, make_user, make_edition, make_need,
                                                                        make_bid, edition)
    login(firm)
    assert client.get("/auth/me").headers["Location"].endswith("/firm/")
    html = page(client, "/firm/")
    nav = html.split("</nav>", 1)[0]
    assert 'href="/firm/"' in nav and "工作台" in nav and 'href="/firm/needs"' in nav and "我的需求" in nav
    rows = todo_rows(html)
    # drafts by the end of collection (31 Mar), the representative's sheets on the final's day (11 Apr), the ranking
    # before the results (21 Apr), returned needs before bidding closes (30 Apr), the contract by its signing date
    assert [key for key, _ in rows] == ["firm.draft", "firm.panel", "firm.confirm", "firm.returned",
                                        "firm.contract_issued"]
    by_key = dict(rows)
    assert row_count(by_key["firm.panel"]) == 2 and f'href="/judge/panels/{to_confirm.id}"' in by_key["firm.panel"]
    assert f'href="/firm/needs/{draft.id}"' in by_key["firm.draft"] and "2026-03-31" in by_key["firm.draft"]
    assert f'href="/firm/needs/{to_confirm.id}/ranking"' in by_key["firm.confirm"]
    assert "2026-04-21" in by_key["firm.confirm"]
    assert f'href="/firm/needs/{returned.id}/edit"' in by_key["firm.returned"]
    assert "2026-04-30 17:00" in by_key["firm.returned"]                     # Beijing time
    assert f'href="/firm/needs/{contract.need_id}"' in by_key["firm.contract_issued"]
    assert "已签需求" not in html                                            # signed: done
    published_row = re.search(rf'data-published="{published.id}"(.*?)</tr>', html, re.S).group(1)
    assert re.search(r"data-bid-count>\s*2\s*<", published_row)              # drafts and withdrawn do not count


def test_a_published_need_page_shows_its_count_of_reports(client, db, login, make_user, make_need, make_bid):
    firm = make_user(Role.FIRM)
    need = make_need(firm=firm)
    for status in (BidStatus.SUBMITTED, BidStatus.DRAFT):
        make_bid(need=need, status=status)
    login(firm)
    text = re.sub(r"<[^>]+>", " ", page(client, f"/firm/needs/{need.id}"))
    assert re.search(r"已收到挑战报告\s+1\b", text)


def test_firm_home_groups_several_needs_of_an_edition(client, db, login, make_user, make_need):
    firm = make_user(Role.FIRM)
    for n in range(3):
        make_need(status=NeedStatus.RETURNED, firm=firm, name=f"退回{n}")
    login(firm)
    rows = todo_rows(page(client, "/firm/"))
    assert [key for key, _ in rows] == ["firm.returned"]
    assert row_count(rows[0][1]) == 3 and 'href="/firm/needs"' in rows[0][1]


# --- organizer ----------------------------------------------------------------------------------------------------

def organizer_world(db, make_user, make_edition, make_need, make_bid, edition, scale: int = 1):
    for _ in range(2 * scale):
        make_need(status=NeedStatus.SUBMITTED)
    review = make_edition(EditionStage.ONLINE_REVIEW, days=-10)
    judge = make_user(Role.JUDGE)
    need = make_need(status=NeedStatus.IN_REVIEW, edition_id=review.id)
    for _ in range(3 * scale):
        db.session.add(Assignment(bid_id=make_bid(need=need).id, judge_id=judge.id))
    objected = make_edition(EditionStage.RESULTS, days=-300, results_published_at=datetime(2025, 6, 1))
    awarded = make_need(status=NeedStatus.AWARDED, edition_id=objected.id)
    winner = make_bid(need=awarded, status=BidStatus.WINNER)
    filer = make_user(Role.TEAM)
    for _ in range(scale):
        db.session.add(Objection(edition_id=objected.id, need_id=awarded.id, bid_id=winner.id, filed_by_id=filer.id,
                                 reason="理由", filed_at=datetime(2025, 6, 3), status=ObjectionStatus.PENDING,
                                 ruling_reason=""))
    make_contract(db, awarded, winner, ContractStatus.DRAFT)
    done = make_edition(EditionStage.RESULTS, days=-700, results_published_at=datetime(2024, 6, 1))
    for _ in range(scale):
        signed = make_need(status=NeedStatus.AWARDED, edition_id=done.id)
        make_contract(db, signed, make_bid(need=signed, status=BidStatus.WINNER), ContractStatus.SIGNED)
    db.session.flush()
    return review, objected, done


def edition_card(html: str, code: str) -> str:
    return re.search(rf'<section class="card mb-3" id="edition-{code}">(.*?)</section>', html, re.S).group(1)


def test_organizer_home_shows_each_editions_next_step_and_blockers(client, db, login, make_user, make_edition,
                                                                     make_need, make_bid, edition):
    review, objected, done = organizer_world(db, make_user, make_edition, make_need, make_bid, edition)
    login(make_user(Role.ORGANIZER))
    html = page(client, "/organizer/")
    live = before_details(html)
    open_card = edition_card(live, edition.code)
    assert 'data-next-step="organizer.open_review"' in open_card
    [(key, row)] = todo_rows(open_card)
    assert key == "organizer.needs_waiting" and row_count(row) == 2
    assert f'href="/organizer/queue?edition={edition.code}"' in row and "2026-04-30 17:00" in row
    review_card = edition_card(live, review.code)
    assert 'data-next-step="organizer.finalists"' in review_card
    [(key, row)] = todo_rows(review_card)
    assert key == "organizer.sheets_missing" and row_count(row) == 3
    assert f'href="/organizer/editions/{review.code}/progress"' in row
    objected_card = edition_card(live, objected.code)
    assert "data-next-step" not in objected_card
    assert [k for k, _ in todo_rows(objected_card)] == ["organizer.objections", "organizer.contracts_unsigned"]
    assert f'href="/organizer/editions/{objected.code}/objections"' in objected_card
    assert f'href="/organizer/editions/{objected.code}/contracts"' in objected_card
    # the finished edition (results out long ago, every contract signed) is folded away, closed
    assert f'id="edition-{done.code}"' not in live
    assert f'id="edition-{done.code}"' in inside_details(html) and "<details open" not in html


def test_organizer_home_lists_blockers_soonest_first(client, db, login, make_user, make_edition, make_need, make_bid):
    final = make_edition(EditionStage.FINAL)
    panel_less = make_need(status=NeedStatus.FINAL, edition_id=final.id)       # no panel: due by the final
    with_panel = make_need(status=NeedStatus.FINAL, edition_id=final.id)       # the firm decides: by the results
    judge = make_user(Role.JUDGE)
    db.session.add(PanelMember(need_id=with_panel.id, user_id=judge.id))
    make_bid(need=panel_less, status=BidStatus.FINALIST)
    login(make_user(Role.ORGANIZER))
    card = edition_card(page(client, "/organizer/"), final.code)
    assert 'data-next-step="organizer.publish"' in card
    rows = todo_rows(card)
    assert [k for k, _ in rows] == ["organizer.panels_missing", "organizer.firm_decisions"]
    assert "2026-06-10" in rows[0][1] and "2026-06-20" in rows[1][1]
    assert all(row_count(r) == 1 for _, r in rows)


# --- constant statements ------------------------------------------------------------------------------------------

def statements(client, count_queries, url: str) -> int:
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_home_runs_the_same_statements_with_more_data(client, db, login, make_user, make_team, make_edition,
                                                           make_need, make_bid, edition, count_queries):
    judge = make_user(Role.JUDGE)
    judge_world(db, make_user, make_edition, make_need, make_bid, judge=judge)
    firm = make_user(Role.FIRM)
    firm_world(db, make_user, make_edition, make_need, make_bid, edition, firm=firm)
    team_user = make_user(Role.TEAM)
    team = make_team(user=team_user)
    make_bid(need=make_need(), team=team, status=BidStatus.DRAFT)
    organizer = make_user(Role.ORGANIZER)
    organizer_world(db, make_user, make_edition, make_need, make_bid, edition)
    homes = [(judge, "/judge/"), (firm, "/firm/"), (team_user, "/team/"), (organizer, "/organizer/")]
    before = {}
    for user, url in homes:
        login(user)
        before[url] = statements(client, count_queries, url)

    judge_world(db, make_user, make_edition, make_need, make_bid, judge=judge, bids=6)
    firm_world(db, make_user, make_edition, make_need, make_bid, edition, firm=firm)
    for _ in range(4):
        make_bid(need=make_need(), team=team, status=BidStatus.DRAFT)
        make_bid(need=make_need(), team=team)
    organizer_world(db, make_user, make_edition, make_need, make_bid, edition, scale=3)
    after = {}
    for user, url in homes:
        login(user)
        after[url] = statements(client, count_queries, url)
    assert after == before
