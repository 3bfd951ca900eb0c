"""CIC8-NB's on-site final: panels, on-site sheets, the firms' decisions and the published results."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..domain.rubric import Round
from ..domain.states import BidStatus, NeedStatus
from ..extensions import db
from ..models import Bid, Edition, Need, Team, User
from ..services.judging.judges import expertise_of
from ..services.judging.panels import confirm_winner, decline, panel_candidates, set_panel
from ..services.judging.rubrics import rubric_for
from ..services.judging.scoring import save_sheet
from ..services.judging.stages import objection_deadline, publish_results
from .judging_data import (
    CONFIRM_FIRST,
    DECLINED,
    FINAL_DAY,
    FIRM_COMMENTS,
    GRADES,
    ONSITE_COMMENTS,
    PANELS_AT,
    RESULTS_AT,
    STEP,
)
from .scores import as_text, comment, judge_rng, sheet_points

PANEL_EXPERTS = 3
ROOMS = 5            # needs judged in parallel on the final day, in sessions of two hours
PITCH_MINUTES = 25

Clock = Callable[[datetime], datetime]


class Labels:
    """Natural keys of the edition's needs and bids: need key, team username, firm username."""

    def __init__(self, needs: dict[str, Need], teams: dict[str, Team], firms: dict[str, str]) -> None:
        self.need_key = {n.id: key for key, n in needs.items()}
        self.team_name = {t.id: username for username, t in teams.items()}
        self.firm = {n.id: firms[key] for key, n in needs.items()}

    def bid(self, bid: Bid) -> tuple[str, str]:
        return self.need_key[bid.need_id], self.team_name[bid.team_id]


def run_final(edition: Edition, labels: Labels, users: dict[str, User], at: Clock) -> list[str]:
    """Panels, on-site sheets, the firms' confirmations (one decline) and the results; the summary lines."""
    finals = list(db.session.scalars(
        sa.select(Need).where(Need.edition_id == edition.id, Need.status == NeedStatus.FINAL).order_by(Need.id)))
    panels = _panels(finals, labels, users, at)
    sheets = _onsite_round(edition, finals, panels, labels, at)
    confirmed = declined = 0
    for i, need in enumerate(finals):
        firm_user = users[labels.firm[need.id]]
        moment = at(CONFIRM_FIRST + timedelta(days=i // 7, hours=i % 7, minutes=(13 * i) % 60))
        if labels.need_key[need.id] == DECLINED[0]:
            decline(need, firm_user, DECLINED[1], moment)
            declined += 1
        else:
            confirm_winner(need, firm_user, moment)
            confirmed += 1
    publish_results(edition, users["organizer"], at(RESULTS_AT))
    return [
        f"{edition.code} 现场赛：{len(finals)} 个现场评审组（{PANEL_EXPERTS} 位专家 + 企业代表），"
        f"提交现场评分表 {sheets} 份；企业确认优胜团队 {confirmed} 个，不予确认 {declined} 个",
        f"{edition.code} 结果公示：{RESULTS_AT + timedelta(hours=8):%Y-%m-%d %H:%M} 发布，"
        f"异议期至 {objection_deadline(edition)}",
    ]


def _panels(finals: list[Need], labels: Labels, users: dict[str, User], at: Clock) -> dict[int, list[User]]:
    """Each finalist need's panel: three unconflicted experts (in-field first, the least used first) and the
    need's firm user as its representative."""
    panels: dict[int, list[User]] = {}
    load: Counter[int] = Counter()
    fields: dict[int, frozenset] = {}
    for i, need in enumerate(finals):
        candidates, _firm_users = panel_candidates(need)
        free = [c.user for c in candidates if not c.conflicted]
        fields.update(expertise_of([j.id for j in free if j.id not in fields]))
        free.sort(key=lambda j: (need.field not in fields[j.id], load[j.id], j.id))
        experts = free[:PANEL_EXPERTS]
        representative = users[labels.firm[need.id]]
        at(PANELS_AT + i * 3 * STEP)
        set_panel(need, users["organizer"], [j.id for j in experts], representative.id)
        load.update(j.id for j in experts)
        panels[need.id] = [*experts, representative]
    return panels


def _onsite_round(edition: Edition, finals: list[Need], panels: dict[int, list[User]], labels: Labels,
                  at: Clock) -> int:
    """After each finalist's pitch, every panel member submits an on-site sheet for it."""
    criteria = [(c.id, c.max_points) for c in rubric_for(edition.id, Round.ONSITE).criteria]
    count = 0
    for i, need in enumerate(finals):
        start = FINAL_DAY + timedelta(hours=2 * (i // ROOMS))
        finalists = db.session.scalars(
            sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.FINALIST).order_by(Bid.submitted_at))
        for f, bid in enumerate(finalists):
            need_key, team = labels.bid(bid)
            online, onsite = GRADES[(need_key, team)]
            pitch_end = start + timedelta(minutes=PITCH_MINUTES * (f + 1))
            for m, member in enumerate(panels[need.id]):
                rng = judge_rng(edition.code, Round.ONSITE.value, need_key, team, member.username)
                points = sheet_points(criteria, onsite if onsite is not None else online, rng)
                representative = m == len(panels[need.id]) - 1
                text = rng.choice(FIRM_COMMENTS) if representative else comment(
                    sum(points.values()), ONSITE_COMMENTS, rng)
                save_sheet(judge=member, bid=bid, round_=Round.ONSITE, points=as_text(points), comment=text,
                           version=None, submit=True, now=at(pitch_end + (m + 1) * 2 * STEP))
                count += 1
    return count
