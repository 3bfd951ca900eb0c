"""Standings (services.standings): aggregation, not-ranked bids, normalization, final scores, tie-breaks, queries."""
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contest.domain.rubric import Round
from contest.domain.scoring import normalize_by_judge, round_half_up
from contest.domain.states import BidStatus, NeedStatus, Role, SheetStatus
from contest.models import PanelMember, ScoreItem, ScoreSheet
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for
from contest.services.judging.standings import edition_standings, need_standings

D = Decimal


def add_sheet(db, bid, judge, total, *, round_=Round.ONLINE, top=None, status=SheetStatus.SUBMITTED):
    """A score sheet whose points add up to `total`; the top criterion gets `top` points when given."""
    criteria = rubric_for(bid.need.edition_id, round_).criteria
    best = max(criteria, key=lambda c: (c.max_points, -c.position))
    left = D(str(total))
    points = {}
    if top is not None:
        points[best.id] = D(str(top))
        left -= points[best.id]
    for c in criteria:
        if c.id in points:
            continue
        given = min(left, c.max_points)
        points[c.id] = given
        left -= given
    assert left == 0, "total too high for the rubric"
    sheet = ScoreSheet(round=round_, bid_id=bid.id, judge_id=judge.id, status=status,
                       submitted_at=datetime(2026, 5, 10) if status == SheetStatus.SUBMITTED else None,
                       items=[ScoreItem(criterion_id=cid, points=p) for cid, p in points.items()])
    db.session.add(sheet)
    db.session.flush()
    return sheet


@pytest.fixture
def judges(make_user):
    return [make_user(Role.JUDGE) for _ in range(6)]


@pytest.fixture
def rubrics(db, edition):
    ensure_default_rubrics(edition)
    return edition


def scored_bid(db, make_bid, need, judges, totals, **kw):
    bid = make_bid(need=need, **kw)
    for judge, total in zip(judges, totals):
        add_sheet(db, bid, judge, total)
    return bid


def by_bid(standing):
    return {b.bid.id: b for b in standing.bids}


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_sheets(db, rubrics, make_need, make_bid, judges):
    need = make_need(status=NeedStatus.IN_REVIEW)
    five = scored_bid(db, make_bid, need, judges, [90, 80, 70, 60, 10])
    four = scored_bid(db, make_bid, need, judges, [90, 80, 70, 10])
    rows = by_bid(need_standings(need))
    assert rows[five.id].online_sheets == 5
    assert rows[five.id].online == D("70.00")          # (80 + 70 + 60) / 3
    assert rows[four.id].online == D("62.50")          # no trimming under five sheets
    assert rows[five.id].online_rank.rank == 1 and rows[four.id].online_rank.rank == 2


def test_bid_with_fewer_sheets_than_minimum_is_not_ranked_and_says_why(db, rubrics, make_need, make_bid, judges):
    need = make_need(status=NeedStatus.IN_REVIEW)
    short = scored_bid(db, make_bid, need, judges, [95, 96])
    add_sheet(db, short, judges[2], 99, status=SheetStatus.DRAFT)   # a draft never counts
    full = scored_bid(db, make_bid, need, judges, [61, 62, 63])
    rows = by_bid(need_standings(need))
    assert rows[short.id].online_sheets == 2
    assert rows[short.id].online is None and rows[short.id].online_rank is None
    assert rows[short.id].not_ranked == "有效评分表 2 份，少于 3 份，不参与排名"
    assert rows[full.id].not_ranked is None and rows[full.id].online_rank.rank == 1


def test_normalization_flag_changes_online_scores(db, rubrics, edition, make_need, make_bid, judges):
    need = make_need(status=NeedStatus.IN_REVIEW)
    harsh, lenient, third = judges[:3]
    a, b = make_bid(need=need), make_bid(need=need)
    totals = {(harsh, a): 40, (harsh, b): 50, (lenient, a): 95, (lenient, b): 90, (third, a): 70, (third, b): 60}
    for (judge, bid), total in totals.items():
        add_sheet(db, bid, judge, total)
    raw = by_bid(need_standings(need))
    assert raw[a.id].online == D("68.33") and raw[b.id].online == D("66.67")

    edition.normalize_online = True
    db.session.flush()
    normalized = by_bid(need_standings(need))
    expected = normalize_by_judge({j.id: {bid.id: D(t) for (jj, bid), t in totals.items() if jj is j}
                                   for j in (harsh, lenient, third)})
    mean_a = sum(expected[j.id][a.id] for j in (harsh, lenient, third)) / 3
    assert normalized[a.id].online == round_half_up(mean_a)
    assert normalized[a.id].online != raw[a.id].online


