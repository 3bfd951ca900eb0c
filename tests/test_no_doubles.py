"""No doubles: parallel or replayed submissions make one record, and every copy is sent to it.

The races run for real: gunicorn with two workers of five threads each, on a throwaway PostgreSQL cluster
whatever CONTEST_TEST_DB is, and on a SQLite file; ten copies of one request are released together by a
barrier. The replays (a copy sent after the first one succeeded) and the compare-and-set behind the firm's
decision are also checked in-process, on the suite's database.
"""
from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from contest.domain.states import BidStatus, EditionStage, FirmDecision, NeedStatus, Role
from contest.models import Bid, FirmConfirmation, FormSubmission, Need
from contest.services.judging import panels
from contest.services.judging.rubrics import ensure_default_rubrics

from .conftest import PDF
from .races import BID_FORM, NEED_FORM, Browser, at_once, csrf_token, hidden, served
from .test_firm import form_data
from .test_standings import finals
from .test_team import MULTIPART, bid_form, uploaded_files

COPIES = 10


def text(response) -> str:
    return response.get_data(as_text=True)


def key_of(response) -> str:
    return hidden(text(response), "submission_key")


# --- replays, in-process ---------------------------------------------------------------------------------------

def test_a_replayed_need_form_makes_one_need_and_the_replay_is_sent_to_it(client, db, edition, make_user, login):
    login(make_user(Role.FIRM))
    key = key_of(client.get("/firm/needs/new"))
    posted = form_data(edition=str(edition.id), submission_key=key)
    first = client.post("/firm/needs/new", data=posted)
    assert first.status_code == 302
    replay = client.post("/firm/needs/new", data=posted)
    assert replay.status_code == 303 and replay.headers["Location"] == first.headers["Location"]
    assert "该表单已经提交过" in text(client.get(replay.headers["Location"]))
    assert len(db.session.scalars(sa.select(Need)).all()) == 1
    # The form rendered again is a new form: it makes a second need.
    other = form_data(edition=str(edition.id), submission_key=key_of(client.get("/firm/needs/new")))
    again = client.post("/firm/needs/new", data=other)
    assert again.status_code == 302 and again.headers["Location"] != first.headers["Location"]
    assert len(db.session.scalars(sa.select(Need)).all()) == 2


def test_each_rendering_of_a_form_has_its_own_key(client, db, make_need, make_team, login):
    login(make_team().owner)
    need = make_need()
    db.session.commit()
    keys = {key_of(client.get(f"/team/needs/{need.id}/bid")) for _ in range(3)}
    assert len(keys) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)


def test_a_replayed_bid_form_makes_one_bid_and_keeps_one_file(app, client, db, make_need, make_team, login):
    team = make_team()
    login(team.owner)
    need = make_need()
    db.session.commit()
    key = key_of(client.get(f"/team/needs/{need.id}/bid"))
    first = client.post(f"/team/needs/{need.id}/bid", data=bid_form(submission_key=key), content_type=MULTIPART)
    assert first.status_code == 302
    replay = client.post(f"/team/needs/{need.id}/bid", data=bid_form(submission_key=key), content_type=MULTIPART)
    assert replay.status_code == 303 and replay.headers["Location"] == first.headers["Location"]
    bids = db.session.scalars(sa.select(Bid).where(Bid.team_id == team.id)).all()
    assert len(bids) == 1 and first.headers["Location"].endswith(f"/team/bids/{bids[0].id}")
    assert [p.name for p in uploaded_files(app)] == [bids[0].pdf_stored_name]


def test_a_refused_submission_leaves_its_form_usable(client, db, clock, make_need, make_team, login):
    team = make_team()
    login(team.owner)
    need = make_need()
    db.session.commit()
    key = key_of(client.get(f"/team/needs/{need.id}/bid"))
    clock(datetime(2026, 4, 30, 9, 0))                       # the bidding deadline: refused, nothing kept
    refused = client.post(f"/team/needs/{need.id}/bid", data=bid_form(submission_key=key), content_type=MULTIPART)
    assert refused.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(FormSubmission.id))) == 0
    clock(datetime(2026, 3, 10, 2, 0))                        # the same form, sent again in time, is accepted
    accepted = client.post(f"/team/needs/{need.id}/bid", data=bid_form(submission_key=key), content_type=MULTIPART)
    assert accepted.status_code == 302
    assert len(db.session.scalars(sa.select(Bid).where(Bid.team_id == team.id)).all()) == 1


# --- the firm's decision, in-process ---------------------------------------------------------------------------

