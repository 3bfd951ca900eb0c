"""CIC8-NB's on-site final: panels, on-site sheets, the firms' decisions and the published results."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain.rubric import Round
from ..domain.states import BidStatus, NeedStatus
from ..extensions import db
from ..models import Bid, Edition, Need, Team, User
from ..services.judging.judges import expertise_of
from ..services.judging.panels import confirm_winner, decline, panel_candidates, set_panel
from ..services.judging.rubrics import rubric_for
from ..services.judging.scoring import save_sheet
from ..services.judging.stages import objection_deadline, publish_results
from . import dataset
from .scores import as_text, comment, judge_rng, sheet_points

Clock = Callable[[datetime], datetime]
STEP = timedelta(minutes=1)  # between steps that follow one another in the same minute's work


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
    plan = dataset.judging()
    finals = list(db.session.scalars(
        sa.select(Need).where(Need.edition_id == edition.id, Need.status == NeedStatus.FINAL).order_by(Need.id)))
    panels = _panels(finals, labels, users, at)
    sheets = _onsite_round(edition, finals, panels, labels, at)
    confirmed = declined = 0
    for i, need in enumerate(finals):
        firm_user = users[labels.firm[need.id]]
        moment = at(plan.confirm_first + timedelta(days=i // 7, hours=i % 7, minutes=(13 * i) % 60))
        if labels.need_key[need.id] == plan.declined[0]:
            decline(need, firm_user, plan.declined[1], moment)
            declined += 1
        else:
            confirm_winner(need, firm_user, moment)
            confirmed += 1
    publish_results(edition, users["organizer"], at(plan.results_at))
    return [
        _("%(code)s 现场赛：%(panels)s 个现场评审组（%(experts)s 位专家 + 企业代表），提交现场评分表 %(sheets)s 份；"
          "企业确认优胜团队 %(confirmed)s 个，不予确认 %(declined)s 个",
          code=edition.code, panels=len(finals), experts=plan.panel_experts, sheets=sheets, confirmed=confirmed,
          declined=declined),
        _("%(code)s 结果公示：%(published)s 发布，异议期至 %(deadline)s",
          code=edition.code, published=f"{plan.results_at + timedelta(hours=8):%Y-%m-%d %H:%M}",
          deadline=objection_deadline(edition)),
    ]


def _panels(finals: list[Need], labels: Labels, users: dict[str, User], at: Clock) -> dict[int, list[User]]:
    """Each finalist need's panel: three unconflicted experts (in-field first, the least used first) and the
    need's firm user as its representative."""
    plan = dataset.judging()
    panels: dict[int, list[User]] = {}
    load: Counter[int] = Counter()
    fields: dict[int, frozenset] = {}
    for i, need in enumerate(finals):
        candidates, _firm_users = panel_candidates(need)
        free = [c.user for c in candidates if not c.conflicted]
        fields.update(expertise_of([j.id for j in free if j.id not in fields]))
        free.sort(key=lambda j: (need.field not in fields[j.id], load[j.id], j.id))
        experts = free[:plan.panel_experts]
        representative = users[labels.firm[need.id]]
        at(plan.panels_at + i * 3 * STEP)
        set_panel(need, users["organizer"], [j.id for j in experts], representative.id)
        load.update(j.id for j in experts)
        panels[need.id] = [*experts, representative]
    return panels


def _onsite_round(edition: Edition, finals: list[Need], panels: dict[int, list[User]], labels: Labels,
                  at: Clock) -> int:
    """After each finalist's pitch, every panel member submits an on-site sheet for it."""
    plan = dataset.judging()
    criteria = [(c.id, c.max_points) for c in rubric_for(edition.id, Round.ONSITE).criteria]
    count = 0
    for i, need in enumerate(finals):
        start = plan.final_day + timedelta(hours=2 * (i // plan.rooms))
        finalists = db.session.scalars(
            sa.select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.FINALIST).order_by(Bid.submitted_at))
        for f, bid in enumerate(finalists):
            need_key, team = labels.bid(bid)
            online, onsite = plan.grades[(need_key, team)]
            pitch_end = start + timedelta(minutes=plan.pitch_minutes * (f + 1))
            for m, member in enumerate(panels[need.id]):
                rng = judge_rng(edition.code, Round.ONSITE.value, need_key, team, member.username)
                points = sheet_points(criteria, onsite if onsite is not None else online, rng)
                representative = m == len(panels[need.id]) - 1
                text = rng.choice(plan.firm_comments) if representative else comment(
                    sum(points.values()), plan.onsite_comments, rng)
                save_sheet(judge=member, bid=bid, round_=Round.ONSITE, points=as_text(points), comment=text,
                           version=None, submit=True, now=at(pitch_end + (m + 1) * 2 * STEP))
                count += 1
    return count