def finals(db, make_need, make_bid, judges, make_user, online_totals, onsite_totals, *, tops=None, submitted=None):
    """A need in the final: each finalist with three online sheets and one on-site sheet per panel member."""
    need = make_need(status=NeedStatus.FINAL)
    rep = make_user(Role.FIRM, org=need.firm)
    panel = judges[3:5] + [rep]
    for member in panel:
        db.session.add(PanelMember(need_id=need.id, user_id=member.id, firm_representative=member is rep))
    bids = []
    for i, (online, onsite) in enumerate(zip(online_totals, onsite_totals)):
        bid = scored_bid(db, make_bid, need, judges[:3], [online] * 3, status=BidStatus.FINALIST)
        if submitted:
            bid.submitted_at = submitted[i]
        for member in panel:
            add_sheet(db, bid, member, onsite, round_=Round.ONSITE, top=tops[i] if tops else None)
        bids.append(bid)
    return need, bids, panel


def test_final_score_uses_the_edition_weights(db, rubrics, edition, make_need, make_bid, make_user, judges):
    need, (bid,), _ = finals(db, make_need, make_bid, judges, make_user, [80], [90])
    standing = need_standings(need)
    assert standing.panel_complete
    row = by_bid(standing)[bid.id]
    assert (row.online, row.onsite, row.final) == (D("80.00"), D("90.00"), D("87.00"))   # 0.3×80 + 0.7×90
    edition.online_weight, edition.onsite_weight = D("0.50"), D("0.50")
    db.session.flush()
    assert by_bid(need_standings(need))[bid.id].final == D("85.00")


def test_no_onsite_or_final_score_until_the_panel_is_complete(db, rubrics, make_need, make_bid, make_user, judges):
    need, (bid,), panel = finals(db, make_need, make_bid, judges, make_user, [80], [90])
    db.session.delete(db.session.query(ScoreSheet).filter_by(bid_id=bid.id, judge_id=panel[-1].id).one())
    db.session.flush()
    standing = need_standings(need)
    row = by_bid(standing)[bid.id]
    assert not standing.panel_complete
    assert row.onsite_sheets == 2 and row.onsite is None and row.final is None and row.rank is None


def test_ties_broken_by_top_criterion_then_submission_else_flagged(db, rubrics, make_need, make_bid, make_user, judges):
    # Same online and on-site totals: the on-site top criterion (30 points) decides.
    need, (low, high), _ = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85], tops=[20, 25])
    rows = by_bid(need_standings(need))
    assert rows[high.id].rank.rank == 1 and rows[low.id].rank.rank == 2
    assert rows[high.id].rank.decided_by == "top_criterion"

    # Same everything but the submission time: the earlier bid wins.
    need, (late, early), _ = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85],
                                    submitted=[datetime(2026, 4, 2), datetime(2026, 4, 1)])
    rows = by_bid(need_standings(need))
    assert rows[early.id].rank.rank == 1 and rows[early.id].rank.decided_by == "submitted_at"

    # Same everything: shown as an unresolved tie, never resolved silently.
    need, (x, y), _ = finals(db, make_need, make_bid, judges, make_user, [80, 80], [85, 85])
    standing = need_standings(need)
    rows = by_bid(standing)
    assert rows[x.id].rank.rank == rows[y.id].rank.rank == 1
    assert rows[x.id].rank.decided_by == "unresolved" and rows[x.id].rank.tied_with == (y.id,)
    assert standing.unresolved and len(standing.leaders) == 2


