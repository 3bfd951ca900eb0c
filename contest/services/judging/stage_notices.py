"""Telling people of a stage change (contest/services/judging/stages.py): the needs and bids in review, the
finalists, the published results. A stage change moves up to 20,000 bids of 2,000 needs: the people told are
found in a fixed number of statements (the firms of every need at once, the teams of every bid at once)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...domain.refusals.marker import N_
from ...domain.states import BidStatus
from ...extensions import db
from ...models import Bid, Edition, Need, User
from .. import notify
from ..notify import Told
from .standings import BidStanding, NeedStanding

if TYPE_CHECKING:
    from .stages import ReviewOpening

# Written on a need still waiting for screening when bidding closes (kept in Chinese on the need's review).
CLOSED_UNSCREENED = N_("揭榜已截止，该需求未完成甄别，本届不再发布")


def _to_firms(needs: Iterable[Need], firms: dict[int, list[User]], params: Callable[[Need], dict],
              endpoint: str = "firm.need") -> list[Told]:
    """Each member account of each need's firm, with the need's name and its own parameters."""
    return [Told(user, {"need": need.name, **params(need)}, notify.path(endpoint, need_id=need.id))
            for need in needs for user in firms.get(need.firm_org_id, [])]


def _to_teams(bids: Iterable[tuple[Bid, Need]], params: Callable[[Bid, Need], dict]) -> list[Told]:
    """The team of each bid (its owner account), with the need's name and the bid's own parameters."""
    bids = list(bids)
    owners = notify.audience.teams_of([b for b, _ in bids])
    return [Told(owners[b.id], {"need": need.name, **params(b, need)}, notify.path("team.bid", bid_id=b.id))
            for b, need in bids if b.id in owners]


def review_opened(edition: Edition, opening: ReviewOpening, now: datetime) -> None:
    """The firms hear that their needs went to review (with the number of bids), failed for want of a bid, or were
    closed unscreened; the teams that their bids are in the anonymous review."""
    in_review = {n.id: n for n in opening.to_review}
    bids = db.session.execute(
        sa.select(Bid.id, Bid.team_id, Bid.need_id).where(Bid.need_id.in_(list(in_review)),
                                                          Bid.status == BidStatus.SUBMITTED).order_by(Bid.id)
    ).all() if in_review else []
    counts = Counter(b.need_id for b in bids)
    firms = notify.audience.firms(n.firm_org_id for n in (*opening.to_review, *opening.to_fail, *opening.waiting))
    common = {"edition": edition.name, "due": edition.review_end.isoformat()}
    tell = notify.tell_all
    tell("need.in_review", _to_firms(opening.to_review, firms, lambda n: {**common, "count": counts[n.id]}), now=now)
    tell("bid.in_review", _to_teams(((b, in_review[b.need_id]) for b in bids), lambda b, n: common), now=now)
    tell("need.failed", _to_firms(opening.to_fail, firms, lambda n: {"reason": _l("揭榜截止时无人揭榜")}), now=now)
    tell("need.rejected", _to_firms(opening.waiting, firms, lambda n: {"comment": _l(CLOSED_UNSCREENED)}), now=now)


def finalists_named(edition: Edition, chosen: list[tuple[Bid, Need]], others: list[tuple[Bid, Need]],
                    final_needs: list[tuple[Need, int]], failed_needs: list[Need], now: datetime) -> None:
    """Each team hears whether its bid is a finalist; each firm how many finalists its need has, or that it
    failed (no bid reached the qualifying score)."""
    when = {"final_date": edition.final_date.isoformat()}
    notify.tell_all("bid.finalist", _to_teams(chosen, lambda b, n: when), now=now)
    notify.tell_all("bid.not_finalist", _to_teams(others, lambda b, n: {}), now=now)
    firms = notify.audience.firms(n.firm_org_id for n in (*(n for n, _ in final_needs), *failed_needs))
    count = {n.id: k for n, k in final_needs}
    notify.tell_all("need.finalists", _to_firms([n for n, _ in final_needs], firms,
                                                lambda n: {**when, "count": count[n.id]}, "firm.ranking"), now=now)
    failed = {"reason": _l("没有达到入围分数线的挑战报告")}
    notify.tell_all("need.failed", _to_firms(failed_needs, firms, lambda n: failed), now=now)


class _Lines:
    """Lines written in the recipient's language: each one is translated when the message is (a lazy text)."""

    def __init__(self, lines: list) -> None:
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(str(line) for line in self.lines)


def _score(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _own_outcome(b: BidStanding):
    """A team's own result as its pages say it (organizer/results/_macros.html own_result): its rank and score,
    nothing of the other bids."""
    if b.finalist and b.rank is not None:
        if b.bid.status == BidStatus.WINNER:
            return _l("优胜团队（挑战第一名）：现场赛第 %(n)s 名 · 最终得分 %(s)s", n=b.rank.rank, s=_score(b.final))
        return _l("现场赛第 %(n)s 名 · 最终得分 %(s)s", n=b.rank.rank, s=_score(b.final))
    if b.online_rank is not None:
        return _l("初评第 %(n)s 名 · 初评得分 %(s)s", n=b.online_rank.rank, s=_score(b.online))
    if b.bid.identity_disclosed_at is not None:
        return _l("身份已披露，退出初评")
    if b.not_ranked:
        return _l("有效评分表 %(n)s 份，不参与排名", n=b.online_sheets)
    return _l("未参与排名")


def _need_ranking(standing: NeedStanding) -> _Lines:
    """A need's published ranking as its firm reads it: the finalists in order, with their scores."""
    lines = []
    for b in standing.finalists:
        rank = b.rank.rank if b.rank is not None else "—"
        if b.bid.status == BidStatus.WINNER:
            lines.append(_l("第 %(n)s 名：%(team)s，最终得分 %(s)s（优胜团队）", n=rank, team=b.bid.team.name,
                            s=_score(b.final)))
        else:
            lines.append(_l("第 %(n)s 名：%(team)s，最终得分 %(s)s", n=rank, team=b.bid.team.name, s=_score(b.final)))
    return _Lines(lines or [_l("无团队入围现场赛，该需求已流榜。")])


def results_published(edition: Edition, standings: list[NeedStanding], now: datetime) -> None:
    """At publication, and not before: each team hears its own bids' results, each firm its needs' rankings, from
    the standings frozen at that moment."""
    common = {"edition": edition.name}
    results = {b.bid.id: b for s in standings for b in s.bids}
    own = {bid_id: _own_outcome(b) for bid_id, b in results.items()}
    notify.tell_all("results.team", _to_teams(((b.bid, s.need) for s in standings for b in s.bids),
                                              lambda bid, n: {**common, "outcome": own[bid.id]}), now=now)
    firms = notify.audience.firms(s.need.firm_org_id for s in standings)
    ranking = {s.need.id: _need_ranking(s) for s in standings}
    notify.tell_all("results.firm", _to_firms([s.need for s in standings], firms,
                                           lambda n: {**common, "ranking": ranking[n.id]}, "firm.ranking"), now=now)
