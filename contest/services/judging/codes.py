"""Judges by code (专家A, 专家B…) for anything a firm can see: one code per expert per edition."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ...domain.states import Role
from ...extensions import db
from ...models import Assignment, Bid, Edition, Need, PanelMember, ScoreSheet, User


def judge_code(index: int) -> str:
    """The code of the index-th judge (0-based): 专家A … 专家Z, 专家AA, 专家AB …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return _("专家%(letters)s", letters=letters)


def judge_codes(edition: Edition) -> dict[int, str]:
    """Each expert of the edition (assigned, on a panel, or with a sheet) by code, in user-id order:
    the codes do not move when sheets are added."""
    # Per judge, does any row tie them to the edition? Each EXISTS stops at its first match through the judge's
    # index, so this costs a few probes per judge, not a scan of the edition's 100,000 assignments and sheets.
    in_edition = sa.and_(Bid.need_id == Need.id, Need.edition_id == edition.id)
    assigned = sa.select(Assignment.id).join(Bid, Bid.id == Assignment.bid_id).join(Need, in_edition) \
        .where(Assignment.judge_id == User.id).exists()
    scored = sa.select(ScoreSheet.id).join(Bid, Bid.id == ScoreSheet.bid_id).join(Need, in_edition) \
        .where(ScoreSheet.judge_id == User.id).exists()
    panelled = sa.select(PanelMember.need_id).join(Need, Need.id == PanelMember.need_id) \
        .where(PanelMember.user_id == User.id, Need.edition_id == edition.id).exists()
    # Firm representatives sit on panels and score too, but they are no experts: no code for them.
    ids = db.session.scalars(sa.select(User.id).where(User.role == Role.JUDGE, sa.or_(assigned, scored, panelled))
                             .order_by(User.id))
    return {judge_id: judge_code(i) for i, judge_id in enumerate(ids)}


def panel_codes(edition: Edition, panel: list[PanelMember]) -> dict[int, str]:
    """A need's panel as its firm sees it: experts by their edition code, the firm's own representative as such."""
    codes = judge_codes(edition)
    for member in panel:
        if member.firm_representative:
            codes[member.user_id] = _("企业代表")
    return codes