def test_online_score_decides_before_onsite_in_the_final_ranking(db, rubrics, make_need, make_bid, make_user, judges):
    # Final 0.3×90 + 0.7×80 = 83 beats 0.3×60 + 0.7×90 = 81, though the on-site score is lower.
    need, (strong_online, strong_onsite), _ = finals(db, make_need, make_bid, judges, make_user, [90, 60], [80, 90])
    rows = by_bid(need_standings(need))
    assert rows[strong_online.id].final == D("83.00") and rows[strong_onsite.id].final == D("81.00")
    assert rows[strong_online.id].rank.rank == 1 and rows[strong_online.id].rank.decided_by == "score"


def _edition_with(db, make_need, make_bid, make_user, judges, n_needs):
    for _ in range(n_needs):
        need = make_need(status=NeedStatus.FINAL)
        rep = make_user(Role.FIRM, org=need.firm)
        db.session.add(PanelMember(need_id=need.id, user_id=rep.id, firm_representative=True))
        db.session.add(PanelMember(need_id=need.id, user_id=judges[4].id, firm_representative=False))
        for status in (BidStatus.FINALIST, BidStatus.NOT_SELECTED, BidStatus.SUBMITTED):
            bid = scored_bid(db, make_bid, need, judges[:3], [70, 75, 80], status=status)
            if status == BidStatus.FINALIST:
                add_sheet(db, bid, rep, 88, round_=Round.ONSITE)
                add_sheet(db, bid, judges[4], 84, round_=Round.ONSITE)
    db.session.commit()


def _read_all(standings):
    """Touch what the standings page shows: team, lead organization, firm, panel members' names."""
    for ns in standings:
        assert ns.need.firm.name
        assert all(b.bid.team.lead_org.name for b in ns.bids)
        assert all(m.user.display_name for m in ns.panel)
    return standings


@pytest.mark.parametrize("normalize", [False, True])
def test_edition_standings_take_a_constant_number_of_queries(app, db, rubrics, edition, make_need, make_bid,
                                                            make_user, judges, count_queries, normalize):
    edition.normalize_online = normalize
    _edition_with(db, make_need, make_bid, make_user, judges, 2)
    db.session.expire_all()
    with count_queries() as few:
        small = _read_all(edition_standings(edition))
    _edition_with(db, make_need, make_bid, make_user, judges, 6)
    db.session.expire_all()
    with count_queries() as many:
        large = _read_all(edition_standings(edition))
    assert len(small) == 2 and len(large) == 8
    assert all(ns.panel_complete and ns.finalists[0].final is not None for ns in large)
    if not normalize:
        assert {ns.finalists[0].final for ns in large} == {D("82.70")}   # 0.3×75 + 0.7×86
    assert len(many) == len(few) <= 8


def test_published_standings_are_frozen_as_computed(db, rubrics, edition, make_need, make_bid, make_user, judges):
    from contest.domain.states import EditionStage
    from contest.services.judging.published import freeze

    need, (bid, other), _ = finals(db, make_need, make_bid, judges, make_user, [80, 70], [90, 60])
    computed = need_standings(need)
    rows = {b.bid.id: (b.online, b.onsite, b.final, b.rank.rank, b.rank.decided_by, b.online_rank.rank)
            for b in computed.bids}
    assert rows[bid.id][2] == D("87.00") and rows[bid.id][3] == 1
    edition.stage = EditionStage.RESULTS
    assert freeze(edition, [computed], datetime(2026, 5, 20)) == 1
    # A point changed in the database after publication changes nothing that is shown: the published
    # ranking stays as it was computed (recomputing would put the other bid first).
    for item in db.session.scalars(sa.select(ScoreItem).join(ScoreSheet).where(ScoreSheet.bid_id == other.id)):
        item.points = item.points + 3
    db.session.flush()
    frozen = need_standings(need)
    assert [b.bid.id for b in frozen.bids] == [b.bid.id for b in computed.bids]
    assert {b.bid.id: (b.online, b.onsite, b.final, b.rank.rank, b.rank.decided_by, b.online_rank.rank)
            for b in frozen.bids} == rows
    assert frozen.panel_complete and frozen.leaders[0].bid.id == bid.id
    edition.stage = EditionStage.FINAL   # before publication the same data is computed afresh
    assert by_bid(need_standings(need))[other.id].online != rows[other.id][0]