@pytest.fixture
def final_need(db, edition, make_need, make_bid, make_user):
    """A need in the final with complete on-site sheets and one leader; its firm representative."""
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.FINAL
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    need, (leader, second), panel = finals(db, make_need, make_bid, judges, make_user, [80, 88], [92, 80])
    db.session.commit()
    return need, leader, second, panel[-1]


def decisions(db, need) -> list[FirmConfirmation]:
    db.session.expire_all()
    return db.session.scalars(sa.select(FirmConfirmation).where(FirmConfirmation.need_id == need.id)).all()


def test_a_repeated_decision_is_sent_to_the_result(client, db, final_need, login):
    need, leader, second, firm = final_need
    login(firm)
    assert client.post(f"/firm/needs/{need.id}/confirm").status_code == 302
    for url, data in ((f"/firm/needs/{need.id}/confirm", {}), (f"/firm/needs/{need.id}/decline", {"reason": "不合适"})):
        again = client.post(url, data=data)
        assert again.status_code == 303 and again.headers["Location"].endswith(f"/firm/needs/{need.id}/ranking")
        assert "该需求的结果已经确定，无需重复提交" in text(client.get(again.headers["Location"]))
    [decision] = decisions(db, need)
    assert (decision.decision, decision.bid_id) == (FirmDecision.CONFIRM, leader.id)
    assert (need.status, leader.status, second.status) == (NeedStatus.AWARDED, BidStatus.WINNER,
                                                           BidStatus.NOT_SELECTED)


def test_a_decision_that_read_the_need_before_another_was_committed_changes_nothing(app, db, final_need):
    """The race's loser: it saw FINAL, but the database's compare-and-set finds the need decided."""
    need, leader, second, firm = final_need
    assert need.status == NeedStatus.FINAL                   # read by this request...
    with db.engine.begin() as other:                          # ...then another request decides and commits
        other.execute(sa.update(Need.__table__).where(Need.__table__.c.id == need.id)
                      .values(status=NeedStatus.FAILED.value))
    with pytest.raises(panels.AlreadyDecided):
        panels.confirm_winner(need, firm, datetime(2026, 6, 10, 8, 0))
    db.session.rollback()
    assert decisions(db, need) == []
    assert (need.status, leader.status, second.status) == (NeedStatus.FAILED, BidStatus.FINALIST, BidStatus.FINALIST)


# --- real races: gunicorn, PostgreSQL and SQLite ---------------------------------------------------------------

@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def site(request, tmp_path_factory):
    with served(tmp_path_factory.mktemp(f"races-{request.param}"), request.param) as running:
        yield running
        log = running.log.read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]


def _statuses(answers) -> list[int]:
    return sorted(a.status for a in answers)


def test_ten_parallel_copies_of_one_bid_form_make_one_bid(site):
    browser = Browser(site.base)
    assert browser.log_in(site.world.users["bidder"]).status == 302
    need = site.world.needs["open"]
    form = browser.get(f"/team/needs/{need}/bid")
    assert form.status == 200
    before = set(os.listdir(site.uploads / "bids"))
    send = browser.copy_of(f"/team/needs/{need}/bid", {
        **BID_FORM, "csrf_token": csrf_token(form.text), "submission_key": hidden(form.text, "submission_key")},
        ("pdf", "并发报告.pdf", PDF))
    answers = at_once([send] * COPIES)
    assert site.count("SELECT count(*) FROM bid WHERE need_id = :n", n=need) == 1
    bid = site.count("SELECT id FROM bid WHERE need_id = :n", n=need)
    # The first copy answers as usual, every other one is sent to the same bid: none is an error.
    assert _statuses(answers) == [302] + [303] * (COPIES - 1), [(a.status, a.text[-300:]) for a in answers]
    assert {a.location for a in answers} == {f"/team/bids/{bid}"}
    # One stored file, the bid's: the copies that lost wrote none.
    stored = site.count("SELECT pdf_stored_name FROM bid WHERE id = :b", b=bid)
    assert set(os.listdir(site.uploads / "bids")) - before == {stored}
    page = browser.get(f"/team/bids/{bid}")
    assert page.status == 200 and "并发提交的技术路线" in page.text


