"""The main pages of the demo, as (name, username or None, path): shared by the a11y test and `make screenshots`."""
from __future__ import annotations

import sqlalchemy as sa

from contest.domain.states import NeedStatus
from contest.extensions import db
from contest.models import Bid, Contract, Edition, Need, Team, User
from contest.models.judging import Assignment


def demo_pages(app) -> list[tuple[str, str | None, str]]:
    """Paths of the main pages in the seeded demo, with who must be logged in to see each."""
    with app.app_context():
        live = db.session.scalar(sa.select(Edition).where(Edition.code == "CIC9-NB"))
        past = db.session.scalar(sa.select(Edition).where(Edition.code == "CIC8-NB"))
        team_user = db.session.scalar(sa.select(User).where(User.username == "team1"))
        team = db.session.scalar(sa.select(Team).where(Team.owner_id == team_user.id))
        bid_on = set(db.session.scalars(sa.select(Bid.need_id).where(Bid.team_id == team.id)))
        open_needs = db.session.scalars(sa.select(Need).where(Need.edition_id == live.id,
                                                             Need.status == NeedStatus.PUBLISHED)
                                        .order_by(Need.id)).all()
        public_need = open_needs[0]
        free_need = next(n for n in open_needs if n.id not in bid_on)
        team_bid = db.session.scalar(sa.select(Bid).where(Bid.team_id == team.id).order_by(Bid.id.desc()))
        firm_user = db.session.scalar(sa.select(User).where(User.org_id == public_need.firm_org_id))
        judge = db.session.scalar(sa.select(User).where(User.username == "judge1"))
        assignment = db.session.scalar(sa.select(Assignment).where(Assignment.judge_id == judge.id)
                                       .order_by(Assignment.id))
        contract = db.session.scalar(sa.select(Contract).order_by(Contract.id))
        ranked_need = db.session.scalar(sa.select(Need).join(Contract, Contract.need_id == Need.id)
                                        .order_by(Contract.id))
        ranked_firm = db.session.scalar(sa.select(User).where(User.org_id == ranked_need.firm_org_id))
        pages = [
            ("home", None, "/"),
            ("catalogue", None, "/needs"),
            ("need", None, f"/needs/{public_need.id}"),
            ("login", None, "/auth/login"),
            ("register-firm", None, "/auth/register/firm"),
            ("register-team", None, "/auth/register/team"),
            ("firm-home", firm_user.username, "/firm/"),
            ("firm-needs", firm_user.username, "/firm/needs"),
            ("need-form", firm_user.username, "/firm/needs/new"),
            ("firm-ranking", ranked_firm.username, f"/firm/needs/{ranked_need.id}/ranking"),
            ("team-dashboard", "team1", "/team/"),
            ("bid", "team1", f"/team/bids/{team_bid.id}"),
            ("bid-form", "team1", f"/team/needs/{free_need.id}/bid"),
            ("judge-dashboard", "judge1", "/judge/"),
            ("online-sheet", "judge1", f"/judge/online/{assignment.bid_id}"),
            ("organizer-dashboard", "organizer", "/organizer/"),
            ("queue", "organizer", "/organizer/queue"),
            ("standings", "organizer", f"/organizer/editions/{past.code}/standings"),
            ("statistics", "organizer", f"/organizer/editions/{past.code}/statistics"),
            ("contract", "organizer", f"/organizer/contracts/{contract.id}"),
            ("network-statistics", "organizer", f"/organizer/network/statistics?edition={past.code}"),
            ("broker-payables", "organizer", f"/organizer/editions/{past.code}/broker-payables"),
            ("events", "organizer", "/events/"),
            ("market-home", "market1", "/market/"),
            ("market-needs", "market1", "/market/needs"),
            ("broker-home", "broker1", "/broker/"),
        ]
        db.session.remove()
    return pages