def test_ten_parallel_confirmations_make_one_winner(site):
    browser = Browser(site.base)
    assert browser.log_in(site.world.users["firm"]).status == 302
    need = site.world.needs["final"]
    ranking = browser.get(f"/firm/needs/{need}/ranking")
    assert ranking.status == 200
    send = browser.copy_of(f"/firm/needs/{need}/confirm", {"csrf_token": csrf_token(ranking.text), "confirmed": "1"})
    answers = at_once([send] * COPIES)
    assert _statuses(answers) == [302] + [303] * (COPIES - 1), [(a.status, a.text[-300:]) for a in answers]
    assert {a.location for a in answers} == {f"/firm/needs/{need}/ranking"}
    count = site.count
    assert count("SELECT status FROM need WHERE id = :n", n=need) == "awarded"
    assert count("SELECT count(*) FROM bid WHERE need_id = :n AND status = 'winner'", n=need) == 1
    assert count("SELECT id FROM bid WHERE need_id = :n AND status = 'winner'", n=need) == site.world.bids["leader"]
    assert count("SELECT count(*) FROM bid WHERE need_id = :n AND status = 'not_selected'", n=need) == 1
    assert count("SELECT count(*) FROM firm_confirmation WHERE need_id = :n", n=need) == 1
    assert count("SELECT count(*) FROM contract WHERE need_id = :n", n=need) == 0
    assert count("SELECT count(*) FROM audit_event WHERE action = 'need.confirm_winner' AND object_id = :n",
                 n=need) == 1
    # the one organizer and the winning team are told once each
    assert count("SELECT count(*) FROM notice WHERE event = 'winner.confirmed'") == 2
    page = browser.get(f"/firm/needs/{need}/ranking")
    assert page.status == 200 and "为挑战第一名" in page.text


def test_ten_parallel_copies_of_one_need_form_make_one_need(site):
    browser = Browser(site.base)
    assert browser.log_in(site.world.users["firm"]).status == 302
    form = browser.get("/firm/needs/new")
    assert form.status == 200
    send = browser.copy_of("/firm/needs/new", {
        **NEED_FORM, "edition": str(site.world.editions["open"]), "csrf_token": csrf_token(form.text),
        "submission_key": hidden(form.text, "submission_key")})
    answers = at_once([send] * COPIES)
    assert site.count("SELECT count(*) FROM need WHERE name = :name", name=NEED_FORM["name"]) == 1
    need = site.count("SELECT id FROM need WHERE name = :name", name=NEED_FORM["name"])
    assert _statuses(answers) == [302] + [303] * (COPIES - 1), [(a.status, a.text[-300:]) for a in answers]
    assert {a.location for a in answers} == {f"/firm/needs/{need}"}


def test_parallel_contract_drafts_make_one_draft(site):
    browser = Browser(site.base)
    assert browser.log_in(site.world.users["organizer"]).status == 302
    page = browser.get("/organizer/editions/RACE-RESULTS/contracts")
    assert page.status == 200
    need = site.world.needs["awarded"]
    answers = at_once([browser.copy_of(f"/organizer/needs/{need}/contract",
                                       {"csrf_token": csrf_token(page.text)})] * COPIES)
    assert site.count("SELECT count(*) FROM contract WHERE need_id = :n", n=need) == 1
    contract = site.count("SELECT id FROM contract WHERE need_id = :n", n=need)
    # One draft; the copies that lost are sent on to it (303), nothing half-saved, no server error.
    assert _statuses(answers) == [302] + [303] * (COPIES - 1), [(a.status, a.text[-300:]) for a in answers]
    assert {a.location for a in answers} == {f"/organizer/contracts/{contract}"}


def test_a_replayed_payment_or_acceptance_form_is_recorded_once(client, db, clock, make_bid, make_user, login):
    from contest.domain.contracts import ContractStatus
    from contest.models import MilestoneAcceptance, Payment

    from .test_statistics import add_contract

    contract = add_contract(db, make_bid(status=BidStatus.WINNER), ContractStatus.SIGNED, "2800000.00", sequence=1)
    clock(datetime(2026, 8, 10, 2, 0))  # a month after the signing (8 July)
    login(make_user(Role.ORGANIZER))
    page = client.get(f"/organizer/contracts/{contract.id}")
    payment_key, acceptance_key = re.findall(r'name="submission_key"[^>]*value="([0-9a-f]+)"', text(page))
    for path, data, model in (
            ("payments", {"amount": "800000.00", "received_on": "2026-07-20", "bank_receipt": "HD20260720001",
                          "submission_key": payment_key}, Payment),
            ("acceptances", {"description": "样机验收", "accepted_on": "2026-08-01", "instalment_id": "0",
                             "submission_key": acceptance_key}, MilestoneAcceptance)):
        first = client.post(f"/organizer/contracts/{contract.id}/{path}", data=data)
        replay = client.post(f"/organizer/contracts/{contract.id}/{path}", data=data)
        assert first.status_code == 302 and replay.status_code == 303
        assert replay.headers["Location"] == first.headers["Location"]
        assert len(db.session.scalars(sa.select(model)).all()) == 1, path
